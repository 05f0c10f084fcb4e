"""The FastAPI application over a studio: thin routes, one error format, docs at /docs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from gateway.config import Gateway
from gateway.problems import document_problems, install_problem_handlers
from gateway.routes import (
    admin,
    admin_salesforce,
    artifacts,
    auth,
    billing,
    catalog,
    characters,
    credits,
    films,
    health,
    notifications,
    projects,
    uploads,
    web,
    youtube,
)
from gateway.security import Passwords, Tokens
from infra.container import Studio

TAGS = [
    {"name": "auth", "description": "Accounts and sessions: register, log in, refresh and log out."},
    {"name": "projects", "description": "Scripts with their film settings, and generating films from them."},
    {"name": "films", "description": "A film's status, live progress and cancellation."},
    {"name": "artifacts", "description": "Downloading the files a film produced."},
    {"name": "admin", "description": "Administrators only: films, accounts and suspension, the moderation queue."},
    {"name": "health", "description": "Liveness and readiness probes for load balancers and orchestrators."},
    {"name": "notifications", "description": "My notifications feed and which e-mails I get, in my language."},
    {"name": "catalog", "description": "Starter scripts, voices and music with previews; script and music uploads."},
    {"name": "billing", "description": "Stripe Checkout for top-ups and plans, plan changes, invoices, webhooks."},
    {"name": "credits", "description": "My credit balance, history, usage per day and what a film would cost."},
    {"name": "plans", "description": "The plan catalogue: prices, monthly credits, limits, top-ups, cancel policy."},
    {"name": "uploads", "description": "My pictures (character photos, backdrops) and narration, checked and kept as mine."},
    {"name": "youtube", "description": "Connect a YouTube channel, playlists, and publishing films to it."},
    {"name": "characters", "description": "My character library: saved looks or photos and voices, every version kept."},
]

DESCRIPTION = """Turn a script into a finished film.

Writes answer **202** with a `position`; send it back as `X-Min-Position` (or `?min_position=`) on a read
to see your own write. Send an `Idempotency-Key` (a UUID) with a write to make retries safe.
Every error is `application/problem+json`.
"""


def create_app(
    studio: Studio,
    *,
    cors_origins: Sequence[str] = (),
    password_hasher: PasswordHasher | None = None,
    tokens: Tokens | None = None,
    read_wait_seconds: float = 5.0,
    stream_poll_seconds: float = 0.2,
) -> FastAPI:
    """The HTTP API over a built studio (the caller starts and stops the studio itself)."""
    app = FastAPI(
        title="AI Film Studio",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.gateway = Gateway(
        studio=studio,
        tokens=tokens or Tokens.from_settings(studio.settings),
        passwords=Passwords(password_hasher),
        read_wait_seconds=read_wait_seconds,
        stream_poll_seconds=stream_poll_seconds,
    )
    install_problem_handlers(app)
    if cors_origins:
        # Off unless asked for: the web app is served from the same origin.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Location"],
        )
    for router in (auth.router, projects.router, films.router, artifacts.router, admin.router, health.router):
        app.include_router(router)
    app.include_router(notifications.router)
    app.include_router(admin_salesforce.router)
    app.include_router(catalog.router)
    app.include_router(billing.router)
    app.include_router(credits.router)
    app.include_router(youtube.router)
    app.include_router(uploads.router)
    app.include_router(characters.router)
    app.include_router(web.router)  # the web app: every path outside /api that no route took
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
