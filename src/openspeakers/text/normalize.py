"""Written text -> the words a person would say: "$5.50" -> "five dollars fifty cents".

The verbalising is NVIDIA's nemo-text-processing (WFST grammars on pynini, Apache-2.0): one
deterministic grammar per language. Compiling one takes about a minute of CPU, so it is done
once into TEXT_CACHE_DIR/<lang>/ (`openspeakers text compile`, or in the background after the
server is ready) and loaded from there (about a second); nothing compiles in the request path
unless a job needs a language before its grammar was ever built, and then that job waits for
the one build in progress (`Normalizers.get` with `on_wait`).

Loaded grammars are kept process-wide (`shared()`), one per cache directory and language, and
used under a lock each (pynini's rewrite is not documented as thread-safe). Sentences with
nothing to verbalise (letters and plain punctuation) never reach NeMo: that is most sentences
of ordinary prose, and a NeMo call costs 20-300 ms.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openspeakers.audio.text import split_sentences
from openspeakers.text import english
from openspeakers.text.markup import strip_markup

log = logging.getLogger(__name__)

LANGUAGES = ("en", "de", "es", "fr")
"""Languages normalised (NeMo's deterministic grammars measured here: docs/TEXT.md)."""

_READY = ".ready"
# Plain prose: letters, spaces and punctuation that reads as a pause; a final stop.
_PLAIN = re.compile(r"[^\W\d_]+(?:[\s,;:!?'\"’‘“”«»()\-–—]+[^\W\d_]+)*[\s,;:!?'\"’‘“”«»()]*"
                    r"[.!?…]*[\"'’”»)]*")
_ABBREVIATED_END = re.compile(r"\b(?:etc|vs|St|Dr|Mr|Mrs|Ms|Jr|Sr|Prof|Inc|Ltd|Co|No)\.$")
_TERMINAL = ".!?…"


def base_language(language: str | None) -> str | None:
    """"en-us", "en_GB", "EN" -> "en"; None stays None."""
    if not language:
        return None
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] or None


def covered(language: str | None) -> bool:
    return base_language(language) in LANGUAGES


def needs_normalizing(sentence: str) -> bool:
    """Whether NeMo could change `sentence`: digits, symbols, abbreviations, capitals runs."""
    if not _PLAIN.fullmatch(sentence.strip()):
        return True
    return bool(_ABBREVIATED_END.search(sentence.strip()))


class UnsupportedLanguageError(ValueError):
    """No grammar for this language: its text is spoken as written."""


@dataclass
class _Grammar:
    """One language's loaded NeMo normaliser and the lock its calls are made under."""

    normalizer: Any
    lock: threading.Lock = field(default_factory=threading.Lock)

    def apply(self, sentence: str) -> str:
        with self.lock:
            return str(self.normalizer.normalize(sentence, verbose=False,
                                                 punct_post_process=True))


