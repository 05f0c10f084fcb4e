"""E-mail notifications: events become messages in an outbox (idempotently), a sender delivers them by SMTP.

The handler writes at most one outbox row per event (keyed by the event id), so a redelivered event sends
nothing twice; the sender retries with backoff while the SMTP server is unreachable or answers 4xx, and
each message's Message-ID derives from the event, so a resend after a crash is recognisable downstream.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from uuid import UUID

from commands.notifications import notifications_id
from events.background import BackgroundLoop
from events.store import AlreadyTracked, EventStore, Tracking
from processors.backoff import Backoff
from processors.notification_messages import Message, render
from projections.database import ViewDatabase
from projections.notifications import NOTICE_KINDS, fold_context, notice_of
from schemas.envelope import Envelope
from schemas.notifications import EmailChoices, Preferences

log = logging.getLogger(__name__)

NOTIFY_TYPES = tuple(NOTICE_KINDS)
OUTBOX_DDL = (
    "CREATE TABLE IF NOT EXISTS email_outbox (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
    "recipient TEXT NOT NULL, kind TEXT NOT NULL, language TEXT NOT NULL, subject TEXT NOT NULL, "
    "text_body TEXT NOT NULL, html_body TEXT NOT NULL, position BIGINT NOT NULL, attempts INTEGER NOT NULL "
    "DEFAULT 0, sent_at TEXT, failed_at TEXT, last_error TEXT)",
    "CREATE INDEX IF NOT EXISTS email_outbox_pending ON email_outbox (sent_at, failed_at, position)",
)


def create_outbox(views: ViewDatabase) -> None:
    """The `email_outbox` table and its index (idempotent)."""
    with views.transaction() as cur:
        for statement in OUTBOX_DDL:
            cur.execute(statement)


@dataclass(frozen=True)
class Recipient:
    account_id: str
    email: str
    name: str
    preferences: Preferences


def recipient_of(store: EventStore, account_id: str) -> Recipient | None:
    """The account's address and preferences, read from the event store (never behind the event)."""
    registered = next((e for e in store.load(UUID(account_id)) if e.type == "AccountRegistered"), None)
    if registered is None:
        return None
    p = registered.payload
    language = p.get("language", "en")
    preferences = Preferences.model_validate(
        {"language": language if language in ("en", "hi", "es", "fr", "ar") else "en"}
    )
    for event in store.load(notifications_id(account_id)):
        if event.type == "NotificationPreferencesChanged":
            preferences = Preferences(
                language=event.payload["language"], email=EmailChoices.model_validate(event.payload["email"])
            )
    return Recipient(account_id, p["email"], p.get("display_name") or p["email"], preferences)


def email_for(event: Envelope, store: EventStore, public_url: str) -> tuple[Recipient, str, Message] | None:
    """The message this event sends, or None (not a notification, no owner, or e-mail turned off)."""
    context = fold_context(store.load(event.aggregate_id))
    notice = notice_of(event, context)
    if notice is None or context.account_id is None:
        return None
    kind, data = notice
    recipient = recipient_of(store, context.account_id)
    if recipient is None or not recipient.preferences.email.wants(kind):
        return None
    if str(data.get("link", "")).startswith("/"):
        data = {**data, "link": public_url.rstrip("/") + data["link"]}
    message = render(kind, recipient.preferences.language, recipient.name, data)
    return recipient, kind, message


class Notifier:
    """Turns notification events into outbox rows; records the consumer's position after each."""

    name = "notifier"

    def __init__(self, store: EventStore, views: ViewDatabase, public_url: str) -> None:
        self.store = store
        self.views = views
        self.public_url = public_url

    def setup(self) -> None:
        create_outbox(self.views)

    def handle(self, event: Envelope, tracking: Tracking) -> None:
        found = email_for(event, self.store, self.public_url) if event.type in NOTIFY_TYPES else None
        if found is not None:
            recipient, kind, message = found
            with self.views.transaction() as cur:
                cur.execute(
                    "INSERT INTO email_outbox (id, account_id, recipient, kind, language, subject, text_body, "
                    "html_body, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                    (
                        str(event.event_id),
                        recipient.account_id,
                        recipient.email,
                        kind,
                        message.language,
                        message.subject,
                        message.text,
                        message.html,
                        event.position or 0,
                    ),
                )
        with suppress(AlreadyTracked):
            self.store.track(tracking)


