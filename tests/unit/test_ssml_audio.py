"""Each SSML tag and lexicon entry changes the audio of a real engine as claimed: breaks and
rates by duration, the rest by what a speech recogniser hears (tests/helpers.transcribe)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from openspeakers.audio.encoding import encode
from openspeakers.config import Settings
from openspeakers.engines.base import SENTENCE_PAUSE_S, GenerateRequest, TTSModelBase
from openspeakers.engines.registry import load_registry
from openspeakers.engines.speech import plan, stream
from openspeakers.text.lexicon import Entry
from tests.helpers import ESPEAK_TEXT, transcribe, words

STEADY = {"noise_scale": 0.0, "noise_w_scale": 0.0}
"""Piper without its random variation: the same text gives the same duration every time."""


@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, TTSModelBase]]:
    registry = load_registry(Settings().models_config)
    loaded = {model_id: registry.get(model_id).create() for model_id in ("piper", "espeak")}
    for engine in loaded.values():
        engine.load("cpu")
    yield loaded
    for engine in loaded.values():
        engine.unload()


def render(engine: TTSModelBase, model_id: str, text: str,
           entries: tuple[Entry, ...] = ()) -> tuple[np.ndarray, int]:
    params = STEADY if model_id == "piper" else {}
    chunks = list(stream(engine, GenerateRequest(text=text, params=params),
                         plan(text, type(engine), model_id, entries)))
    return np.concatenate([c.audio for c in chunks]), chunks[-1].sample_rate


def seconds(engine: TTSModelBase, model_id: str, text: str) -> float:
    audio, rate = render(engine, model_id, text)
    return len(audio) / rate


def heard(engine: TTSModelBase, model_id: str, text: str,
          entries: tuple[Entry, ...] = ()) -> list[str]:
    audio, rate = render(engine, model_id, text, entries)
    return words(transcribe(encode(audio, rate, "wav")))


def longest_silence(audio: np.ndarray, rate: int) -> float:
    quiet = np.abs(audio) < 1e-3
    best = run = 0
    for value in quiet:
        run = run + 1 if value else 0
        best = max(best, run)
    return best / rate


@pytest.mark.parametrize("model_id", ["piper", "espeak"])
def test_a_one_second_break_is_a_one_second_pause(engines: dict[str, TTSModelBase],
                                                  model_id: str) -> None:
    engine = engines[model_id]
    plain = seconds(engine, model_id, "The cat sat down. The dog ran off.")
    text = '<speak>The cat sat down. <break time="1s"/> The dog ran off.</speak>'
    audio, rate = render(engine, model_id, text)
    # the break replaces the usual pause between the two sentences
    assert len(audio) / rate - plain == pytest.approx(1.0 - SENTENCE_PAUSE_S, abs=0.05)
    assert 1.0 <= longest_silence(audio, rate) <= 1.4


def test_a_break_inside_a_sentence_and_its_strengths(engines: dict[str, TTSModelBase]) -> None:
    piper = engines["piper"]
    plain = seconds(piper, "piper", "Hello world.")
    half = seconds(piper, "piper", '<speak>Hello <break time="500ms"/> world.</speak>')
    strong = seconds(piper, "piper", '<speak>Hello <break strength="x-strong"/> world.</speak>')
    assert 0.5 <= half - plain <= 0.9
    assert strong - half == pytest.approx(1.2 - 0.5, abs=0.05)


def test_prosody_rate_slows_only_its_own_words(engines: dict[str, TTSModelBase]) -> None:
    piper = engines["piper"]
    normal = seconds(piper, "piper", "The quick brown fox jumps over the lazy dog.")
    slow = seconds(piper, "piper", '<speak><prosody rate="50%">The quick brown fox jumps over '
                                   "the lazy dog.</prosody></speak>")
    fast = seconds(piper, "piper", '<speak><prosody rate="x-fast">The quick brown fox jumps '
                                   "over the lazy dog.</prosody></speak>")
    assert 1.7 <= slow / normal <= 2.3
    assert 0.55 <= fast / normal <= 0.8


def test_a_rate_beyond_the_engines_own_speeds_is_a_tempo_change(
        engines: dict[str, TTSModelBase]) -> None:
    espeak = engines["espeak"]  # renders 0.5-2.5x itself; 0.3x is stretched afterwards
    assert type(espeak).speed_range[0] > 0.3
    normal = seconds(espeak, "espeak", ESPEAK_TEXT)
    slow = seconds(espeak, "espeak", f'<speak><prosody rate="30%">{ESPEAK_TEXT}</prosody></speak>')
    assert slow / normal == pytest.approx(1 / 0.3, rel=0.1)


def test_sub_alias_is_what_is_said(engines: dict[str, TTSModelBase]) -> None:
    said = heard(engines["piper"], "piper", '<speak>Open the <sub alias="door">window</sub> '
                                            "and let the fresh air in.</speak>")
    assert "door" in said and "window" not in said


@pytest.mark.parametrize(("sentence", "kind", "written", "tagged_words"), [
    ("He came {} in the race.", "ordinal", "3", {"third"}),
    ("The letters {}.", "characters", "CAT", {"c", "a", "t"}),
])
def test_say_as_changes_what_is_heard(engines: dict[str, TTSModelBase], sentence: str,
                                      kind: str, written: str, tagged_words: set[str]) -> None:
    piper = engines["piper"]
    plain = heard(piper, "piper", sentence.format(written))
    markup = f'<say-as interpret-as="{kind}">{written}</say-as>'
    tagged = heard(piper, "piper", f"<speak>{sentence.format(markup)}</speak>")
    assert tagged_words <= set(tagged) and not set(plain) & tagged_words


def test_phonemes_are_spoken_by_piper(engines: dict[str, TTSModelBase]) -> None:
    assert "potato" in heard(engines["piper"], "piper", "I like potato soup.")
    said = heard(engines["piper"], "piper",
                 '<speak>I like <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">potato</phoneme> '
                 "soup.</speak>")
    assert "tomato" in said and "potato" not in said


def test_espeak_phonemes_in_its_own_alphabet(engines: dict[str, TTSModelBase]) -> None:
    espeak = engines["espeak"]
    text = ESPEAK_TEXT.replace("window", '<phoneme alphabet="x-espeak" ph="d\'o@">window'
                                         "</phoneme>")
    said = heard(espeak, "espeak", f"<speak>{text}</speak>")
    assert "door" in said and "window" not in said


@pytest.mark.parametrize("model_id", ["piper", "espeak"])
def test_a_lexicon_replacement_changes_the_words(engines: dict[str, TTSModelBase],
                                                 model_id: str) -> None:
    said = heard(engines[model_id], model_id, ESPEAK_TEXT,
                 (Entry("WINDOW", replacement="door"),))
    assert "door" in said and "window" not in said


def test_lexicon_phonemes_per_engine_alphabet(engines: dict[str, TTSModelBase]) -> None:
    entries = (Entry("potato", phonemes="təˈmɑːtoʊ"),)
    assert "tomato" in heard(engines["piper"], "piper", "I like potato soup.", entries)
    espeak_entries = (Entry("window", phonemes="d'o@", alphabet="x-espeak"),)
    said = heard(engines["espeak"], "espeak", ESPEAK_TEXT, espeak_entries)
    assert "door" in said and "window" not in said


def test_phonemes_are_spoken_by_kokoro() -> None:
    registry = load_registry(Settings().models_config)
    kokoro = registry.get("kokoro").create()
    kokoro.load("cpu")
    try:
        assert "potato" in heard(kokoro, "kokoro", "I like potato soup.")
        said = heard(kokoro, "kokoro", '<speak>I like <phoneme ph="təmˈɑːtoʊ">potato</phoneme> '
                                       "soup.</speak>")
        assert "tomato" in said and "potato" not in said
    finally:
        kokoro.unload()
