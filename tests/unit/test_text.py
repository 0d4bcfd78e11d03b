"""Sentence splitting and click-free joining of synthesised segments."""

from __future__ import annotations

import numpy as np
import pytest

from openspeakers.audio.text import join_segments, smooth_edges, split_sentences


def test_basic_sentences_keep_their_punctuation() -> None:
    assert split_sentences("Hello there. How are you? I'm fine! Great… Bye.") == [
        "Hello there.",
        "How are you?",
        "I'm fine!",
        "Great…",
        "Bye.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Mrs. Jones and Dr. Who on St. Mark's road. They left.",
            ["Mr. Smith met Mrs. Jones and Dr. Who on St. Mark's road.", "They left."],
        ),
        (
            "Bring fruit, e.g. Apples, i.e. Red ones, etc. Then go. Cats vs. Dogs is old.",
            ["Bring fruit, e.g. Apples, i.e. Red ones, etc. Then go.", "Cats vs. Dogs is old."],
        ),
        ("Pi is 3.14 roughly. It costs $2.50 now.", ["Pi is 3.14 roughly.", "It costs $2.50 now."]),
        (
            "J. R. R. Tolkien wrote it. The U.S. Army read it.",
            ["J. R. R. Tolkien wrote it.", "The U.S. Army read it."],
        ),
        (
            'He said "Stop!" Then he left. She asked "why?" and cried.',
            ['He said "Stop!"', "Then he left.", 'She asked "why?" and cried.'],
        ),
    ],
)
def test_no_split_on_abbreviations_decimals_initials(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_cjk_punctuation() -> None:
    assert split_sentences("你好。今天天气很好！你呢？我很好") == [
        "你好。",
        "今天天气很好！",
        "你呢？",
        "我很好",
    ]
    assert split_sentences("こんにちは。元気ですか？") == ["こんにちは。", "元気ですか？"]


def test_newlines_split_and_blank_pieces_dropped() -> None:
    text = "Title\nFirst line.\n\n   \n\tSecond line  \r\nThird. Fourth."
    assert split_sentences(text) == ["Title", "First line.", "Second line", "Third.", "Fourth."]
    assert split_sentences("  \n\n \t ") == []
    assert split_sentences("") == []


def test_long_sentence_prefers_clause_breaks() -> None:
    sentence = "alpha beta gamma, delta epsilon zeta; eta theta iota: kappa lambda mu."
    pieces = split_sentences(sentence, max_chars=40)
    assert all(len(p) <= 40 for p in pieces)
    assert pieces == ["alpha beta gamma, delta epsilon zeta;", "eta theta iota: kappa lambda mu."]


def test_long_sentence_without_punctuation_splits_at_whitespace() -> None:
    sentence = " ".join(["word"] * 200)
    pieces = split_sentences(sentence, max_chars=50)
    assert all(0 < len(p) <= 50 for p in pieces)
    assert all(p.split() == ["word"] * len(p.split()) for p in pieces)  # no word was cut
    assert " ".join(pieces).split() == sentence.split()


def test_single_overlong_word_is_cut() -> None:
    pieces = split_sentences("x" * 25 + " tail", max_chars=10)
    assert pieces == ["x" * 10, "x" * 10, "x" * 5, "tail"]


def _random_text(rng: np.random.Generator) -> str:
    vocab = ["the", "quick", "brown", "fox", "Dr.", "e.g.", "3.14", "jumps", "over", "lazy"]
    vocab += ["dog", "Mr.", "Smith", "U.S.", "hello", "world", "it's", "naïve", "über"]
    enders = [".", "!", "?", "…", ",", ";", ":", "", "", "", "", ""]
    words = []
    for _ in range(rng.integers(0, 400)):
        words.append(str(rng.choice(vocab)) + str(rng.choice(enders)))
        if rng.random() < 0.05:
            words.append("\n")
    return " ".join(words)


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("max_chars", [20, 60, 300])
def test_words_preserved_in_order_and_length_bounded(seed: int, max_chars: int) -> None:
    text = _random_text(np.random.default_rng(seed))
    pieces = split_sentences(text, max_chars=max_chars)
    assert " ".join(pieces).split() == text.split()
    assert all(p == p.strip() and p for p in pieces)
    assert all(len(p) <= max_chars for p in pieces)


def test_smooth_edges_starts_and_ends_at_zero() -> None:
    x = np.full(1000, 0.8, dtype=np.float32)
    y = smooth_edges(x, 24000, fade_ms=8.0)
    assert y.dtype == np.float32
    assert y[0] == 0.0 and abs(y[-1]) < 1e-3
    assert np.all(y[192:-192] == np.float32(0.8))  # middle untouched (8 ms at 24 kHz)
    assert np.all(np.diff(y[:192]) >= 0)  # monotonic fade in
    np.testing.assert_array_equal(x, np.full(1000, 0.8, dtype=np.float32))  # input not mutated
    assert smooth_edges(np.array([0.5], dtype=np.float32), 24000).shape == (1,)  # tiny input ok


@pytest.mark.parametrize("sample_rate", [22050, 24000])
def test_join_segments_has_no_clicks(sample_rate: int) -> None:
    def sine(n: int, phase: float) -> np.ndarray:
        t = np.arange(n) / sample_rate
        return (0.9 * np.sin(2 * np.pi * 440 * t + phase)).astype(np.float32)

    # Segments cut at non-zero phase: they start and end near +-0.9.
    a, b = sine(5003, 1.3), sine(4001, 2.2)
    inner = float(np.max(np.abs(np.diff(a))))
    pause = round(0.12 * sample_rate)

    naive = np.concatenate([a, np.zeros(pause, np.float32), b])
    assert np.max(np.abs(np.diff(naive))) > 3 * inner  # without smoothing there IS a click

    joined = join_segments([a, b], sample_rate, pause_s=0.12, fade_ms=8.0)
    assert joined.dtype == np.float32
    assert joined.size == a.size + pause + b.size
    assert np.max(np.abs(np.diff(joined))) <= inner + 1e-6
    assert joined[0] == 0.0 and np.all(joined[a.size : a.size + pause] == 0.0)


def test_join_segments_edge_cases() -> None:
    assert join_segments([], 24000).size == 0
    one = join_segments([np.ones(100, np.float32)], 24000, pause_s=0.5)
    assert one.size == 100
