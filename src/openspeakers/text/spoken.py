"""One job's spoken form: what each of its sentences becomes just before it is synthesised.

The engines' shared sentence loop (`TTSModelBase.stream_generate`) calls `prepare` once on the
whole text (Markdown and emoji out: cheap, and a code block spans lines) and `sentence` on each
sentence right before generating it, so the first audio waits for the first sentence's
normalisation only. What each sentence became is recorded in order: the runner stores it as
the job's `spoken_text`, and captions and the listening check compare against it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from openspeakers.analysis.asr import Transcript
from openspeakers.audio.text import split_sentences
from openspeakers.text.heard import spoken_transcript
from openspeakers.text.markup import strip_markup
from openspeakers.text.normalize import LANGUAGES, Normalizers, base_language, covered

log = logging.getLogger(__name__)

Notify = Callable[[str], None]


class SpokenForm:
    """How one job's text is said.

    `normalizers` None: no verbalising (turned off, or the engine does it itself); `markup`
    False: Markdown and emoji stay too (turned off). A language without a grammar, or not
    among `languages` (TEXT_LANGUAGES), is spoken as written, with one `warn` call saying
    so; `wait` hears why a sentence waits for a grammar still being built.
    """

    def __init__(self, language: str | None, normalizers: Normalizers | None, *,
                 languages: tuple[str, ...] = LANGUAGES, markup: bool = True,
                 warn: Notify | None = None, wait: Notify | None = None) -> None:
        self.language = base_language(language)
        self.markup = markup
        self.normalizers = normalizers
        self._wait = wait
        self._warn = warn
        self._said: dict[str, str] = {}
        self.sentences: list[str] = []
        """The spoken sentences of the current take, in order."""
        self.warnings: list[str] = []
        """What the job should be told (stored with its other warnings)."""
        if normalizers is not None and not (covered(self.language)
                                            and self.language in languages):
            self.normalizers = None
            self.warnings.append(f"text normalisation does not cover language "
                                 f"'{language or 'unknown'}'; the text is spoken as written")
            if warn is not None:
                warn(self.warnings[-1])

    def begin(self) -> None:
        """A new take of the same text (a listening check's retry): the record starts over,
        sentences already normalised are not normalised again."""
        self.sentences = []

    def prepare(self, text: str) -> str:
        """The whole text without markup (the text itself when nothing would be left, or
        with `markup` False: `normalize: false`)."""
        return (strip_markup(text) or text) if self.markup else text

    @property
    def verbalises(self) -> bool:
        return self.normalizers is not None and self.language is not None

    def say(self, sentence: str) -> str:
        """`sentence` as it is to be said (not recorded; each sentence normalised once)."""
        said = self._said.get(sentence)
        if said is None:
            said = sentence
            if self.normalizers is not None and self.language is not None:
                try:
                    said = self.normalizers.sentence(sentence, self.language,
                                                     on_wait=self._wait) or sentence
                except Exception as exc:  # a grammar that cannot be built: never a failed job
                    log.warning("text normalisation failed, speaking as written: %s", exc)
                    self.normalizers = None
                    self.warnings.append(f"text normalisation failed ({exc}); the text is "
                                         "spoken as written")
                    if self._warn is not None:
                        self._warn(self.warnings[-1])
            self._said[sentence] = said
        return said

    def sentence(self, sentence: str) -> str:
        """`sentence` as it is to be said, recorded as part of the take's spoken text."""
        said = self.say(sentence)
        self.sentences.append(said)
        return said

    def keep(self, sentence: str) -> str:
        """`sentence` recorded as it is (SSML phoneme runs are not normalised)."""
        self.sentences.append(sentence)
        return sentence

    def whole(self, text: str) -> str:
        """All of `text`'s spoken form at once, for engines that stream natively (they take
        the whole text)."""
        return " ".join(self.sentence(s) for s in split_sentences(self.prepare(text)))

    def heard(self, transcript: Transcript) -> Transcript:
        """A recogniser's transcript in the same spoken form (text/heard.py)."""
        if not self.verbalises:
            return transcript
        return spoken_transcript(transcript, self.say)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)
