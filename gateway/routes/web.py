"""The web studio: serves the built single-page app (web/dist) at `/`, after every API route."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
NOT_BUILT = (
    "The web studio is not built yet. Run `make setup` (or `cd web && npm ci && npm run build`), "
    "then reload. The API is at /api and its docs at /docs."
)


class PageRoute(APIRoute):
    """A route that never matches /api paths, so API routes included after it still answer them."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def _send(path: Path, request: Request, cache: str) -> Response:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding"}
    gz = path.with_name(path.name + ".gz")
    if "gzip" in request.headers.get("accept-encoding", "") and gz.is_file():
        return FileResponse(gz, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})
    return FileResponse(path, media_type=media_type, headers=headers)


def web_router(dist: Path = DIST) -> APIRouter:
    """Routes for the app in `dist`: hashed assets cached for a year, every other page gets index.html."""
    web = APIRouter(include_in_schema=False, route_class=PageRoute)
    root = dist.resolve()

    @web.get("/{path:path}")
    def page(path: str, request: Request) -> Response:
        index = root / "index.html"
        if not index.is_file():
            return PlainTextResponse(NOT_BUILT, status_code=503)
        if path:
            candidate = (root / path).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                cache = IMMUTABLE if path.startswith("assets/") else "public, max-age=300"
                return _send(candidate, request, cache)
            if path.startswith("assets/"):
                return PlainTextResponse("No such asset; reload the page to get the current build.", 404)
        return _send(index, request, "no-cache")

    return web


router = web_router()
