"""Notification settings aggregate (one stream per account): preferences and which feed items were read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID, uuid5

from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.notifications import (
    ChangeNotificationPreferences,
    MarkNotificationRead,
    NotificationPreferencesChanged,
    NotificationRead,
    Preferences,
)

NOTIFICATIONS_NAMESPACE = UUID("3c7e2a90-51d4-4b8e-9f0a-6d2b1c8e4f35")


def notifications_id(account_id: UUID | str) -> UUID:
    """The stream of one account's notification settings."""
    return uuid5(NOTIFICATIONS_NAMESPACE, str(account_id))


@dataclass(frozen=True)
class NotificationSettings:
    preferences: Preferences | None = None
    read: frozenset[str] = frozenset()


def evolve(state: NotificationSettings, event: DomainEvent) -> NotificationSettings:
    match event:
        case NotificationPreferencesChanged():
            return replace(state, preferences=Preferences(language=event.language, email=event.email))
        case NotificationRead():
            return replace(state, read=state.read | {event.notification_id})
    return state


def aggregate_id(command: Command) -> UUID:
    assert isinstance(command, ChangeNotificationPreferences | MarkNotificationRead)
    return notifications_id(command.account_id)


def decide(command: Command, state: NotificationSettings) -> list[DomainEvent]:
    if isinstance(command, ChangeNotificationPreferences):
        if command.preferences == state.preferences:
            return []
        return [
            NotificationPreferencesChanged(
                account_id=str(command.account_id),
                language=command.preferences.language,
                email=command.preferences.email,
            )
        ]
    if isinstance(command, MarkNotificationRead):
        if str(command.notification_id) in state.read:
            return []
        return [
            NotificationRead(account_id=str(command.account_id), notification_id=str(command.notification_id))
        ]
    raise TypeError(f"notifications cannot handle {type(command).__name__}")
