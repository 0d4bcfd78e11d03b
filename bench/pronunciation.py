"""What SSML and the lexicon cost before the first audio: the plan (parse + lexicon) per job,
and Piper's time to its first chunk for plain text vs. the same words as SSML with a lexicon.

Plans are made in the worker for every job (jobs/pronunciation.py), so their cost adds to the
time to first audio. Writes bench/results/pronunciation.{json,md}.

    .venv/bin/python -m bench.pronunciation [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.common import write_table
from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry
from openspeakers.engines.speech import plan, stream
from openspeakers.runtime import Runtime
from openspeakers.text.lexicon import Entry

PLAIN = ("The front door is locked and the lights are off. Dr. Smith called at 3 pm about "
         "the 3rd invoice. Please call 555 123 4567 before Friday.")
SSML = ('<speak><p><s>The front door is locked <break time="300ms"/> and the lights are '
        'off.</s><s><sub alias="Doctor">Dr.</sub> Smith called at 3 pm about the '
        '<say-as interpret-as="ordinal">3</say-as> invoice.</s></p><p><prosody rate="slow">'
        'Please call <say-as interpret-as="telephone">5551234567</say-as></prosody> before '
        '<phoneme alphabet="ipa" ph="ˈfɹaɪdeɪ">Friday</phoneme>.</p></speak>')
LEXICON = tuple(Entry(f"word{i}", replacement=f"replacement {i}") for i in range(198)) + (
    Entry("invoice", replacement="bill"), Entry("lights", phonemes="laɪts"))


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return 1000 * statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    settings = Settings()
    engine = load_registry(settings.models_config, Runtime(settings)).get("piper").create()
    engine.load("cpu")
    cases = {"plain text, no lexicon": (PLAIN, ()),
             "plain text, 200 lexicon entries": (PLAIN, LEXICON),
             "SSML (8 tags), 200 lexicon entries": (SSML, LEXICON)}
    rows = []
    engine_class = type(engine)
    for name, (text, entries) in cases.items():
        def make_plan(text: str = text, entries: tuple[Entry, ...] = entries) -> object:
            return plan(text, engine_class, "piper", entries)

        def first_chunk(text: str = text, entries: tuple[Entry, ...] = entries) -> object:
            speech = plan(text, engine_class, "piper", entries)
            chunks = (engine.stream_generate(GenerateRequest(text=text))
                      if speech.plain(text) else stream(engine, GenerateRequest(text=text),
                                                        speech))
            return next(iter(chunks))

        rows.append({"case": name, "plan_ms": median_ms(make_plan, args.runs),
                     "first_chunk_ms": median_ms(first_chunk, max(5, args.runs // 5))})
    engine.unload()
    write_table("pronunciation", rows, [
        ("case", "case", "s"), ("plan (median ms)", "plan_ms", ".3f"),
        ("Piper first chunk incl. plan (median ms)", "first_chunk_ms", ".0f")])


if __name__ == "__main__":
    main()
