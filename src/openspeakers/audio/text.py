"""Text chunking for sentence-by-sentence synthesis, and click-free joining of the audio.

TTS engines degrade (and get slow) on long inputs, and streaming wants the first sentence
early, so text is cut into sentences and each is synthesised separately. The joins must not
click: independently generated segments start/end at arbitrary sample values, so each gets
a short raised-cosine fade and a little silence goes between them.
"""

from __future__ import annotations

import re

import numpy as np

# A terminator run (+ closing quotes/brackets) followed by whitespace/end; CJK needs no space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？]+[」』”’）)]*")
# Lower-cased words that end with "." without ending the sentence.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "vs", "etc", "e.g", "i.e", "cf", "approx",
     # titles and month names that come before a name or a day (text normalisation reads them)
     "lt", "col", "gen", "capt", "sgt", "rev", "hon", "gov", "mt", "jan", "feb", "apr", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
# "No. 5": a number sign only before a number ("I said no. Then" ends a sentence).
_NUMBER_SIGN = re.compile(r"no", re.I)
# Single letters ("J."), dotted acronyms ("e.g.", "U.S.").
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
# Places to cut an over-long sentence, in order of preference; then it is cut mid-word.
_BREAKS = (re.compile(r"(?<=[;:,])\s+|(?<=[，；：、])"), re.compile(r"\s+"))


def _ends_sentence(para: str, start: int, match: re.Match[str]) -> bool:
    """Whether the terminator ``match`` really ends the sentence that began at ``start``."""
    rest = para[match.end() :].lstrip()
    if rest[:1].islower():  # "approx. five", 'he said "wow!" and left'
        return False
    if match.group().rstrip("\"'”’»)]") != ".":  # "!", "?", "...", CJK: always a boundary
        return True
    before = para[start : match.start()]
    words = before.split()
    if not words:
        return True
    word = words[-1].lstrip("\"'“‘([{")
    if word.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word):
        return False
    if _NUMBER_SIGN.fullmatch(word) and rest[:1].isdigit():
        return False
    return not (len(words) == 1 and len(word) <= 3)  # list markers: "1. Buy milk."


def _fit(text: str, max_chars: int, level: int = 0) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars``, at the gentlest breaks possible."""
    if len(text) <= max_chars:
        return [text]
    if level == len(_BREAKS):  # a single "word" longer than max_chars
        return [text[i : i + max_chars] for i in range(0, len(text), max_chars)]
    units, pos = [], 0
    for m in _BREAKS[level].finditer(text):
        units.append((pos, m.start()))
        pos = m.end()
    units.append((pos, len(text)))
    pieces, (start, end) = [], units[0]
    for unit_start, unit_end in units[1:]:  # greedily merge units while they fit
        if unit_end - start <= max_chars:
            end = unit_end
        else:
            pieces.append(text[start:end])
            start, end = unit_start, unit_end
    pieces.append(text[start:end])
    return [p for piece in pieces for p in _fit(piece, max_chars, level + 1)]


def split_sentences(text: str, max_chars: int = 300) -> list[str]:
    """Split ``text`` into sentences (lines are always separate), none over ``max_chars``.

    Punctuation stays with its sentence; abbreviations, decimals and initials do not split.
    Over-long sentences are cut at ``; : ,`` then at whitespace, mid-word only as a last resort.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    sentences: list[str] = []
    for para in text.splitlines():
        start = 0
        for match in _BOUNDARY.finditer(para):
            if _ends_sentence(para, start, match):
                sentences.append(para[start : match.end()])
                start = match.end()
        sentences.append(para[start:])
    return [
        piece.strip()
        for sentence in sentences
        for piece in _fit(sentence.strip(), max_chars)
        if piece.strip()
    ]


def smooth_edges(samples: np.ndarray, sample_rate: int, fade_ms: float = 8.0) -> np.ndarray:
    """Return a float32 copy with a raised-cosine fade-in/out of ``fade_ms`` (start/end at 0).

    A raised cosine has zero slope at both ends, so the fade adds no discontinuity of its own.
    """
    out = np.array(samples, dtype=np.float32, copy=True).reshape(-1)
    n = min(round(sample_rate * fade_ms / 1000.0), out.size // 2)
    if n > 0:
        ramp = (0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)).astype(np.float32)
        out[:n] *= ramp
        out[out.size - n :] *= ramp[::-1]
    return out


def join_segments(
    segments: list[np.ndarray], sample_rate: int, pause_s: float = 0.12, fade_ms: float = 8.0
) -> np.ndarray:
    """Concatenate independently synthesised segments with faded edges and ``pause_s`` gaps."""
    gap = np.zeros(round(sample_rate * pause_s), dtype=np.float32)
    parts: list[np.ndarray] = []
    for i, segment in enumerate(segments):
        if i:
            parts.append(gap)
        parts.append(smooth_edges(segment, sample_rate, fade_ms))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
