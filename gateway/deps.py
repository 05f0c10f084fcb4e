"""Route dependencies as `Annotated` aliases: the studio, the caller, commands and consistent reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID, uuid4, uuid5

import anyio.to_thread
from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from commands.bus import Outcome
from gateway import reads
from gateway.config import Gateway
from gateway.problems import AdminOnly, NotCaughtUp, Unauthenticated
from gateway.security import Claims, Passwords, Tokens
from infra.container import Studio
from projections.database import ViewDatabase
from schemas.commands import Command
from schemas.events import Role

IDEMPOTENCY_NAMESPACE = UUID("a4f0e3c2-7b1d-4e59-8c2a-3d6f1b9e0c47")


async def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


async def get_studio(gateway: GatewayDep) -> Studio:
    return gateway.studio


async def get_views(gateway: GatewayDep) -> ViewDatabase:
    return gateway.studio.views


async def get_tokens(gateway: GatewayDep) -> Tokens:
    return gateway.tokens


async def get_passwords(gateway: GatewayDep) -> Passwords:
    return gateway.passwords


StudioDep = Annotated[Studio, Depends(get_studio)]
ViewsDep = Annotated[ViewDatabase, Depends(get_views)]
TokensDep = Annotated[Tokens, Depends(get_tokens)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]


# --- read your writes -------------------------------------------------------------------------------


async def wait_for_position(
    gateway: GatewayDep,
    header: Annotated[
        int | None,
        Header(
            alias="X-Min-Position",
            ge=0,
            description="answer only once the read model has applied this position",
        ),
    ] = None,
    query: Annotated[
        int | None, Query(alias="min_position", ge=0, description="same as X-Min-Position")
    ] = None,
) -> int | None:
    """Blocks (up to the gateway's read wait) until the read model reaches the requested position.

    Every authenticated route depends on it through `CurrentUser`, before the caller's row is read.
    """
    wanted = max(p for p in (header, query, 0) if p is not None)
    if not wanted:
        return None
    caught_up = await anyio.to_thread.run_sync(
        gateway.studio.projector.wait_until, wanted, gateway.read_wait_seconds
    )
    if not caught_up:
        raise NotCaughtUp(
            f"The read model has not reached position {wanted} after {gateway.read_wait_seconds:g} s. "
            "Retry the request in a moment."
        )
    return wanted


# --- the caller -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """The authenticated account making the request, and the session its token belongs to."""

    id: UUID
    email: str
    display_name: str
    role: Role
    language: str
    session_id: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


bearer = HTTPBearer(auto_error=False, description="the access token from POST /api/auth/login")


NO_CREDENTIALS = "Send 'Authorization: Bearer <access token>'; get one from POST /api/auth/login."


async def current_caller(
    gateway: GatewayDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    _read_at: Annotated[int | None, Depends(wait_for_position)],
) -> Caller:
    """The caller of a valid access token whose session is still open (read at X-Min-Position, if sent)."""
    if credentials is None:
        raise Unauthenticated(NO_CREDENTIALS)
    return await session_caller(gateway, gateway.tokens.read(credentials.credentials, "access"))


async def link_or_bearer_caller(
    gateway: GatewayDep,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    _read_at: Annotated[int | None, Depends(wait_for_position)],
    token: Annotated[
        str | None,
        Query(description="a link token from a film's URLs, for clients that cannot send headers"),
    ] = None,
) -> Caller:
    """The caller of an access token, or of a link token made for exactly this path."""
    if credentials is not None:
        return await session_caller(gateway, gateway.tokens.read(credentials.credentials, "access"))
    if token is None:
        raise Unauthenticated(NO_CREDENTIALS)
    return await session_caller(gateway, gateway.tokens.read_link(token, request.url.path))


async def session_caller(gateway: Gateway, claims: Claims) -> Caller:
    """The account behind valid token claims, if the token's session is still open."""
    views = gateway.studio.views
    row = await reads.run(views, reads.session_account, views, claims.session_id)
    if row is None:
        # A session opened a moment ago may not be projected yet: let the read model catch up once.
        studio = gateway.studio
        await anyio.to_thread.run_sync(
            studio.projector.wait_until, studio.store.last_position(), gateway.read_wait_seconds
        )
        row = await reads.run(views, reads.session_account, views, claims.session_id)
    if row is None or not row["active"] or row["id"] != str(claims.account_id):
        raise Unauthenticated("This session has ended (logged out or replaced). Log in again.")
    return Caller(
        UUID(row["id"]), row["email"], row["display_name"], row["role"], row["language"], claims.session_id
    )


CurrentUser = Annotated[Caller, Depends(current_caller)]
LinkOrBearerUser = Annotated[Caller, Depends(link_or_bearer_caller)]


@dataclass(frozen=True)
class Links:
    """Makes URLs the caller can open without headers: the path plus a link token of their session."""

    tokens: Tokens
    caller: Caller

    def __call__(self, path: str) -> str:
        return f"{path}?token={self.tokens.link(self.caller.id, self.caller.session_id, path)}"


async def caller_links(gateway: GatewayDep, caller: CurrentUser) -> Links:
    return Links(gateway.tokens, caller)


LinksDep = Annotated[Links, Depends(caller_links)]


async def admin_caller(caller: CurrentUser) -> Caller:
    if not caller.is_admin:
        raise AdminOnly("This route is for administrators. Ask an administrator to run it for you.")
    return caller


AdminUser = Annotated[Caller, Depends(admin_caller)]


# --- commands ---------------------------------------------------------------------------------------

IdempotencyKey = Annotated[
    UUID | None,
    Header(
        alias="Idempotency-Key",
        description="a UUID per logical request; repeating it repeats the first answer and changes nothing",
    ),
]
CorrelationId = Annotated[
    UUID | None,
    Header(alias="X-Correlation-ID", description="a UUID that ties this request to others in traces"),
]


@dataclass(frozen=True)
class Commands:
    """Sends commands for one request: as its caller, with the client's idempotency key as the command id."""

    studio: Studio
    actor: str
    key: UUID | None
    correlation_id: UUID | None
    path: str = ""

    def command_id(self, scope: str) -> UUID:
        """The key, scoped to caller, command and target, so one key never replays another's answer."""
        if self.key is None:
            return uuid4()
        return uuid5(IDEMPOTENCY_NAMESPACE, f"{scope}:{self.key}")

    def send(self, command: Command, scope: str | None = None) -> Outcome:
        scope = scope or f"{self.actor}:{type(command).__name__}:{self.path}"
        command = command.model_copy(update={"command_id": self.command_id(scope)})
        return self.studio.bus.handle(command, actor=self.actor, correlation_id=self.correlation_id)


async def public_commands(
    studio: StudioDep, request: Request, key: IdempotencyKey = None, correlation: CorrelationId = None
) -> Commands:
    return Commands(studio, "anonymous", key, correlation, request.url.path)


async def caller_commands(
    studio: StudioDep,
    caller: CurrentUser,
    request: Request,
    key: IdempotencyKey = None,
    correlation: CorrelationId = None,
) -> Commands:
    return Commands(studio, str(caller.id), key, correlation, request.url.path)


PublicCommands = Annotated[Commands, Depends(public_commands)]
CallerCommands = Annotated[Commands, Depends(caller_commands)]


def wait_for_own_write(gateway: Gateway, outcome: Outcome) -> None:
    """For auth changes the caller relies on at once (a new or ended session): wait for the projection."""
    gateway.studio.projector.wait_until(outcome.position, gateway.read_wait_seconds)
