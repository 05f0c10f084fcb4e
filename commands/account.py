"""Account aggregate: registration, sessions and role, as pure decide/evolve functions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID, uuid5

from commands.errors import Conflict, NotFound
from schemas.commands import ChangeRole, Command, LogIn, LogOut, RegisterAccount
from schemas.envelope import DomainEvent
from schemas.events import AccountRegistered, LoggedIn, LoggedOut, Role, RoleChanged

ACCOUNT_NAMESPACE = UUID("6f1c8a52-8f0e-4c53-9a53-0b7a4f3d2e11")


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
    return state


def aggregate_id(command: Command) -> UUID:
    if isinstance(command, RegisterAccount):
        return account_id_for(command.email)
    assert isinstance(command, LogIn | LogOut | ChangeRole)
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
        return [LoggedIn(session_id=command.session_id)]
    if isinstance(command, LogOut):
        return [LoggedOut(session_id=command.session_id)] if command.session_id in state.sessions else []
    if isinstance(command, ChangeRole):
        return [RoleChanged(role=command.role)] if command.role != state.role else []
    raise TypeError(f"account cannot handle {type(command).__name__}")
