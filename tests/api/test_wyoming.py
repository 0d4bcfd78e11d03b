"""The Wyoming server, driven by the `wyoming` package's own client against running servers."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from wyoming.audio import AudioChunk, AudioStart
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event, async_read_event
from wyoming.info import Describe, Info, SelectProgram
from wyoming.ping import Ping
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeVoice,
)

from openspeakers.cli import main as cli_main
from openspeakers.config import Settings
from openspeakers.engines.availability import check_here
from openspeakers.engines.registry import load_registry
from openspeakers.wyoming.catalog import build_catalog
from openspeakers.wyoming.sentences import SentenceBuffer
from openspeakers.wyoming.voices import choose_voice
from tests.conftest import Server, free_port, make_server
from tests.helpers import transcribe, word_error_rate

READ_S = 120  # bound on waiting for one event: a hang fails the test, it never measures speed


@dataclass
class Wyoming:
    server: Server
    port: int

    def client(self) -> AsyncTcpClient:
        return AsyncTcpClient("127.0.0.1", self.port, connect_timeout=10, read_timeout=READ_S)


@pytest.fixture(scope="module")
def wyoming(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wyoming]:
    """`openspeakers serve` with WYOMING_URI: Wyoming and HTTP on one AppContext."""
    port = free_port()
    server = make_server(tmp_path_factory.mktemp("wyoming"),
                         WYOMING_URI=f"tcp://127.0.0.1:{port}").start()
    yield Wyoming(server, port)
    server.kill(signal.SIGTERM)


@dataclass
class Heard:
    """What a client received for one request."""

    types: list[str] = field(default_factory=list)
    start: AudioStart | None = None
    pcm: bytearray = field(default_factory=bytearray)
    error: Error | None = None

    def wav(self) -> bytes:
        assert self.start is not None
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setframerate(self.start.rate)
            wav.setsampwidth(self.start.width)
            wav.setnchannels(self.start.channels)
            wav.writeframes(bytes(self.pcm))
        return out.getvalue()

    def take(self, event: Event) -> None:
        if not self.types or self.types[-1] != event.type:
            self.types.append(event.type)
        if AudioStart.is_type(event.type):
            self.start = AudioStart.from_event(event)
        elif AudioChunk.is_type(event.type):
            chunk = AudioChunk.from_event(event)
            assert self.start is not None, "audio-chunk before audio-start"
            assert (chunk.rate, chunk.width, chunk.channels) == (self.start.rate, 2, 1)
            self.pcm += chunk.audio
        elif Error.is_type(event.type):
            self.error = Error.from_event(event)


async def read_until(client: AsyncTcpClient, heard: Heard, *last: str) -> Heard:
    while True:
        event = await client.read_event()
        if event is None:
            heard.types.append("<closed>")
            return heard
        heard.take(event)
        if event.type in last or Error.is_type(event.type):
            return heard


async def synthesize(wy: Wyoming, text: str, voice: SynthesizeVoice | None = None) -> Heard:
    async with wy.client() as client:
        await client.write_event(Synthesize(text=text, voice=voice).event())
        return await read_until(client, Heard(), "audio-stop")


def jobs_with(http: httpx.Client, text: str, **params: str) -> list[dict]:
    return http.get("/api/tts/jobs", params={"search": text, **params}).json()["items"]


def poll(check, timeout: float = 120.0):  # type: ignore[no-untyped-def]
    """Call `check` until it returns something truthy (bounded; a hang fails the test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"condition not met within {timeout} s")


