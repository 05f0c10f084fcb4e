"""The in-app notifications feed and each creator's notification preferences.

The pure functions here (`context_of`, `notice_of`) say which events are notifications, for whom and with
what data; the e-mail notifier applies the same functions to the event store, so feed and e-mail agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope

NOTICE_KINDS = {
    "FilmCompleted": "film_completed",
    "FilmFailed": "film_failed",
    "CreditsLow": "credits_low",
    "UploadPublished": "upload_published",
    "PaymentReceived": "payment_received",
}
"""Event type -> notification kind."""

CONTEXT_TYPES = (
    "FilmRequested",
    "UploadRequested",
    "CreditsGranted",
    "CreditsPurchased",
    "CreditsReserved",
    "PlanChanged",
    "PaymentReceived",
    "CreditsLow",
)
"""Events that name the account a stream belongs to (its owner) and maybe a title."""


@dataclass(frozen=True)
class StreamContext:
    """Whose a stream is, and the title to show for it."""

    account_id: str | None = None
    title: str = ""


def context_of(event: Envelope, known: StreamContext) -> StreamContext:
    """The stream's owner and title after this event (owners come from `owner_id` or `account_id`)."""
    p = event.payload
    owner = p.get("owner_id") or p.get("account_id") or known.account_id
    title = (p.get("spec") or {}).get("title") or (p.get("metadata") or {}).get("title") or known.title
    return StreamContext(str(owner) if owner else None, str(title or ""))


def fold_context(events: Iterable[Envelope]) -> StreamContext:
    context = StreamContext()
    for event in events:
        context = context_of(event, context)
    return context


def money(amount_cents: Any, currency: Any) -> str:
    return f"{int(amount_cents or 0) / 100:.2f} {str(currency or '').upper()}".strip()


def notice_of(event: Envelope, context: StreamContext) -> tuple[str, dict[str, Any]] | None:
    """(kind, data) when this event is a notification for the stream's owner; None otherwise."""
    kind = NOTICE_KINDS.get(event.type)
    if kind is None:
        return None
    p, title = event.payload, context.title or "Untitled"
    if kind in ("film_completed", "film_failed"):
        film = str(event.aggregate_id)
        data: dict[str, Any] = {"film_id": film, "title": title, "link": f"/films/{film}"}
        if kind == "film_failed":
            data["reason"] = p.get("reason", "")
        return kind, data
    if kind == "credits_low":
        return kind, {"balance": p.get("balance", 0), "link": "/billing"}
    if kind == "upload_published":
        return kind, {
            "title": title,
            "film_id": p.get("film_id") or "",
            "video_id": p.get("video_id", ""),
            "url": p.get("url", ""),
        }
    return kind, {
        "amount": money(p.get("amount_cents"), p.get("currency")),
        "description": p.get("description") or p.get("kind") or "AI Film Studio",
        "payment_id": p.get("payment_id", ""),
    }


class NotificationsView(Projection):
    name = "notifications"
    tables = ("notifications", "notification_streams", "notification_preferences")
    ddl = (
        "CREATE TABLE IF NOT EXISTS notification_streams (aggregate_id TEXT PRIMARY KEY, "
        "account_id TEXT NOT NULL, title TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS notifications (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "kind TEXT NOT NULL, data TEXT NOT NULL, position BIGINT NOT NULL, created_at TEXT NOT NULL, "
        "read INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS notifications_account ON notifications (account_id, position)",
        "CREATE TABLE IF NOT EXISTS notification_preferences (account_id TEXT PRIMARY KEY, "
        "language TEXT NOT NULL, email TEXT NOT NULL)",
    )
    types = tuple(
        dict.fromkeys((*CONTEXT_TYPES, *NOTICE_KINDS, "NotificationPreferencesChanged", "NotificationRead"))
    )

    def apply(self, cursor: Any, event: Envelope) -> None:
        p = event.payload
        if event.type == "NotificationPreferencesChanged":
            cursor.execute(
                "INSERT INTO notification_preferences (account_id, language, email) VALUES (%s, %s, %s) "
                "ON CONFLICT (account_id) DO UPDATE SET language = excluded.language, email = excluded.email",
                (p["account_id"], p["language"], json.dumps(p["email"], sort_keys=True)),
            )
            return
        if event.type == "NotificationRead":
            cursor.execute(
                "UPDATE notifications SET read = 1 WHERE id = %s AND account_id = %s",
                (p["notification_id"], p["account_id"]),
            )
            return
        stream = str(event.aggregate_id)
        cursor.execute(
            "SELECT account_id, title FROM notification_streams WHERE aggregate_id = %s", (stream,)
        )
        row = cursor.fetchone()
        known = StreamContext(row[0], row[1]) if row else StreamContext()
        context = context_of(event, known)
        if context.account_id and context != known:
            cursor.execute(
                "INSERT INTO notification_streams (aggregate_id, account_id, title) VALUES (%s, %s, %s) "
                "ON CONFLICT (aggregate_id) DO UPDATE SET account_id = excluded.account_id, "
                "title = excluded.title",
                (stream, context.account_id, context.title),
            )
        notice = notice_of(event, context)
        if notice is None or not context.account_id:
            return
        kind, data = notice
        cursor.execute(
            "INSERT INTO notifications (id, account_id, kind, data, position, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                str(event.event_id),
                context.account_id,
                kind,
                json.dumps(data, sort_keys=True),
                event.position or 0,
                event.occurred_at.isoformat(),
            ),
        )
