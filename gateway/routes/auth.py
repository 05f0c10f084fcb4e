"""Accounts and sessions: register, log in, refresh, log out, me."""

from __future__ import annotations

from uuid import UUID, uuid4, uuid5

from fastapi import APIRouter, Response, status

from commands.account import Account, account_id_for, suspended_message
from commands.errors import Suspended
from gateway.deps import (
    IDEMPOTENCY_NAMESPACE,
    CallerCommands,
    CurrentUser,
    GatewayDep,
    PublicCommands,
    wait_for_own_write,
)
from gateway.models import AccountOut, LoginIn, RefreshIn, Registered, RegisterIn, TokenPair
from gateway.problems import Unauthenticated, problem_responses
from gateway.security import Claims
from schemas.commands import LogIn, LogOut, RegisterAccount

router = APIRouter(prefix="/api", tags=["auth"])

WRONG_LOGIN = "Wrong e-mail or password. Check both and try again, or register if you have no account."


def refuse_suspended(gateway: GatewayDep, account: Account) -> None:
    """A suspended account opens no session: say why and whom to contact."""
    if account.suspended:
        raise Suspended(suspended_message(account.suspension_reason, gateway.studio.settings.support_contact))


def _tokens(gateway: GatewayDep, account_id: UUID, session_id: str, position: int) -> TokenPair:
    issued = gateway.tokens.issue(account_id, session_id)
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.access_seconds,
        refresh_expires_in=issued.refresh_seconds,
        session_id=session_id,
        position=position,
    )


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    summary="Create an account",
    responses=problem_responses(409, 422),
)
def register(
    body: RegisterIn, gateway: GatewayDep, commands: PublicCommands, response: Response
) -> Registered:
    """Registers a creator account. The e-mail must not be registered yet."""
    account_id = account_id_for(body.email)
    outcome = commands.send(
        RegisterAccount(
            email=body.email,
            display_name=body.display_name,
            password_hash=gateway.passwords.hash(body.password),
            language=body.language,
        ),
        scope=f"register:{account_id}",
    )
    response.headers["Location"] = "/api/me"
    return Registered(
        id=account_id,
        email=body.email,
        display_name=body.display_name,
        role="creator",
        language=body.language,
        position=outcome.position,
    )


@router.post("/auth/login", summary="Log in: open a session", responses=problem_responses(401, 403, 422))
def login(body: LoginIn, gateway: GatewayDep, commands: PublicCommands) -> TokenPair:
    """Checks the password and opens a session; returns an access token (15 min) and a refresh token."""
    account_id = account_id_for(body.email)
    # The aggregate, not the read model: a login right after registering must work.
    account, _ = gateway.studio.bus.state_of("account", account_id)
    if not gateway.passwords.verify(account.password_hash if account.exists else None, body.password):
        raise Unauthenticated(WRONG_LOGIN)
    refuse_suspended(gateway, account)  # only after the password: strangers learn nothing
    # With an Idempotency-Key a retried login reopens the same session instead of a second one.
    session_id = (
        uuid5(IDEMPOTENCY_NAMESPACE, f"session:{account_id}:{commands.key}").hex
        if commands.key
        else uuid4().hex
    )
    outcome = commands.send(LogIn(account_id=account_id, session_id=session_id), scope=f"login:{account_id}")
    wait_for_own_write(gateway, outcome)
    return _tokens(gateway, account_id, session_id, outcome.position)


@router.post(
    "/auth/refresh", summary="Swap a refresh token for new tokens", responses=problem_responses(401, 403, 422)
)
def refresh(body: RefreshIn, gateway: GatewayDep, commands: PublicCommands) -> TokenPair:
    """Rotates the session: the old session (and both its tokens) end, a new one begins."""
    claims: Claims = gateway.tokens.read(body.refresh_token, "refresh")
    account, _ = gateway.studio.bus.state_of("account", claims.account_id)
    refuse_suspended(gateway, account)
    if not account.exists or claims.session_id not in account.sessions:
        raise Unauthenticated(
            "This session has ended (logged out, or this refresh token was used already). Log in again."
        )
    # Derived from the token, so two racing uses of one refresh token open one session, not two.
    new_session = uuid5(IDEMPOTENCY_NAMESPACE, f"refresh:{claims.token_id}").hex
    bus, actor = gateway.studio.bus, str(claims.account_id)
    bus.handle(
        LogIn(command_id=uuid5(IDEMPOTENCY_NAMESPACE, f"refresh-in:{claims.token_id}"),
              account_id=claims.account_id, session_id=new_session),
        actor=actor, correlation_id=commands.correlation_id,
    )  # fmt: skip
    outcome = bus.handle(
        LogOut(command_id=uuid5(IDEMPOTENCY_NAMESPACE, f"refresh-out:{claims.token_id}"),
               account_id=claims.account_id, session_id=claims.session_id),
        actor=actor, correlation_id=commands.correlation_id,
    )  # fmt: skip
    wait_for_own_write(gateway, outcome)
    return _tokens(gateway, claims.account_id, new_session, outcome.position)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Log out: end this session",
    responses=problem_responses(401),
)
def logout(caller: CurrentUser, gateway: GatewayDep, commands: CallerCommands) -> Response:
    """Ends the caller's session; its access and refresh tokens are refused from now on."""
    outcome = commands.send(LogOut(account_id=caller.id, session_id=caller.session_id))
    wait_for_own_write(gateway, outcome)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", summary="Who am I", responses=problem_responses(401))
async def me(caller: CurrentUser) -> AccountOut:
    """The logged-in account."""
    return AccountOut(
        id=caller.id,
        email=caller.email,
        display_name=caller.display_name,
        role=caller.role,
        language=caller.language,
    )