# describe --------------------------------------------------------------------------------------
async def test_describe_lists_every_available_engine(wyoming: Wyoming) -> None:
    async with wyoming.client() as client:
        await client.write_event(Describe().event())
        event = await client.read_event()
    assert event is not None and Info.is_type(event.type)
    programs = {p.name: p for p in Info.from_event(event).tts}
    assert set(programs) == {"piper", "kokoro", "espeak"}, "orpheus & co. need a GPU"
    assert Info.from_event(event).tts[0].name == "piper", "the default model comes first"
    for program in programs.values():
        assert program.installed and program.supports_synthesize_streaming
        names = {v.name for v in program.voices}
        assert {f"{program.name}:alloy", f"{program.name}:cedar"} <= names, "OpenAI names"
        assert all(v.languages for v in program.voices)
    first = Info.from_event(event).tts[0]
    everything = {v.name for p in programs.values() for v in p.voices}
    assert {v.name for v in first.voices} == everything, (
        "Home Assistant reads only the first program: it carries every engine's voices")
    assert [v.name for v in first.voices][0] == "piper:joe", "its own voices first"
    assert {"kokoro:jf_alpha", "espeak:de", "espeak:alloy"} <= everything
    voices = {v.name: v for p in programs.values() for v in p.voices}
    assert voices["piper:joe"].languages == ["en-us"]
    assert set(voices["kokoro:jf_alpha"].languages) == {"ja", "en"}
    assert voices["espeak:de"].languages == ["de"]
    assert "jf_alpha" in voices["kokoro:alloy"].description


# synthesize ------------------------------------------------------------------------------------
async def test_synthesize_speaks_the_text_and_is_a_job(wyoming: Wyoming) -> None:
    text = "Please turn on the kitchen lights and close the garage door."
    heard = await synthesize(wyoming, text, SynthesizeVoice(name="piper:joe"))
    assert heard.types == ["audio-start", "audio-chunk", "audio-stop"]
    assert heard.start is not None and heard.start.rate == 22050
    assert word_error_rate(text, transcribe(heard.wav())) <= 0.2
    with wyoming.server.client() as http:
        [job] = jobs_with(http, text)
    assert (job["model_id"], job["voice"], job["status"]) == ("piper", "joe", "complete")


VOICE_CASES = {
    "a voice unique to one engine": (SynthesizeVoice(name="jf_nezumi"), "kokoro", "jf_nezumi"),
    "engine:voice": (SynthesizeVoice(name="kokoro:alloy"), "kokoro", "jf_alpha"),
    "an OpenAI name alone -> the default model": (SynthesizeVoice(name="echo"), "piper", "joe"),
    "engine + speaker": (SynthesizeVoice(name="espeak", speaker="de"), "espeak", "de"),
    "a language": (SynthesizeVoice(language="de"), "espeak", "de"),
    "an unknown voice falls back": (SynthesizeVoice(name="nobody"), "piper", "joe"),
    "an engine that cannot run falls back": (SynthesizeVoice(name="orpheus:tara"), "piper",
                                             "joe"),
}


@pytest.mark.parametrize("case", list(VOICE_CASES))
async def test_voice_selection(wyoming: Wyoming, case: str) -> None:
    voice, model_id, engine_voice = VOICE_CASES[case]
    text = f"Voice case {list(VOICE_CASES).index(case)} works."
    heard = await synthesize(wyoming, text, voice)
    assert heard.types[-1] == "audio-stop" and len(heard.pcm) > 4000
    with wyoming.server.client() as http:
        [job] = jobs_with(http, text)
    assert (job["model_id"], job["voice"]) == (model_id, engine_voice)


async def test_select_program_makes_an_engine_preferred(wyoming: Wyoming) -> None:
    text = "The selected program speaks."
    async with wyoming.client() as client:
        await client.write_event(SelectProgram(name="espeak").event())
        await client.write_event(Synthesize(text=text, voice=SynthesizeVoice(name="alloy"))
                                 .event())
        heard = await read_until(client, Heard(), "audio-stop")
    assert heard.types == ["audio-start", "audio-chunk", "audio-stop"]
    with wyoming.server.client() as http:
        [job] = jobs_with(http, text)
    assert (job["model_id"], job["voice"]) == ("espeak", "en-us"), "alloy, as eSpeak maps it"


async def test_empty_text_is_an_error_event(wyoming: Wyoming) -> None:
    heard = await synthesize(wyoming, "   ")
    assert heard.error is not None and heard.error.code == "invalid-request"
    assert "text is empty" in heard.error.text


