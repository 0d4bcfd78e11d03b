"""The pronunciation lexicon: user entries applied to a job's text in the worker.

An entry says how a word or phrase is spoken: as replacement text (every engine), or as
phonemes for engines that take phonemes in the entry's alphabet (Piper and Kokoro: IPA;
eSpeak: its own mnemonics). Entries are global or for one model; a model's entry wins over
a global one for the same word. Matching is whole-word and case-insensitive, longest entry
first, so a phrase ("New York") is found before a word inside it ("York"). Text the user
spelt out in SSML (`sub` aliases, `say-as` results, `phoneme` fallbacks) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.db.models import LexiconEntry, utcnow
from openspeakers.db.session import get_or_raise
from openspeakers.text.ssml import Segment


class LexiconEntryNotFoundError(LookupError):
    """No entry with that id (404)."""


class LexiconConflictError(RuntimeError):
    """An entry for that word already exists in that scope (409)."""


def word_key(word: str) -> str:
    """What an entry is matched and kept unique by: lower case, single spaces."""
    return " ".join(word.split()).lower()


@dataclass(frozen=True)
class Entry:
    word: str
    replacement: str | None = None
    phonemes: str | None = None
    alphabet: str = "ipa"

    @classmethod
    def of(cls, row: LexiconEntry) -> Entry:
        return cls(row.word, row.replacement, row.phonemes, row.alphabet)


def _pattern(entries: Sequence[Entry]) -> re.Pattern[str]:
    words = sorted({word_key(e.word) for e in entries}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in words)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def apply(segments: Sequence[Segment], entries: Sequence[Entry], alphabet: str | None,
          model_id: str) -> tuple[list[Segment], list[str]]:
    """`segments` with every entry's word replaced, and warnings for entries the engine
    cannot honour (phonemes only, in an alphabet the engine does not take)."""
    if not entries:
        return list(segments), []
    by_key = {word_key(e.word): e for e in entries}
    pattern = _pattern(entries)
    out: list[Segment] = []
    warnings: list[str] = []
    for segment in segments:
        if segment.literal or segment.pause_s or segment.phonemes or not segment.text:
            out.append(segment)
            continue
        pos = 0
        for match in pattern.finditer(segment.text):
            entry = by_key[word_key(match.group())]
            if entry.phonemes and entry.alphabet == alphabet:
                said = Segment(text=f" {entry.replacement or match.group()} ",
                               rate=segment.rate, phonemes=entry.phonemes,
                               alphabet=entry.alphabet, literal=True)
            elif entry.replacement:
                said = Segment(text=f" {entry.replacement} ", rate=segment.rate, literal=True)
            else:
                message = (f"lexicon entry '{entry.word}' has only {entry.alphabet} phonemes, "
                           f"which model '{model_id}' does not take: it was read as written")
                if message not in warnings:
                    warnings.append(message)
                continue
            out.append(replace(segment, text=segment.text[pos:match.start()]))
            out.append(said)
            pos = match.end()
        out.append(replace(segment, text=segment.text[pos:]))
    return [s for s in out if s.text or s.pause_s or s.phonemes], warnings


# storage ------------------------------------------------------------------------------------
def entries_for(session: Session, model_id: str) -> list[Entry]:
    """The entries that apply to `model_id`: its own, and global ones for other words."""
    rows = session.scalars(select(LexiconEntry).where(
        or_(LexiconEntry.scope == "", LexiconEntry.scope == model_id))).all()
    chosen: dict[str, LexiconEntry] = {}
    for row in sorted(rows, key=lambda r: r.scope != ""):  # global first, the model's last
        chosen[row.word_key] = row
    return [Entry.of(row) for row in chosen.values()]


@dataclass
class EntryFields:
    """What a client sets on an entry (validated by the API schema)."""

    word: str
    replacement: str | None = None
    phonemes: str | None = None
    alphabet: str = "ipa"
    model_id: str | None = None


class Lexicon:
    """Create, read, update and delete entries (the /api/lexicon router's one way in)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def list(self, model_id: str | None = None) -> list[LexiconEntry]:
        query = select(LexiconEntry).order_by(LexiconEntry.word_key, LexiconEntry.scope)
        if model_id is not None:
            query = query.where(or_(LexiconEntry.scope == "", LexiconEntry.scope == model_id))
        with self.sessions() as session:
            return list(session.scalars(query).all())

    def get(self, entry_id: str) -> LexiconEntry:
        return get_or_raise(self.sessions, LexiconEntry, entry_id,
                            lambda: LexiconEntryNotFoundError(
                                f"no lexicon entry with id '{entry_id}'"))

    def create(self, fields: EntryFields) -> LexiconEntry:
        row = LexiconEntry()
        self._set(row, fields)
        return self._save(row, fields, add=True)

    def update(self, entry_id: str, fields: EntryFields) -> LexiconEntry:
        row = self.get(entry_id)
        self._set(row, fields)
        row.updated_at = utcnow()
        return self._save(row, fields, add=False)

    def delete(self, entry_id: str) -> None:
        with self.sessions.begin() as session:
            row = session.get(LexiconEntry, entry_id)
            if row is None:
                raise LexiconEntryNotFoundError(f"no lexicon entry with id '{entry_id}'")
            session.delete(row)

    @staticmethod
    def _set(row: LexiconEntry, fields: EntryFields) -> None:
        row.word = " ".join(fields.word.split())
        row.word_key = word_key(fields.word)
        row.model_id = fields.model_id
        row.scope = fields.model_id or ""
        row.replacement = fields.replacement
        row.phonemes = fields.phonemes
        row.alphabet = fields.alphabet

    def _save(self, row: LexiconEntry, fields: EntryFields, *, add: bool) -> LexiconEntry:
        try:
            with self.sessions.begin() as session:
                row = session.merge(row) if not add else row
                session.add(row)
                session.flush()
                session.refresh(row)
                session.expunge(row)
        except IntegrityError:
            where = f"model '{fields.model_id}'" if fields.model_id else "all models"
            word = " ".join(fields.word.split())  # not row.word: the row is expired now
            raise LexiconConflictError(f"there is already a lexicon entry for '{word}' for "
                                       f"{where}") from None
        return row