class Normalizers:
    """The grammars of one cache directory: built once, loaded once, shared by all threads."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = Path(cache_dir)
        self._lock = threading.Lock()
        self._loaded: dict[str, _Grammar] = {}
        self._building: dict[str, threading.Event] = {}
        self._failed: dict[str, str] = {}

    def directory(self, lang: str) -> Path:
        return self.cache_dir / lang

    def is_compiled(self, lang: str) -> bool:
        """The grammar's files are on disk (loading them takes about a second)."""
        return (self.directory(lang) / _READY).is_file()

    def is_loaded(self, lang: str) -> bool:
        return lang in self._loaded

    def get(self, language: str, *, on_wait: Callable[[str], None] | None = None) -> _Grammar:
        """The loaded grammar of `language`, built or loaded here if need be; a caller that
        finds another thread building it waits for that build (`on_wait` is told why first,
        and so is a caller that has to compile it itself)."""
        lang = base_language(language)
        if lang not in LANGUAGES:
            raise UnsupportedLanguageError(f"no text normalisation for language '{language}'")
        while True:
            with self._lock:
                if lang in self._loaded:
                    return self._loaded[lang]
                building = self._building.get(lang)
                if building is None:
                    building = self._building[lang] = threading.Event()
                    mine = True
                else:
                    mine = False
            if not mine:
                if on_wait is not None:
                    on_wait(f"waiting for the {lang} text normalisation grammar to be ready")
                building.wait()
                with self._lock:
                    if lang in self._failed and lang not in self._loaded:
                        raise RuntimeError(self._failed[lang])
                continue
            try:
                if on_wait is not None and not self.is_compiled(lang):
                    on_wait(f"compiling the {lang} text normalisation grammar (once; about a "
                            "minute)")
                grammar = self._build(lang)
                with self._lock:
                    self._loaded[lang] = grammar
                    self._failed.pop(lang, None)
                return grammar
            except Exception as exc:
                with self._lock:
                    self._failed[lang] = f"the {lang} grammar could not be built: {exc}"
                raise
            finally:
                with self._lock:
                    self._building.pop(lang, None)
                building.set()

    def _build(self, lang: str) -> _Grammar:
        from nemo_text_processing.text_normalization.normalize import Normalizer

        logging.getLogger("NeMo-text-processing").setLevel(logging.WARNING)
        folder = self.directory(lang)
        folder.mkdir(parents=True, exist_ok=True)
        compiled = self.is_compiled(lang)
        started = time.monotonic()
        normalizer = Normalizer(input_case="cased", lang=lang, cache_dir=str(folder),
                                overwrite_cache=False)
        (folder / _READY).write_text("nemo-text-processing 1.2.0\n", encoding="utf-8")
        log.info("text normalisation: %s grammar %s in %.1f s (%s)", lang,
                 "loaded" if compiled else "compiled", time.monotonic() - started, folder)
        return _Grammar(normalizer)

    def prepare(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        """Compile (where needed) and load `languages`, one after the other; errors logged."""
        for lang in languages:
            try:
                self.get(lang)
            except Exception:
                log.exception("text normalisation: could not prepare %s", lang)

    def sentence(self, sentence: str, language: str, *,
                 on_wait: Callable[[str], None] | None = None) -> str:
        """One sentence's spoken form (markup already stripped)."""
        lang = base_language(language)
        if lang == "en":
            sentence = english.prepare(sentence)
        if not needs_normalizing(sentence):
            return sentence
        spoken = self.get(language, on_wait=on_wait).apply(sentence).strip()
        if lang == "en":
            spoken = english.finish(spoken)
        end = sentence.rstrip()[-1:]
        if end in _TERMINAL and spoken and spoken[-1] not in _TERMINAL:
            spoken += end  # NeMo drops the stop after "a.m." and the like
        return spoken

    def text(self, text: str, language: str) -> str:
        """A whole text's spoken form: markup stripped, each sentence normalised, joined."""
        return " ".join(self.sentence(s, language) for s in split_sentences(strip_markup(text)))


_SHARED: dict[Path, Normalizers] = {}
_SHARED_LOCK = threading.Lock()


def shared(cache_dir: Path) -> Normalizers:
    """The process's normalisers for `cache_dir` (one set per directory)."""
    key = Path(cache_dir).resolve()
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = Normalizers(key)
        return _SHARED[key]


def normalize(text: str, lang: str, *, cache_dir: Path | None = None) -> str:
    """`text` as it should be spoken in `lang` (TEXT_CACHE_DIR's grammars unless `cache_dir`);
    a language without a grammar raises `UnsupportedLanguageError`."""
    if cache_dir is None:
        from openspeakers.config import get_settings

        cache_dir = get_settings().resolved_text_cache_dir
    if not covered(lang):
        raise UnsupportedLanguageError(f"no text normalisation for language '{lang}'")
    return shared(cache_dir).text(text, lang)
