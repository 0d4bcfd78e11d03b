"""A speech recogniser's transcript put in spoken form, so it compares with the spoken text.

Whisper writes what it hears the way text is written ("Dr. Smith paid $5.50"), while a
normalised job's reference is what was said ("doctor Smith paid five dollars fifty cents").
Comparing the two counts every number as an error. Here each recognised word that needs it is
normalised on its own and its time span shared by the words it becomes, so the listening
check's word error rate and the captions' alignment compare spoken form with spoken form.
"""

from __future__ import annotations

from collections.abc import Callable

from openspeakers.analysis.asr import Transcript, Word
from openspeakers.text.normalize import needs_normalizing


def spoken_transcript(heard: Transcript, say: Callable[[str], str]) -> Transcript:
    """`heard` with each word that needs it replaced by `say(word)` (timings shared evenly)."""
    words: list[Word] = []
    for word in heard.words:
        text = word.text.strip()
        if not text or not needs_normalizing(text):
            words.append(word)
            continue
        parts = say(text).split() or [text]
        step = (word.end - word.start) / len(parts)
        words.extend(Word(f" {part}", word.start + i * step, word.start + (i + 1) * step,
                          word.probability) for i, part in enumerate(parts))
    text = say(heard.text) if heard.text.strip() else heard.text
    return Transcript(text=text, words=tuple(words), duration=heard.duration)
