"""The Wyoming TTS service over an `AppContext`: alongside the HTTP API or on its own."""

from __future__ import annotations

import asyncio
import importlib.util
import ipaddress
import logging
import signal
from urllib.parse import urlparse

from wyoming.server import AsyncServer, AsyncTcpServer, AsyncUnixServer

from openspeakers.api.context import AppContext
from openspeakers.wyoming.catalog import CatalogCache
from openspeakers.wyoming.handler import WyomingHandler

log = logging.getLogger(__name__)


class ZeroconfUnavailableError(RuntimeError):
    """--zeroconf was asked for, but the optional `zeroconf` package is not installed."""


class WyomingServer:
    def __init__(self, context: AppContext, uri: str) -> None:
        self.context = context
        self.uri = uri
        self._catalog = CatalogCache(context.registry, context.settings,
                                     context.jobs.availability)
        self._server: AsyncServer | None = None
        self._handlers: set[WyomingHandler] = set()

    async def start(self) -> None:
        """Listen on `uri` (tcp://HOST:PORT or unix://PATH); raises if it cannot."""
        server = AsyncServer.from_uri(self.uri)
        if not isinstance(server, AsyncTcpServer | AsyncUnixServer):
            raise ValueError(f"Wyoming URI '{self.uri}': use tcp://HOST:PORT or unix://PATH")
        catalog = await self._catalog.get()  # engines imported, voices listed: before clients
        await server.start(self._new_handler)
        self._server = server
        log.info("Wyoming server on %s: %s", self.uri,
                 ", ".join(e.id for e in catalog.engines) or "no engine available")

    def _new_handler(self, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> WyomingHandler:
        self._handlers = {h for h in self._handlers if not h.closed.is_set()}
        handler = WyomingHandler(reader, writer, context=self.context, catalog=self._catalog)
        self._handlers.add(handler)
        return handler

    async def stop(self, grace_s: float = 10.0) -> None:
        """Stop listening, end every connection and wait (bounded) until their jobs are
        cancelled, so nothing started over Wyoming outlives the server."""
        server, self._server = self._server, None
        if server is None:
            return
        await server.stop()
        waits = [asyncio.ensure_future(h.closed.wait()) for h in self._handlers
                 if not h.closed.is_set()]
        if waits:
            _, pending = await asyncio.wait(waits, timeout=grace_s)
            for wait in pending:
                wait.cancel()
        log.info("Wyoming server on %s stopped", self.uri)


def check_zeroconf(uri: str) -> None:
    """Raise, with what to do, unless a zeroconf announcement of `uri` can be made."""
    if urlparse(uri).scheme != "tcp":
        raise ZeroconfUnavailableError("zeroconf announces TCP servers only (tcp://HOST:PORT)")
    if importlib.util.find_spec("zeroconf") is None:
        raise ZeroconfUnavailableError("zeroconf announcement needs the optional 'zeroconf' "
                                       "package: pip install zeroconf")


async def announce(uri: str, name: str) -> None:
    """Announce the server over mDNS as `_wyoming._tcp`, for Home Assistant's discovery."""
    check_zeroconf(uri)
    from wyoming.zeroconf import HomeAssistantZeroconf  # imports `zeroconf`: optional

    address = urlparse(uri)
    host = address.hostname
    if host and _unspecified(host):
        host = None  # listening everywhere: announce the address of the default route
    await HomeAssistantZeroconf(port=address.port or 10200, name=name,
                                host=host).register_server()
    log.info("Wyoming server announced over zeroconf as '%s'", name)


def _unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a host name
        return False


async def serve_until_stopped(context: AppContext, uri: str,
                              zeroconf_name: str | None = None) -> None:
    """Serve until SIGINT or SIGTERM (`openspeakers wyoming`)."""
    server = WyomingServer(context, uri)
    await server.start()
    try:
        if zeroconf_name:
            await announce(uri, zeroconf_name)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await server.stop()