# streaming -------------------------------------------------------------------------------------
async def test_streaming_speaks_before_the_text_ends(wyoming: Wyoming) -> None:
    first, second = "The porch light is now switched on.", "The front door stays locked."
    async with wyoming.client() as client:
        await client.write_event(SynthesizeStart(voice=SynthesizeVoice(name="piper:joe")).event())
        await client.write_event(SynthesizeChunk(text="The porch light is ").event())
        await client.write_event(SynthesizeChunk(text="now switched on. The front").event())
        await client.write_event(SynthesizeChunk(text=" door stays locked.").event())
        # The first sentence is complete (the next one has begun): its audio comes now.
        heard = await read_until(client, Heard(), "audio-chunk")
        assert heard.types == ["audio-start", "audio-chunk"], "audio before synthesize-stop"
        # As Home Assistant does: the whole text once more for old servers, then stop.
        await client.write_event(Synthesize(text=f"{first} {second}").event())
        await client.write_event(SynthesizeStop().event())
        await read_until(client, heard, "synthesize-stopped")
    assert heard.types == ["audio-start", "audio-chunk", "audio-stop", "synthesize-stopped"]
    assert word_error_rate(f"{first} {second}", transcribe(heard.wav())) <= 0.2
    with wyoming.server.client() as http:
        jobs = jobs_with(http, "The porch light") + jobs_with(http, "The front door")
    assert sorted(job["text"] for job in jobs) == sorted([first, second]), (
        "one job per sentence; the repeated full text is not spoken twice")


async def test_stop_without_start_answers_stopped(wyoming: Wyoming) -> None:
    async with wyoming.client() as client:
        await client.write_event(SynthesizeStop().event())
        heard = await read_until(client, Heard(), "synthesize-stopped")
    assert heard.types == ["synthesize-stopped"]


# clients that misbehave ------------------------------------------------------------------------
@pytest.mark.parametrize("streamed", [False, True], ids=["synthesize", "stream"])
async def test_disconnect_mid_synthesis_cancels_the_jobs(wyoming: Wyoming,
                                                         streamed: bool) -> None:
    marker = f"Hangup story {'alpha' if streamed else 'bravo'}"
    text = " ".join(f"{marker} sentence number {i} keeps the engine busy for a while."
                    for i in range(30))
    voice = SynthesizeVoice(name="kokoro:jf_alpha")
    async with wyoming.client() as client:
        if streamed:  # one job per sentence: 29 are submitted before the text ends
            await client.write_event(SynthesizeStart(voice=voice).event())
            await client.write_event(SynthesizeChunk(text=text).event())
        else:
            await client.write_event(Synthesize(text=text, voice=voice).event())
        await read_until(client, Heard(), "audio-chunk")
    # The client has gone: its jobs must end cancelled, and nothing may keep running.
    with wyoming.server.client() as http:
        def settled() -> list[dict] | None:
            jobs = jobs_with(http, marker, page_size="100")
            return jobs if all(j["status"] not in ("pending", "running") for j in jobs) else None

        jobs = poll(settled)
        assert len(jobs) == (29 if streamed else 1)
        assert any(j["status"] == "cancelled" for j in jobs)
        assert all(j["status"] in ("cancelled", "complete") for j in jobs)
        if not streamed:
            assert jobs[0]["status"] == "cancelled"
        poll(lambda: http.get("/api/tts/jobs", params={"status": "running"}).json()["total"]
             == 0)


