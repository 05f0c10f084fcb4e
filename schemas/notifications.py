"""Notification preferences and read marks: the commands a creator sends and the events they record."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.commands import Command
from schemas.envelope import DomainEvent

Language = Literal["en", "hi", "es", "fr", "ar"]
LANGUAGES: tuple[Language, ...] = ("en", "hi", "es", "fr", "ar")
NotificationKind = Literal[
    "film_completed", "film_failed", "credits_low", "upload_published", "payment_received"
]
KINDS: tuple[NotificationKind, ...] = (
    "film_completed",
    "film_failed",
    "credits_low",
    "upload_published",
    "payment_received",
)


class EmailChoices(BaseModel):
    """Which events send an e-mail; every kind is on until the creator turns it off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    film_completed: bool = True
    film_failed: bool = True
    credits_low: bool = True
    upload_published: bool = True
    payment_received: bool = True

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind, False))


class Preferences(BaseModel):
    """A creator's notification settings: the language of messages and which e-mails to send."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: Language = "en"
    email: EmailChoices = Field(default_factory=EmailChoices)


# --- commands ------------------------------------------------------------------------------------


class ChangeNotificationPreferences(Command):
    aggregate = "notifications"
    account_id: UUID
    preferences: Preferences


class MarkNotificationRead(Command):
    aggregate = "notifications"
    account_id: UUID
    notification_id: UUID


# --- events --------------------------------------------------------------------------------------


class NotificationPreferencesChanged(DomainEvent):
    type = "NotificationPreferencesChanged"
    aggregate = "notifications"
    account_id: str
    language: Language
    email: EmailChoices


class NotificationRead(DomainEvent):
    type = "NotificationRead"
    aggregate = "notifications"
    account_id: str
    notification_id: str
