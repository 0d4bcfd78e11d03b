"""Tiny randomly initialised models run through the real adapters (no weights, no download).

These need an engine's packages, which live in its queue group's environment
(`make worker-env GROUP=...`); in any other environment the tests skip, naming what is missing.
Run them with e.g. `.venv-tts.dia/bin/python -m pytest tests/engines`, or every group's with
`make test-engines` (scripts/test_engines.py), which sets ENGINE_TESTS_REQUIRED=1: then a
missing package fails the test instead of skipping it.
On a CUDA machine each test also runs on `cuda:0`.
"""

from __future__ import annotations

import importlib.util
import os
import string
from typing import Any

import pytest


def need(*modules: str) -> None:
    """Skip unless every module is importable (checked without importing it)."""
    missing = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    if missing and os.environ.get("ENGINE_TESTS_REQUIRED"):
        pytest.fail(f"needs {', '.join(missing)}, which this group environment should have")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (the engine's worker environment: "
                    "make worker-env GROUP=...)")


def devices() -> list[str]:
    try:
        import torch
    except ImportError:
        return ["cpu"]
    return ["cpu", "cuda:0"] if torch.cuda.is_available() else ["cpu"]


@pytest.fixture(params=devices())
def device(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def tiny_tokenizer() -> Any:
    """A character-level fast tokenizer (ids < 110) standing in for the hub tokenizers."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {"[UNK]": 0, "[PAD]": 1, "</s>": 2}
    for char in string.printable:
        vocab.setdefault(char, len(vocab))
    special = {"unk_token": "[UNK]", "pad_token": "[PAD]", "eos_token": "</s>"}
    tok = Tokenizer(models.WordLevel(vocab, unk_token=special["unk_token"]))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), "isolated")
    return PreTrainedTokenizerFast(tokenizer_object=tok, **special)
