"""Account aggregate: registration, sessions, role and suspension, as pure decide/evolve functions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID, uuid5

from commands.errors import Conflict, Invalid, NotFound, Suspended
from schemas.commands import (
    ChangeRole,
    Command,
    LogIn,
    LogOut,
    RegisterAccount,
    ReinstateAccount,
    SuspendAccount,
)
from schemas.envelope import DomainEvent
from schemas.events import (
    AccountRegistered,
    AccountReinstated,
    AccountSuspended,
    LoggedIn,
    LoggedOut,
    Role,
    RoleChanged,
)

ACCOUNT_NAMESPACE = UUID("6f1c8a52-8f0e-4c53-9a53-0b7a4f3d2e11")
MAX_REASON = 500


def account_id_for(email: str) -> UUID:
    """An account's id derives from its e-mail, so two registrations of one address collide."""
    return uuid5(ACCOUNT_NAMESPACE, email.strip().lower())


@dataclass(frozen=True)
class Account:
    exists: bool = False
    email: str = ""
    display_name: str = ""
    password_hash: str = ""
    role: Role = "creator"
    sessions: frozenset[str] = frozenset()
    suspended: bool = False
    suspension_reason: str = ""


def suspended_message(reason: str, contact: str = "the studio's administrators") -> str:
    """What a suspended account holder is told: why, and whom to ask."""
    return f"This account is suspended: {reason}. Contact {contact} to have it reinstated."


def evolve(state: Account, event: DomainEvent) -> Account:
    match event:
        case AccountRegistered():
            return Account(True, event.email, event.display_name, event.password_hash, event.role)
        case LoggedIn():
            return replace(state, sessions=state.sessions | {event.session_id})
        case LoggedOut():
            return replace(state, sessions=state.sessions - {event.session_id})
        case RoleChanged():
            return replace(state, role=event.role)
        case AccountSuspended():
            # Every open session ends with the suspension; reinstating does not reopen them.
            return replace(state, suspended=True, suspension_reason=event.reason, sessions=frozenset())
        case AccountReinstated():
            return replace(state, suspended=False, suspension_reason="")
    return state


def aggregate_id(command: Command) -> UUID:
    if isinstance(command, RegisterAccount):
        return account_id_for(command.email)
    assert isinstance(command, LogIn | LogOut | ChangeRole | SuspendAccount | ReinstateAccount)
    return command.account_id


def decide(command: Command, state: Account) -> list[DomainEvent]:
    if isinstance(command, RegisterAccount):
        if state.exists:
            raise Conflict(f"An account for {command.email} already exists. Log in, or use another e-mail.")
        return [
            AccountRegistered(
                email=command.email.strip().lower(),
                display_name=command.display_name,
                password_hash=command.password_hash,
                role=command.role,
                language=command.language,
            )
        ]
    if not state.exists:
        raise NotFound("No such account. Register first.")
    if isinstance(command, LogIn):
        if state.suspended:
            raise Suspended(suspended_message(state.suspension_reason))
        return [LoggedIn(session_id=command.session_id)]
    if isinstance(command, LogOut):
        return [LoggedOut(session_id=command.session_id)] if command.session_id in state.sessions else []
    if isinstance(command, ChangeRole):
        return [RoleChanged(role=command.role)] if command.role != state.role else []
    if isinstance(command, SuspendAccount):
        reason = command.reason.strip()
        if not reason or len(reason) > MAX_REASON:
            raise Invalid(f"Give a reason for the suspension (1 to {MAX_REASON} characters); the account holder sees it.")
        if state.suspended:
            # Already suspended: a repeated request (even with new words) changes nothing.
            return []
        return [AccountSuspended(reason=reason)]
    if isinstance(command, ReinstateAccount):
        return [AccountReinstated(note=command.note.strip())] if state.suspended else []
    raise TypeError(f"account cannot handle {type(command).__name__}")
