"""The caller's notifications feed and notification preferences."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from commands.errors import NotFound
from gateway import reads
from gateway.deps import CallerCommands, CurrentUser, ViewsDep
from gateway.models import Accepted
from gateway.problems import problem_responses
from processors.notification_messages import headline
from projections.database import ViewDatabase
from schemas.notifications import LANGUAGES, ChangeNotificationPreferences, MarkNotificationRead, Preferences

router = APIRouter(prefix="/api", tags=["notifications"])

FEED = (
    "SELECT id, kind, data, read, position, created_at FROM notifications WHERE account_id = %s "
    "AND position < %s ORDER BY position DESC LIMIT %s"
)
UNREAD_FEED = (
    "SELECT id, kind, data, read, position, created_at FROM notifications WHERE account_id = %s "
    "AND position < %s AND read = 0 ORDER BY position DESC LIMIT %s"
)
UNREAD_COUNT = "SELECT COUNT(*) AS n FROM notifications WHERE account_id = %s AND read = 0"
ONE = "SELECT id FROM notifications WHERE id = %s AND account_id = %s"
PREFERENCES = "SELECT language, email FROM notification_preferences WHERE account_id = %s"


class NotificationOut(BaseModel):
    """One item of the feed, with its title and text in the caller's language."""

    id: UUID
    kind: str = Field(
        description="film_completed, film_failed, credits_low, upload_published or payment_received"
    )
    title: str
    message: str
    data: dict[str, Any] = Field(
        description="the facts behind the message: film_id, url, balance, amount ..."
    )
    read: bool
    position: int
    created_at: datetime


class NotificationFeed(BaseModel):
    items: list[NotificationOut]
    unread: int = Field(description="how many of all the caller's notifications are unread")
    next_before: int | None = Field(None, description="send as ?before= for the next (older) page")


class PreferencesOut(Preferences):
    position: int | None = Field(None, description="send as X-Min-Position to read this change back")


def feed(
    views: ViewDatabase, account_id: str, before: int, limit: int, unread_only: bool
) -> tuple[list[dict[str, Any]], int]:
    rows = views.query(UNREAD_FEED if unread_only else FEED, (account_id, before, limit))
    unread = int(views.query(UNREAD_COUNT, (account_id,))[0]["n"])
    return rows, unread


def preferences_of(views: ViewDatabase, account_id: str, default_language: str) -> Preferences:
    row = reads.one(views, PREFERENCES, (account_id,))
    if row is None:
        language = default_language if default_language in LANGUAGES else "en"
        return Preferences.model_validate({"language": language})
    return Preferences.model_validate({"language": row["language"], "email": json.loads(row["email"])})


@router.get("/notifications", summary="My notifications", responses=problem_responses(401, 504))
async def list_notifications(
    caller: CurrentUser,
    views: ViewsDep,
    unread: Annotated[bool, Query(description="only unread notifications")] = False,
    before: Annotated[
        int | None, Query(ge=1, description="only notifications older than this position")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> NotificationFeed:
    """The caller's notifications, newest first, each with a title and message in their language."""
    rows, unread_count = await reads.run(views, feed, views, str(caller.id), before or 2**62, limit, unread)
    language = (await reads.run(views, preferences_of, views, str(caller.id), caller.language)).language
    items = []
    for row in rows:
        data = json.loads(row["data"])
        title, message = headline(row["kind"], language, data)
        items.append(
            NotificationOut(
                id=row["id"],
                kind=row["kind"],
                title=title,
                message=message,
                data=data,
                read=bool(row["read"]),
                position=row["position"],
                created_at=row["created_at"],
            )
        )
    next_before = rows[-1]["position"] if len(rows) == limit else None
    return NotificationFeed(items=items, unread=unread_count, next_before=next_before)


@router.post("/notifications/{notification_id}/read", status_code=status.HTTP_202_ACCEPTED,
             summary="Mark a notification read", responses=problem_responses(401, 404))  # fmt: skip
def mark_read(
    notification_id: UUID, caller: CurrentUser, views: ViewsDep, commands: CallerCommands
) -> Accepted:
    """Marks one of the caller's notifications as read (marking it twice changes nothing)."""
    if reads.one(views, ONE, (str(notification_id), str(caller.id))) is None:
        raise NotFound("You have no notification with this id. List them with GET /api/notifications.")
    outcome = commands.send(MarkNotificationRead(account_id=caller.id, notification_id=notification_id))
    return Accepted(id=notification_id, position=outcome.position, duplicate=outcome.duplicate)


@router.get("/me/preferences", summary="My notification preferences", responses=problem_responses(401, 504))
async def get_preferences(caller: CurrentUser, views: ViewsDep) -> PreferencesOut:
    """The language of the caller's messages and which e-mails they get (all on until changed)."""
    found = await reads.run(views, preferences_of, views, str(caller.id), caller.language)
    return PreferencesOut.model_validate(found.model_dump())


@router.put(
    "/me/preferences", summary="Change my notification preferences", responses=problem_responses(401, 422)
)
def put_preferences(body: Preferences, caller: CurrentUser, commands: CallerCommands) -> PreferencesOut:
    """Replaces the caller's preferences: the message language and, per kind, whether to send an e-mail."""
    outcome = commands.send(ChangeNotificationPreferences(account_id=caller.id, preferences=body))
    return PreferencesOut.model_validate({**body.model_dump(), "position": outcome.position})
