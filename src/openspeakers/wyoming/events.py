"""Incoming Wyoming events, parsed and checked before anything acts on them."""

from __future__ import annotations

from wyoming.event import Event, Eventable
from wyoming.info import Describe, SelectProgram
from wyoming.ping import Ping
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeVoice,
)

HANDLED: tuple[type[Eventable], ...] = (Describe, SelectProgram, Ping, Synthesize,
                                        SynthesizeStart, SynthesizeChunk, SynthesizeStop)


class MalformedEventError(ValueError):
    """A known event type whose data is missing or of the wrong type."""


def parse_event(event: Event) -> Eventable | None:
    """The event as its wyoming class, or None for types this server ignores (the protocol
    says to drop unknown events). Raises `MalformedEventError` with a message for the client."""
    for cls in HANDLED:
        if cls.is_type(event.type):
            try:
                if not isinstance(event.data, dict):
                    raise TypeError("data is not an object")
                if not isinstance(event.data.get("voice", {}), dict):
                    raise TypeError("'voice' must be an object")
                parsed = cls.from_event(event)
                _check(parsed)
            except KeyError as exc:
                raise MalformedEventError(f"malformed '{event.type}' event: missing "
                                          f"{exc}") from exc
            except (TypeError, AttributeError, ValueError) as exc:
                raise MalformedEventError(f"malformed '{event.type}' event: {exc}") from exc
            return parsed
    return None


def _check(parsed: Eventable) -> None:
    if isinstance(parsed, Synthesize | SynthesizeChunk) and not isinstance(parsed.text, str):
        raise TypeError("'text' must be a string")
    if isinstance(parsed, SelectProgram) and not isinstance(parsed.name, str):
        raise TypeError("'name' must be a string")
    voice = getattr(parsed, "voice", None)
    if isinstance(voice, SynthesizeVoice):
        for key in ("name", "language", "speaker"):
            if not isinstance(getattr(voice, key), str | None):
                raise TypeError(f"'voice.{key}' must be a string")
