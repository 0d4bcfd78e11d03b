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

import fcntl
import logging
import re
import subprocess
import sys
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
COMPILE_TIMEOUT = 1800.0
"""Seconds a grammar's compilation may take (Spanish took ~10 min on a busy 2-core machine)."""
RETRY_AFTER = 300.0
"""After a grammar failed to build, jobs speak their text as written for this many seconds
instead of each compiling it again."""
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
        self._failed_at: dict[str, float] = {}

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
                failed = self._failed.get(lang)
                if failed and time.monotonic() - self._failed_at.get(lang, 0.0) < RETRY_AFTER:
                    raise RuntimeError(failed)  # not another minute of compiling per job
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
                    self._failed_at[lang] = time.monotonic()
                raise
            finally:
                with self._lock:
                    self._building.pop(lang, None)
                building.set()

    def _build(self, lang: str) -> _Grammar:
        """Compile `lang` in a child process if its files are missing (compiling holds the
        GIL for seconds at a time: the server's threads must not wait on it), then load it."""
        from nemo_text_processing.text_normalization.normalize import Normalizer

        folder = self.directory(lang)
        started = time.monotonic()
        if not self.is_compiled(lang):
            log.info("text normalisation: compiling the %s grammar into %s", lang, folder)
            done = subprocess.run([sys.executable, "-m", "openspeakers.text.compile",  # noqa: S603
                                   str(self.cache_dir), lang], capture_output=True, text=True,
                                  check=False, timeout=COMPILE_TIMEOUT)
            if done.returncode != 0 or not self.is_compiled(lang):
                raise RuntimeError(f"compiling the {lang} grammar failed: "
                                   f"{done.stderr.strip()[-500:]}")
        _quiet_nemo()
        normalizer = Normalizer(input_case="cased", lang=lang, cache_dir=str(folder),
                                overwrite_cache=False)
        log.info("text normalisation: %s grammar ready in %.1f s", lang,
                 time.monotonic() - started)
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


def _quiet_nemo() -> None:
    """NeMo logs every sentence it cannot post-process at INFO."""
    logging.getLogger("NeMo-text-processing").setLevel(logging.WARNING)


def compile_language(cache_dir: Path, lang: str) -> float:
    """Build `lang`'s grammar files into `cache_dir/lang` unless they are there; seconds spent.

    A file lock makes concurrent builders (the API process and workers sharing a data
    directory) wait for one build instead of writing the same files at once."""
    from nemo_text_processing.text_normalization.normalize import Normalizer

    if lang not in LANGUAGES:
        raise UnsupportedLanguageError(f"no text normalisation for language '{lang}'; "
                                       f"languages: {', '.join(LANGUAGES)}")
    folder = Path(cache_dir) / lang
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with (Path(cache_dir) / f".{lang}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / _READY).is_file():
            _quiet_nemo()
            Normalizer(input_case="cased", lang=lang, cache_dir=str(folder),
                       overwrite_cache=False)
            (folder / _READY).write_text("nemo-text-processing 1.2.0\n", encoding="utf-8")
    return time.monotonic() - started


def prepare_in_background(cache_dir: Path, languages: tuple[str, ...]) -> threading.Thread:
    """Compile (in a child process) and load `languages` in a daemon thread: called once the
    server is ready, so the first job in those languages does not wait for a grammar."""
    thread = threading.Thread(target=shared(cache_dir).prepare, args=(languages,),
                              name="text-grammars", daemon=True)
    thread.start()
    return thread


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
