"""A job's text as an engine speaks it: SSML segments and lexicon entries, rendered in order.

`plan` turns the text (plain or `<speak>` SSML) and the lexicon entries that apply into
segments and the warnings of what the engine cannot honour. `stream` renders a plan with any
engine: runs of text at one rate go through the engine's own `stream_generate` (sentence by
sentence, cancel checked before each), `<break>`s become silence of their length, a
`<prosody rate>` becomes the engine's speed where it renders that speed natively and a
pitch-preserving tempo change elsewhere, and phonemes go inline as `[[...]]` blocks to engines
whose `phoneme_alphabet` they are written in (the written word is said by the others).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace

import numpy as np

from openspeakers.audio.tempo import change_tempo
from openspeakers.engines.base import AudioChunk, GenerateRequest, TTSModelBase
from openspeakers.runtime import CancelSignal, never
from openspeakers.text import lexicon, ssml
from openspeakers.text.ssml import Segment


@dataclass(frozen=True)
class Run:
    """What one call of the engine says (`text` at `rate`), or `pause_s` of silence."""

    text: str = ""
    rate: float = 1.0
    inline_phonemes: bool = False
    pause_s: float = 0.0


@dataclass
class SpeechPlan:
    runs: list[Run]
    warnings: list[str]
    spoken_text: str
    """The words as said (what a listening check compares a transcript with)."""

    def plain(self, text: str) -> bool:
        """Nothing to do beyond speaking `text` as it is."""
        return (len(self.runs) == 1 and self.runs[0].rate == 1.0
                and not self.runs[0].inline_phonemes and self.runs[0].text == text.strip())


def phoneme_warnings(segments: Sequence[Segment], engine: type[TTSModelBase],
                     model_id: str) -> list[str]:
    """One warning per phoneme alphabet the engine does not take."""
    found = sorted({s.alphabet or "ipa" for s in segments
                    if s.phonemes and s.alphabet != engine.phoneme_alphabet})
    takes = (f"it takes {engine.phoneme_alphabet} phonemes" if engine.phoneme_alphabet
             else "it takes no phonemes")
    return [f"<phoneme alphabet=\"{alphabet}\"> is not honoured by model '{model_id}' ({takes}):"
            " the written word was spoken" for alphabet in found]


def ssml_warnings(text: str, engine: type[TTSModelBase], model_id: str) -> list[str]:
    """Parse `text` (`SsmlError`, a 400 with the position, if it is bad SSML) and say what
    `engine` will not honour; [] for plain text. Used when a job is submitted."""
    if not ssml.is_ssml(text):
        return []
    document = ssml.parse(text)
    return document.warnings + phoneme_warnings(document.segments, engine, model_id)


def plan(text: str, engine: type[TTSModelBase], model_id: str,
         entries: Sequence[lexicon.Entry] = ()) -> SpeechPlan:
    document = ssml.parse_any(text)
    segments, lexicon_warnings = lexicon.apply(document.segments, entries,
                                               engine.phoneme_alphabet, model_id)
    warnings = (document.warnings + phoneme_warnings(segments, engine, model_id)
                + lexicon_warnings)
    if not ssml.is_ssml(text) and segments == document.segments:  # no entry matched
        return SpeechPlan([Run(text.strip())], warnings, text.strip())
    return SpeechPlan(_runs(segments, engine.phoneme_alphabet), warnings, ssml.spoken(segments))


def _runs(segments: Sequence[Segment], alphabet: str | None) -> list[Run]:
    """Segments joined into engine calls: text of one rate runs on (with its phonemes inline
    where the engine takes them); pauses stand alone."""
    runs: list[Run] = []
    pieces: list[str] = []
    rate, inline = 1.0, False

    def flush() -> None:
        nonlocal pieces, inline
        text = ssml.join_text(pieces)
        if text:
            runs.append(Run(text, rate, inline))
        pieces, inline = [], False

    for segment in segments:
        if segment.pause_s:
            flush()
            runs.append(Run(pause_s=segment.pause_s))
            continue
        if segment.rate != rate:
            flush()
            rate = segment.rate
        if segment.phonemes and segment.alphabet == alphabet:
            pieces.append(f" [[{segment.phonemes}]] ")
            inline = True
        else:
            pieces.append(segment.text.replace("[[", "[ [").replace("]]", "] ]"))
    flush()
    return runs


def stream(engine: TTSModelBase, request: GenerateRequest, speech: SpeechPlan,
           cancel: CancelSignal | None = None) -> Iterator[AudioChunk]:
    """`speech` rendered by `engine` with `request`'s voice and settings, in order."""
    cancel = cancel if cancel is not None else never()
    total = sum(len(run.text) for run in speech.runs) or 1
    done, rate = 0, engine.sample_rate
    low, high = engine.speed_range
    for run in speech.runs:
        cancel.check()
        if run.pause_s:
            yield AudioChunk(np.zeros(round(run.pause_s * rate), np.float32), rate,
                             done, total)
            continue
        speed = request.speed * run.rate
        native = run.rate == 1.0 or (engine.supports_speed and low <= speed <= high)
        part = replace(request, text=run.text, inline_phonemes=run.inline_phonemes,
                       speed=speed if native else request.speed)
        with closing(engine.stream_generate(part, cancel)) as chunks:  # stopped if we are
            for chunk in chunks:
                rate = chunk.sample_rate
                audio = chunk.audio if native else change_tempo(chunk.audio, rate, run.rate)
                yield AudioChunk(audio, rate, done + chunk.chars_done, total)
        done += len(run.text)
