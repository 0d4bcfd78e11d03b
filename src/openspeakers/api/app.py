"""The FastAPI app factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path

from fastapi import Depends, FastAPI
from starlette.responses import FileResponse, HTMLResponse
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from openspeakers.api import docs, errors, openapi, redaction
from openspeakers.api.auth import AuditLog, DocsGuard, require_api_key
from openspeakers.api.context import AppContext
from openspeakers.api.paths import TrailingSlashOptional
from openspeakers.api.routers import history, lexicon, models, openai, system, tts, voices, ws
from openspeakers.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redaction.install_on(logging.getLogger("uvicorn"), logging.getLogger("uvicorn.access"))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context = AppContext.build(settings)
        app.state.context = context
        context.start()
        wyoming = None
        try:
            if settings.wyoming_uri:
                from openspeakers.wyoming import WyomingServer

                wyoming = WyomingServer(context, settings.wyoming_uri)
                await wyoming.start()
            # the loop's next turn: start-up is over and uvicorn binds its socket (warm() only
            # starts a thread, so it does not hold that up)
            asyncio.get_running_loop().call_soon(context.warm)
            yield
        finally:
            if wyoming is not None:
                await wyoming.stop()
            context.close()

    app = FastAPI(title="OpenSpeakers", version=version("openspeakers"), lifespan=lifespan,
                  description="Self-hosted text-to-speech: many engines, one API and job queue.",
                  docs_url=None, redoc_url=None, redirect_slashes=False)
    app.add_middleware(TrailingSlashOptional)
    errors.install(app)
    docs.install(app)
    openapi.install(app, settings)
    app.include_router(system.public)
    for router in (tts.router, history.router, models.router, voices.router, system.router,
                   openai.router, lexicon.router):
        app.include_router(router, dependencies=[Depends(require_api_key)],
                           responses=errors.documented_errors(openai=router is openai.router))
    if settings.audit_log:
        app.add_middleware(AuditLog)
    if settings.docs_require_key:
        app.add_middleware(DocsGuard)
    app.include_router(ws.router)  # checks keys itself (browsers cannot send headers there)
    _serve_ui(app)
    return app


UI_DIR = Path(__file__).resolve().parents[1] / "static"
"""The web UI's build output (frontend/, `make run` builds it; not in git)."""
_NOT_UI = ("/api", "/v1", "/ws", "/docs", "/redoc", "/openapi.json")
_NO_UI_PAGE = """<!doctype html><meta charset="utf-8"><title>OpenSpeakers</title>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>OpenSpeakers</h1><p>The API is running, but the web UI has not been built.</p>
<p>Build it with <code>make run</code> (needs Node.js and npm), or
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>, then reload this page.</p>
<p>The API documentation is at <a href="/docs">/docs</a>.</p></body>"""


def _serve_ui(app: FastAPI) -> None:
    """Serve the UI for every GET that no API route matched (the router's default), so it never
    shadows /api, /v1, /ws or the docs, and wrong methods on API paths still answer 405."""
    not_found: ASGIApp = app.router.default
    files = StaticFiles(directory=UI_DIR, check_dir=False)

    async def ui(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or any(path == p or path.startswith(p + "/") for p in _NOT_UI)):
            await not_found(scope, receive, send)
            return
        index = UI_DIR / "index.html"
        asset = (UI_DIR / path.lstrip("/")).resolve()
        if not index.is_file():
            response = HTMLResponse(_NO_UI_PAGE, status_code=200 if path == "/" else 404)
        elif path != "/" and asset.is_relative_to(UI_DIR) and asset.is_file():
            await files(scope, receive, send)
            return
        elif "." in path.rsplit("/", 1)[-1]:
            await not_found(scope, receive, send)  # a missing asset, not a page
            return
        else:  # a client-side route: the single-page app decides what to show
            response = FileResponse(index, headers={"Cache-Control": "no-cache"})
        await response(scope, receive, send)

    app.router.default = ui
