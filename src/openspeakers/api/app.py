"""The FastAPI app factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import Depends, FastAPI

from openspeakers.api import errors
from openspeakers.api.auth import require_api_key
from openspeakers.api.context import AppContext
from openspeakers.api.routers import models, openai, system, tts, voices, ws
from openspeakers.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context = AppContext.build(settings)
        app.state.context = context
        context.start()
        try:
            yield
        finally:
            context.close()

    app = FastAPI(title="OpenSpeakers", version=version("openspeakers"), lifespan=lifespan,
                  description="Self-hosted text-to-speech: many engines, one API and job queue.")
    errors.install(app)
    app.include_router(system.public)
    for router in (tts.router, models.router, voices.router, system.router, openai.router):
        app.include_router(router, dependencies=[Depends(require_api_key)])
    app.include_router(ws.router)  # checks keys itself (browsers cannot send headers there)
    return app
