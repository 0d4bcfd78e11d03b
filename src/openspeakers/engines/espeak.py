"""eSpeak NG through its C API (the library and data ship in the `espeakng-loader` wheel)."""

from __future__ import annotations

import ctypes
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from openspeakers.engines.base import (
    EngineError,
    GenerateRequest,
    GenerateResult,
    TTSModelBase,
    Voice,
)

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_PHONEMES = 0x100
"""espeakPHONEMES: phoneme mnemonics inside [[...]] in the text are spoken as written."""
_POS_CHARACTER = 1
_RATE, _PITCH = 1, 3
_DEFAULT_RATE_WPM = 175
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                   ctypes.c_void_p)

# libespeak-ng keeps its state in globals, so one process has one synthesiser: every call into
# it holds this lock. Several worker threads may share the engine class; they take turns here.
_LOCK = threading.Lock()


class _EspeakVoice(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_void_p),
                ("identifier", ctypes.c_char_p), ("gender", ctypes.c_ubyte),
                ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte), ("xx1", ctypes.c_ubyte),
                ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


def _languages(pointer: int | None) -> list[str]:
    """Decode espeak's language list: (priority byte, name, NUL)... ended by a zero byte."""
    out: list[str] = []
    address = pointer or 0
    while address and ctypes.string_at(address, 1) != b"\0":
        name = ctypes.string_at(address + 1)
        out.append(name.decode())
        address += len(name) + 2
    return out


class _Library:
    """The initialised library; created once per process, on first use."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data_parent = str(Path(espeakng_loader.get_data_path()).parent).encode()
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_EspeakVoice))
        self.lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                          ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                          ctypes.c_void_p, ctypes.c_void_p]
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_parent, 0)
        if self.sample_rate <= 0:
            raise EngineError("eSpeak NG failed to initialise")
        self._chunks: list[np.ndarray] = []
        self._voices: list[Voice] | None = None
        self._identifiers: dict[str, str] = {}
        self._callback = _SYNTH_CALLBACK(self._on_audio)  # kept referenced: C holds a pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def _on_audio(self, wav: Any, count: int, _events: Any) -> int:
        if wav and count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0

    def voices(self) -> list[Voice]:
        """Every language of every voice that can speak, as an id (`fr` and `fr-fr` alike)."""
        if self._voices is None:
            found: dict[str, Voice] = {}
            array = self.lib.espeak_ListVoices(None)
            index = 0
            while array[index]:
                voice = array[index].contents
                index += 1
                identifier, name = voice.identifier.decode(), voice.name.decode()
                if not self._speaks(identifier):
                    continue  # listed, but its dictionary is not in the wheel's data
                gender = {1: "male", 2: "female"}.get(voice.gender)
                for language in _languages(voice.languages):
                    if language not in found:
                        found[language] = Voice(id=language, name=name, language=language,
                                                gender=gender)
                        self._identifiers[language] = identifier
            self._voices = sorted(found.values(), key=lambda v: v.id)
        return self._voices

    def _speaks(self, identifier: str) -> bool:
        return len(self._synthesize("ab", identifier, _DEFAULT_RATE_WPM, 50)) > 1000

    def synthesize(self, text: str, voice: str, rate: int, pitch: int,
                   phonemes: bool = False) -> np.ndarray:
        self.voices()
        return self._synthesize(text, self._identifiers[voice], rate, pitch, phonemes)

    def _synthesize(self, text: str, identifier: str, rate: int, pitch: int,
                    phonemes: bool = False) -> np.ndarray:
        if self.lib.espeak_SetVoiceByName(identifier.encode()) != 0:
            raise EngineError(f"eSpeak NG could not select voice '{identifier}'")
        self.lib.espeak_SetParameter(_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PITCH, pitch, 0)
        data = text.encode("utf-8")
        self._chunks = []
        flags = _CHARS_UTF8 | (_PHONEMES if phonemes else 0)
        status = self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, flags,
                                       None, None)
        if status != 0:
            raise EngineError(f"eSpeak NG synthesis failed (status {status})")
        pcm = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return pcm.astype(np.float32) / 32768.0


@lru_cache(maxsize=1)
def _library() -> _Library:
    return _Library()


class EspeakEngine(TTSModelBase):
    model_id = "espeak"
    sample_rate = 22050
    speed_range = (0.5, 2.5)  # 80-450 words a minute, eSpeak's usable range
    phoneme_alphabet = "x-espeak"

    def load(self, device: str = "cpu") -> None:
        with _LOCK:
            _library()
        self.device = "cpu"

    def unload(self) -> None:
        # The C library cannot be unloaded from a process; it holds no model weights to free.
        self.device = None

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        with _LOCK:
            return _library().voices()

    @classmethod
    def default_voice(cls) -> str:
        return "en-us"

    def generate(self, request: GenerateRequest) -> GenerateResult:
        self.require_loaded()
        voice = self.resolve_voice(request.voice)
        rate = round(_DEFAULT_RATE_WPM * request.speed)
        pitch = int(np.clip(50 * request.pitch, 0, 99))
        with _LOCK:
            audio = _library().synthesize(request.text, voice, rate, pitch,
                                          request.inline_phonemes)
        return GenerateResult(audio, self.sample_rate)