async def raw_exchange(port: int, data: bytes) -> list[Event]:
    """Send raw bytes, close our side, and read what the server answers until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()
    events: list[Event] = []
    while (event := await asyncio.wait_for(async_read_event(reader), READ_S)) is not None:
        events.append(event)
    writer.close()
    return events


@pytest.mark.parametrize("data", [
    b"this is not json\n",
    b"[1, 2, 3]\n",
    b'{"type": "describe", "data_length": 500}\n{"short": ',
    b'{"type": "synthesize", "data": {"voice": {"name": "piper:joe"}}}\n',
    b'{"type": "synthesize", "data": {"text": 42}}\n',
    b'{"type": "synthesize", "data": {"text": "hi", "voice": "piper"}}\n',
    b'{"type": "synthesize-chunk", "data": "text"}\n',
], ids=["garbage", "array", "truncated", "no-text", "text-not-string", "voice-not-object",
        "data-not-object"])
async def test_malformed_events_do_not_kill_the_server(wyoming: Wyoming, data: bytes) -> None:
    events = await raw_exchange(wyoming.port, data)
    if b'"synthesize' in data:
        [event] = events
        assert Error.is_type(event.type) and event.data["code"] == "malformed-event"
    # The server is alive and still answers on a new connection.
    assert wyoming.server.process is not None and wyoming.server.process.poll() is None
    async with wyoming.client() as client:
        await client.write_event(Describe().event())
        event = await client.read_event()
    assert event is not None and Info.is_type(event.type)


async def test_unknown_events_are_ignored(wyoming: Wyoming) -> None:
    async with wyoming.client() as client:
        await client.write_event(Event(type="transcribe", data={"name": "x"}))
        await client.write_event(Ping(text="still there?").event())
        event = await client.read_event()
    assert event is not None and event.type == "pong" and event.data["text"] == "still there?"


# the standalone command ------------------------------------------------------------------------
def test_standalone_wyoming_command(tmp_path: Path) -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DATA_DIR=str(tmp_path / "data"), AUDIO_OUTPUT_DIR=str(tmp_path / "audio"),
               MODEL_CACHE_DIR=str(tmp_path / "cache"), PRELOAD_STANDBY="false")
    log = (tmp_path / "wyoming.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "openspeakers.cli", "wyoming", "--uri",
                                f"tcp://127.0.0.1:{port}"], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        async def describe() -> Info | None:
            try:
                async with AsyncTcpClient("127.0.0.1", port, read_timeout=READ_S) as client:
                    await client.write_event(Describe().event())
                    event = await client.read_event()
            except OSError:
                return None
            return Info.from_event(event) if event else None

        def ready() -> Info | None:
            if process.poll() is not None:
                raise AssertionError((tmp_path / "wyoming.log").read_text())
            return asyncio.run(describe())

        info = poll(ready, timeout=90)
        assert [p.name for p in info.tts] == ["piper", "kokoro", "espeak"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
    assert "Wyoming server on" in (tmp_path / "wyoming.log").read_text()


def test_zeroconf_without_the_package_says_what_to_install() -> None:
    if importlib.util.find_spec("zeroconf") is not None:
        pytest.skip("zeroconf is installed here")
    result = CliRunner().invoke(cli_main, ["wyoming", "--zeroconf", "--uri",
                                           f"tcp://127.0.0.1:{free_port()}"])
    assert result.exit_code != 0 and "pip install zeroconf" in result.output


# the pieces, without a server --------------------------------------------------------------------
def test_sentence_buffer_waits_for_the_next_sentence_to_begin() -> None:
    buffer = SentenceBuffer()
    assert buffer.add("Dr. Smith arrived at 3.") == []
    assert buffer.add("5 p.m. today. ") == [], "the sentence may still go on"
    assert buffer.add("Then") == ["Dr. Smith arrived at 3.5 p.m. today."]
    assert buffer.add(" he left! And so") == ["Then he left!"]
    assert buffer.finish() == ["And so"]
    assert buffer.finish() == []


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("catalog")
    settings = Settings(data_dir=root, audio_output_dir=root, model_cache_dir=root,
                        _env_file=None)  # type: ignore[call-arg]
    return build_catalog(load_registry(settings.models_config), settings,
                         lambda spec: check_here(spec, settings))


def test_voice_rule_prefers_the_selected_program(catalog) -> None:  # type: ignore[no-untyped-def]
    assert choose_voice(catalog, SynthesizeVoice(name="alloy")).model_id == "piper"
    chosen = choose_voice(catalog, SynthesizeVoice(name="alloy"), program="espeak")
    assert (chosen.model_id, chosen.voice, chosen.warning) == ("espeak", "alloy", None)
    assert choose_voice(catalog, None, program="kokoro").model_id == "kokoro"
    unknown = choose_voice(catalog, SynthesizeVoice(name="kokoro:ghost"))
    assert (unknown.model_id, unknown.voice) == ("kokoro", None)
    assert unknown.warning and "unknown voice 'ghost'" in unknown.warning
    assert json.dumps(catalog.unavailable)  # every unavailable engine says why
    assert "orpheus" in catalog.unavailable
