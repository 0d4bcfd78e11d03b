"""/docs (Swagger UI) and /redoc, served with their scripts from a pinned PyPI package.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they are blank on a machine without
internet. `fastapi-offline` (pinned in pyproject.toml) ships the same bundles; they are served
here from /docs/assets, and the pages load nothing from elsewhere: no Google fonts, no Swagger
validator badge, and a Content-Security-Policy that keeps ReDoc's footer logo (an image on its
CDN, hidden when it does not load) from being requested.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS = Path(str(files("fastapi_offline") / "static"))
"""swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png."""
ASSET_URL = "/docs/assets"
_SAME_ORIGIN_ONLY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                     "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                     "worker-src 'self' blob:; connect-src 'self'")


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = _SAME_ORIGIN_ONLY
    return page


def install(app: FastAPI) -> None:
    """Add /docs and /redoc (create the app with docs_url=None, redoc_url=None)."""
    app.mount(ASSET_URL, StaticFiles(directory=ASSETS), name="docs-assets")
    title = app.title
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return _offline(get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{title} - API",
            swagger_js_url=f"{ASSET_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSET_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSET_URL}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None}))

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _offline(get_redoc_html(openapi_url=openapi_url, title=f"{title} - ReDoc",
                                       redoc_js_url=f"{ASSET_URL}/redoc.standalone.js",
                                       redoc_favicon_url=f"{ASSET_URL}/favicon.png",
                                       with_google_fonts=False))