class SmtpSender(BackgroundLoop):
    """Delivers the outbox over SMTP in order, retrying with backoff until the server accepts."""

    def __init__(
        self,
        views: ViewDatabase,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        backoff: Backoff | None = None,
        sleep: Callable[[float], Any] | None = None,
        max_attempts: int = 50,
    ) -> None:
        self.views = views
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls = username, password, starttls
        self.backoff = backoff or Backoff(1.0, 300.0)
        super().__init__("smtp-sender")
        self.sleep = sleep or self._stop.wait
        self.max_attempts = max_attempts
        self.failures = 0

    def pending(self, limit: int = 50) -> list[dict[str, Any]]:
        return self.views.query(
            "SELECT * FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY position LIMIT %s",
            (limit,),
        )

    def _message(self, row: dict[str, Any]) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = row["recipient"]
        message["Subject"] = row["subject"]
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{row['id']}@filmstudio>"
        message["Content-Language"] = row["language"]
        message.set_content(row["text_body"])
        message.add_alternative(row["html_body"], subtype="html")
        return message

    def _mark(self, row: dict[str, Any], column: str | None, error: str | None) -> None:
        now = datetime.now(UTC).isoformat()
        with self.views.transaction() as cur:
            if column is None:
                cur.execute(
                    "UPDATE email_outbox SET attempts = attempts + 1, last_error = %s WHERE id = %s",
                    (error, row["id"]),
                )
            else:
                cur.execute(
                    f"UPDATE email_outbox SET attempts = attempts + 1, {column} = %s, last_error = %s WHERE id = %s",
                    (now, error, row["id"]),
                )

    def send_pending(self) -> int:
        """Send what is waiting; return how many were delivered. Raises nothing: failures back off."""
        rows = self.pending()
        if not rows:
            return 0
        delivered = 0
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                for row in rows:
                    try:
                        smtp.send_message(self._message(row))
                    except (
                        smtplib.SMTPRecipientsRefused,
                        smtplib.SMTPSenderRefused,
                        smtplib.SMTPDataError,
                    ) as error:
                        code = getattr(error, "smtp_code", 0) or 550
                        permanent = 500 <= code < 600 or isinstance(error, smtplib.SMTPRecipientsRefused)
                        if permanent or row["attempts"] + 1 >= self.max_attempts:
                            log.warning("e-mail %s refused for good: %s", row["id"], error)
                            self._mark(row, "failed_at", str(error))
                            continue
                        raise
                    self._mark(row, "sent_at", None)
                    delivered += 1
        except (OSError, smtplib.SMTPException) as error:
            self.failures += 1
            if rows and delivered < len(rows):
                self._mark(rows[delivered], None, f"{type(error).__name__}: {error}")
            delay = self.backoff.delay(self.failures)
            log.warning("SMTP %s:%s unavailable (%s); retrying in %.1f s", self.host, self.port, error, delay)
            self.sleep(delay)
            return delivered
        self.failures = 0
        return delivered

    def run_until_idle(self, max_rounds: int = 1000) -> None:
        for _ in range(max_rounds):
            if not self.pending(1):
                return
            self.send_pending()

    def step(self) -> float:
        return 0.5 if self.send_pending() == 0 and not self.pending(1) else 0.0


def wait_idle(sender: SmtpSender, timeout: float) -> bool:
    """True once the outbox is empty (for tests and graceful shutdowns)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not sender.pending(1):
            return True
        time.sleep(0.05)
    return False
