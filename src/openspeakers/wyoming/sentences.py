"""Complete sentences out of text that arrives in pieces (`synthesize-chunk`)."""

from __future__ import annotations

from openspeakers.audio.text import split_sentences


class SentenceBuffer:
    """Collects streamed text; hands out each sentence once it is known to be complete.

    A sentence is complete when the text after it has started ("Hello. W"): only then can the
    splitter tell a full stop from an abbreviation, an initial or a decimal point, so a
    sentence is never cut where the whole text would not be. The rest comes out at `finish`.
    """

    def __init__(self) -> None:
        self._text = ""

    def add(self, text: str) -> list[str]:
        self._text += text
        sentences = split_sentences(self._text)
        if len(sentences) < 2:
            return []
        last = sentences[-1]
        tail = self._text.rstrip()
        if not tail.endswith(last):  # never expected; keep everything rather than lose text
            return []
        self._text = self._text[len(tail) - len(last):]
        return sentences[:-1]

    def finish(self) -> list[str]:
        sentences, self._text = split_sentences(self._text), ""
        return sentences
