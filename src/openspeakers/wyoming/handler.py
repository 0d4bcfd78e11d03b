"""One Wyoming connection: events in, jobs through the job service, audio events out.

The read loop never waits for audio: `synthesize` submits its job and returns, and a `Reply`
task writes the audio. So a client that hangs up is noticed at once (end of stream), and
every job of the connection that has not finished is cancelled.

Errors: a request the job service refuses (empty or over-long text, an engine that cannot run)
or a malformed event gets an `error` event, after which the connection is closed (as
wyoming-piper does; Home Assistant then reports the failure instead of waiting). An unknown
voice is not an error: see `voices.py`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from wyoming.error import Error
from wyoming.event import Event, Eventable
from wyoming.info import Describe, SelectProgram
from wyoming.ping import Ping, Pong
from wyoming.server import AsyncEventHandler
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeVoice,
)

from openspeakers.api.context import AppContext
from openspeakers.config import Settings
from openspeakers.engines.base import InvalidRequestError
from openspeakers.engines.registry import UnknownModelError
from openspeakers.jobs.listen import submit
from openspeakers.jobs.service import JobSpec, ModelUnavailableError
from openspeakers.wyoming.catalog import CatalogCache
from openspeakers.wyoming.events import MalformedEventError, parse_event
from openspeakers.wyoming.info import build_info
from openspeakers.wyoming.reply import Reply
from openspeakers.wyoming.sentences import SentenceBuffer
from openspeakers.wyoming.voices import NoEngineError, VoiceChoice, choose_voice

log = logging.getLogger(__name__)

_REFUSED: dict[type[Exception], str] = {
    MalformedEventError: "malformed-event", InvalidRequestError: "invalid-request",
    ModelUnavailableError: "model-unavailable", UnknownModelError: "unknown-model",
    NoEngineError: "no-engine"}
_REFUSED_TYPES = tuple(_REFUSED)


@dataclass
class _Stream:
    """An open `synthesize-start`: its voice, the text not yet spoken, its reply."""

    choice: VoiceChoice
    text: SentenceBuffer
    reply: Reply


class WyomingHandler(AsyncEventHandler):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                 context: AppContext, catalog: CatalogCache) -> None:
        super().__init__(reader, writer)
        self._context = context
        self._catalog = catalog
        self._program: str | None = None
        self._stream: _Stream | None = None
        self._replies: list[Reply] = []
        self.peer = str(writer.get_extra_info("peername") or "client")
        self.closed = asyncio.Event()

    async def run(self) -> None:
        """Serve the connection; nothing a client sends or does escapes this method."""
        log.debug("wyoming: %s connected", self.peer)
        try:
            await super().run()
        except (ConnectionError, OSError) as exc:
            log.info("wyoming: connection to %s lost: %s", self.peer, exc)
        except (EOFError, ValueError, TypeError, AttributeError, asyncio.LimitOverrunError
                ) as exc:  # raised by wyoming's reader on a broken event stream
            log.warning("wyoming: %s sent a malformed event stream (%s: %s); connection "
                        "closed", self.peer, type(exc).__name__, exc)
        except Exception:
            log.exception("wyoming: connection to %s failed", self.peer)
        finally:
            self.closed.set()
            log.debug("wyoming: %s disconnected", self.peer)

    async def handle_event(self, event: Event) -> bool:
        try:
            message = parse_event(event)
            if message is None:
                log.debug("wyoming: ignoring '%s' event", event.type)
                return True
            await self._dispatch(message)
            return True
        except _REFUSED_TYPES as exc:
            code = next(c for kind, c in _REFUSED.items() if isinstance(exc, kind))
            log.warning("wyoming: refused '%s' from %s: %s", event.type, self.peer, exc)
            await self._send_error(str(exc), code)
            return False
        except (ConnectionError, OSError):
            return False
        except Exception as exc:
            log.exception("wyoming: '%s' event failed", event.type)
            await self._send_error(f"internal error: {type(exc).__name__}", "internal-error")
            return False

    async def disconnect(self) -> None:
        """End of the connection (client gone, error, or server stopping): cancel its jobs."""
        replies, self._replies, self._stream = self._replies, [], None
        await asyncio.gather(*(reply.abort() for reply in replies))

    # events --------------------------------------------------------------------------------
    async def _dispatch(self, message: Eventable) -> None:
        if isinstance(message, Describe):
            catalog = await self._catalog.get(fresh=True)
            await self.write_event(build_info(catalog).event())
        elif isinstance(message, SelectProgram):
            await self._select_program(message.name)
        elif isinstance(message, Ping):
            await self.write_event(Pong(text=message.text).event())
        elif isinstance(message, Synthesize):
            if self._stream is None:
                await self._synthesize(message)
            # else: Home Assistant repeats the streamed text as one `synthesize` for servers
            # without streaming; spoken already, so ignored (as wyoming-piper does).
        elif isinstance(message, SynthesizeStart):
            if self._stream is not None:
                await self._end_stream(self._stream)
            await self._start_stream(message.voice)
        elif isinstance(message, SynthesizeChunk):
            stream = self._stream
            if stream is None:
                log.warning("wyoming: 'synthesize-chunk' without 'synthesize-start' from %s;"
                            " starting a stream with the default voice", self.peer)
                stream = await self._start_stream(None)
            await self._stream_text(stream, message.text)
        elif isinstance(message, SynthesizeStop):
            if self._stream is None:
                await self.write_event(SynthesizeStopped().event())
            else:
                await self._end_stream(self._stream)

    async def _select_program(self, name: str) -> None:
        catalog = await self._catalog.get()
        if catalog.get(name) is None:
            log.warning("wyoming: %s selected unknown program '%s'; keeping the default",
                        self.peer, name)
        else:
            self._program = name

    async def _synthesize(self, message: Synthesize) -> None:
        choice = await self._choose(message.voice)
        job = await submit(self._context.jobs, _spec(message.text, choice,
                                                       self._context.settings))
        reply = self._new_reply(streaming=False, sample_rate=choice.engine.sample_rate)
        reply.add(job)
        reply.finish()

    async def _start_stream(self, voice: SynthesizeVoice | None) -> _Stream:
        choice = await self._choose(voice)
        self._stream = _Stream(choice, SentenceBuffer(), self._new_reply(
            streaming=True, sample_rate=choice.engine.sample_rate))
        return self._stream

    async def _stream_text(self, stream: _Stream, text: str) -> None:
        for sentence in stream.text.add(text):
            await self._speak(stream, sentence)

    async def _end_stream(self, stream: _Stream) -> None:
        for sentence in stream.text.finish():
            await self._speak(stream, sentence)
        stream.reply.finish()
        self._stream = None

    async def _speak(self, stream: _Stream, sentence: str) -> None:
        """One job per sentence, submitted as soon as the sentence is complete."""
        stream.reply.add(await submit(self._context.jobs, _spec(sentence, stream.choice,
                                                                   self._context.settings)))

    # helpers -------------------------------------------------------------------------------
    async def _choose(self, voice: SynthesizeVoice | None) -> VoiceChoice:
        choice = choose_voice(await self._catalog.get(), voice, self._program)
        if choice.warning:
            log.warning("wyoming: %s", choice.warning)
        return choice

    def _new_reply(self, *, streaming: bool, sample_rate: int) -> Reply:
        self._replies = [reply for reply in self._replies if not reply.done]
        reply = Reply(self.write_event, streaming=streaming, sample_rate=sample_rate,
                      after=self._replies[-1] if self._replies else None, on_error=self.stop)
        self._replies.append(reply)
        return reply

    async def _send_error(self, text: str, code: str) -> None:
        try:
            await self.write_event(Error(text=text, code=code).event())
        except (ConnectionError, OSError):
            pass


def _spec(text: str, choice: VoiceChoice, settings: Settings) -> JobSpec:
    """WYOMING_NORMALIZE decides text normalisation (Home Assistant sends no options)."""
    return JobSpec(text=text, model_id=choice.model_id, voice=choice.voice, format="wav",
                   normalize=settings.wyoming_normalize)
