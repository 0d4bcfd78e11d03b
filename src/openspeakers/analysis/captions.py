"""Captions: the words of the job's text, timed by what the speech recognizer heard.

The recognizer's words carry the timings; the text carries the words. The two are aligned on
normalised words (difflib); a text word heard differently inside an aligned stretch shares
that stretch's time, and a word not heard at all is placed by interpolation between its
neighbours (by length). Cues break at sentence ends, after ~42 characters or ~6 seconds.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from openspeakers.analysis.asr import Transcript, Word
from openspeakers.analysis.wer import words as normal_words

MAX_CUE_CHARS = 42
MAX_CUE_SECONDS = 6.0
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*$")


@dataclass(frozen=True)
class TimedWord:
    word: str
    start: float
    end: float
    matched: bool


@dataclass(frozen=True)
class Cue:
    index: int
    start: float
    end: float
    text: str


def words_path(audio_dir: Path, job_id: str) -> Path:
    """Where a job's recognised words are kept (written by a listening check, or on the first
    captions request), next to its audio."""
    return audio_dir / f"{job_id}.words.json"


def save_words(audio_dir: Path, job_id: str, transcript: Transcript) -> None:
    path = words_path(audio_dir, job_id)
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(json.dumps({"text": transcript.text, "duration": transcript.duration,
                               "words": [asdict(w) for w in transcript.words]}))
    tmp.replace(path)


def load_words(audio_dir: Path, job_id: str) -> Transcript | None:
    path = words_path(audio_dir, job_id)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        return Transcript(data["text"], tuple(Word(**w) for w in data["words"]),
                          float(data["duration"]))
    except (ValueError, KeyError, TypeError):
        return None


def align(text: str, heard: Transcript, duration: float) -> list[TimedWord]:
    """Every word of `text`, with start and end inside [0, duration]."""
    tokens = text.split()
    keys = [" ".join(normal_words(t)) for t in tokens]
    asr = [w for w in heard.words if normal_words(w.text)]
    asr_keys = [" ".join(normal_words(w.text)) for w in asr]
    times: list[tuple[float, float] | None] = [None] * len(tokens)
    matched = [False] * len(tokens)
    matcher = difflib.SequenceMatcher(a=keys, b=asr_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                times[i1 + k] = (asr[j1 + k].start, asr[j1 + k].end)
                matched[i1 + k] = True
        elif op == "replace":  # heard differently: spread the heard stretch over the words
            _spread(tokens, times, i1, i2, asr[j1].start, asr[j2 - 1].end)
    _interpolate(tokens, times, duration)
    out = []
    previous_end = 0.0
    for token, span, ok in zip(tokens, times, matched, strict=True):
        start, end = span or (previous_end, previous_end)
        start = min(max(start, previous_end, 0.0), duration)
        end = min(max(end, start), duration)
        out.append(TimedWord(token, round(start, 3), round(end, 3), ok))
        previous_end = end
    return out


def _spread(tokens: list[str], times: list[tuple[float, float] | None], i1: int, i2: int,
            start: float, end: float) -> None:
    weights = [max(1, len(tokens[i])) for i in range(i1, i2)]
    total = sum(weights)
    position = start
    for i, weight in zip(range(i1, i2), weights, strict=True):
        step = (end - start) * weight / total
        times[i] = (position, position + step)
        position += step


def _interpolate(tokens: list[str], times: list[tuple[float, float] | None],
                 duration: float) -> None:
    """Fill unheard words between the known neighbours, by length."""
    i = 0
    while i < len(tokens):
        if times[i] is not None:
            i += 1
            continue
        j = i
        while j < len(tokens) and times[j] is None:
            j += 1
        before = times[i - 1][1] if i > 0 and times[i - 1] else 0.0  # type: ignore[index]
        after = times[j][0] if j < len(tokens) and times[j] else duration  # type: ignore[index]
        _spread(tokens, times, i, j, before, max(before, after))
        i = j


def cues(words: list[TimedWord]) -> list[Cue]:
    out: list[Cue] = []
    current: list[TimedWord] = []

    def flush() -> None:
        if current:
            out.append(Cue(len(out) + 1, current[0].start, current[-1].end,
                           " ".join(w.word for w in current)))
            current.clear()

    for word in words:
        if current:
            chars = len(" ".join(w.word for w in current)) + 1 + len(word.word)
            if chars > MAX_CUE_CHARS or word.end - current[0].start > MAX_CUE_SECONDS:
                flush()
        current.append(word)
        if _SENTENCE_END.search(word.word):
            flush()
    flush()
    return out


def _stamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(items: list[Cue]) -> str:
    return "".join(f"{c.index}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n\n"
                   for c in items)


def to_vtt(items: list[Cue]) -> str:
    body = "".join(f"{c.index}\n{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n\n"
                   for c in items)
    return "WEBVTT\n\n" + body


def job_captions(analysis: Any, *, job_id: str, text: str, audio: Path, fmt: str,
                 audio_dir: Path, heard_as: Callable[[Transcript], Transcript] | None = None,
                 ) -> tuple[Transcript, list[TimedWord], float]:
    """The recognised words of a finished job (kept next to its audio after the first time),
    aligned to its text; `heard_as` puts a new transcript in the text's (spoken) form."""
    from openspeakers.audio.encoding import decode

    samples, rate = decode(audio, "pcm" if fmt == "pcm" else None)  # type: ignore[arg-type]
    duration = len(samples) / rate
    heard = load_words(audio_dir, job_id)
    if heard is None:
        heard = analysis.transcribe(samples, rate, word_timestamps=True)
        if heard_as is not None:
            heard = heard_as(heard)
        save_words(audio_dir, job_id, heard)
    return heard, align(text, heard, duration), duration
