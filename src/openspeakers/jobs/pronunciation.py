"""A job's speech plan in the worker: its SSML and the lexicon entries of its model, read
when it runs (an entry edited after submission applies), with the warnings stored on the row."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from openspeakers.engines.base import TTSModelBase
from openspeakers.engines.speech import SpeechPlan, plan
from openspeakers.jobs.rows import update
from openspeakers.text.lexicon import entries_for


def job_plan(sessions: sessionmaker[Session], job_id: str, engine: TTSModelBase,
             model_id: str, text: str) -> SpeechPlan:
    with sessions() as session:
        entries = entries_for(session, model_id)
    speech = plan(text, type(engine), model_id, entries)
    if speech.warnings:
        update(sessions, job_id, warnings=speech.warnings)
    return speech
