"""Administration: every creator's films, accounts and their suspension, and the moderation queue."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from commands.errors import Conflict
from gateway import reads
from gateway.deps import AdminUser, CallerCommands, GatewayDep, LinksDep, ViewsDep, wait_for_own_write
from gateway.models import Accepted, AdminFilmOut, In, Page
from gateway.problems import problem_responses
from gateway.routes.films import film_out
from projections.database import ViewDatabase
from schemas.commands import ApproveFilm, CancelFilm, ReinstateAccount, RejectFilm, SuspendAccount
from schemas.events import Role

router = APIRouter(prefix="/api/admin", tags=["admin"])

FilmStatus = Literal["running", "held", "completed", "failed", "cancelled", "rejected"]
AccountStatus = Literal["active", "suspended"]
ReviewStatus = Literal["held", "approved", "rejected", "cancelled"]
Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, description="how many items to skip")]


# --- films ------------------------------------------------------------------------------------------


@router.get("/films", summary="List all films",
            responses=problem_responses(401, 403, 504))  # fmt: skip
async def all_films(
    admin: AdminUser,
    views: ViewsDep,
    links: LinksDep,
    status_: Annotated[FilmStatus | None, Query(alias="status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[AdminFilmOut]:
    """Every creator's films, newest first, optionally only those in one status."""
    return [
        AdminFilmOut.model_validate({**film_out(r, links).model_dump(), "owner_id": r["owner_id"]})
        for r in await reads.run(views, reads.all_films, views, status_, limit, offset)
    ]


@router.post("/films/{film_id}/cancel", status_code=status.HTTP_202_ACCEPTED, summary="Cancel any film",
             responses=problem_responses(401, 403, 404, 409))  # fmt: skip
def cancel_any_film(film_id: UUID, admin: AdminUser, commands: CallerCommands) -> Accepted:
    """Stops any creator's running (or held) film."""
    outcome = commands.send(
        CancelFilm(film_id=film_id, owner_id=None, reason="cancelled by an administrator")
    )
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


# --- accounts ---------------------------------------------------------------------------------------


class AdminAccountOut(BaseModel):
    id: UUID
    email: str
    display_name: str
    role: Role
    language: str
    created_at: datetime
    status: AccountStatus
    suspension_reason: str | None = Field(description="why it is suspended (null when active)")
    status_changed_at: datetime | None = Field(description="when it was last suspended or reinstated")
    status_changed_by: str | None = Field(description="the administrator's account id")


class SuspendIn(In):
    reason: str = Field(min_length=1, max_length=500, description="shown to the account holder at log-in")


class ReinstateIn(In):
    note: str = Field("", max_length=500, description="for the record")


ACCOUNT_SELECT = (
    "SELECT a.id, a.email, a.display_name, a.role, a.language, a.created_at, "
    "COALESCE(s.status, 'active') AS status, s.reason AS status_reason, s.changed_at AS status_changed_at, "
    "s.changed_by AS status_changed_by FROM accounts a LEFT JOIN account_status s ON s.account_id = a.id"
)


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_accounts(
    views: ViewDatabase, email: str | None, role: str | None, status_: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Accounts matching every given filter, newest first, and how many match in all."""
    where: list[str] = []
    params: list[Any] = []
    if email:
        where.append("a.email LIKE %s ESCAPE '\\'")
        params.append(_like(email.strip().lower()))
    if role:
        where.append("a.role = %s")
        params.append(role)
    if status_:
        where.append("COALESCE(s.status, 'active') = %s")
        params.append(status_)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = views.query(
        f"{ACCOUNT_SELECT}{clause} ORDER BY a.created_at DESC, a.id LIMIT %s OFFSET %s", (*params, limit, offset)
    )
    total = views.query(
        "SELECT COUNT(*) AS n FROM accounts a LEFT JOIN account_status s ON s.account_id = a.id" + clause,
        tuple(params),
    )
    return rows, int(total[0]["n"])


def account_out(row: dict[str, Any]) -> AdminAccountOut:
    suspended = row["status"] == "suspended"
    return AdminAccountOut.model_validate(
        {**row, "suspension_reason": row["status_reason"] if suspended else None}
    )


@router.get("/accounts", summary="Find accounts", responses=problem_responses(401, 403, 422, 504))
async def list_accounts(
    admin: AdminUser,
    views: ViewsDep,
    email: Annotated[str | None, Query(max_length=254, description="part of the e-mail address")] = None,
    role: Annotated[Role | None, Query()] = None,
    status_: Annotated[AccountStatus | None, Query(alias="status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AdminAccountOut]:
    """Accounts, newest first, by part of their e-mail, role and status."""
    rows, total = await reads.run(views, find_accounts, views, email, role, status_, limit, offset)
    return Page[AdminAccountOut](items=[account_out(r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/accounts/{account_id}/suspend", status_code=status.HTTP_202_ACCEPTED,
             summary="Suspend an account", responses=problem_responses(401, 403, 404, 409, 422))  # fmt: skip
def suspend_account(
    account_id: UUID, body: SuspendIn, admin: AdminUser, gateway: GatewayDep, commands: CallerCommands
) -> Accepted:
    """Ends the account's sessions at once, refuses its log-ins and cancels its unfinished films."""
    if account_id == admin.id:
        raise Conflict("You cannot suspend your own account; ask another administrator.")
    outcome = commands.send(SuspendAccount(account_id=account_id, reason=body.reason))
    # Its sessions end once the accounts view has the suspension: wait, so they are refused on return.
    wait_for_own_write(gateway, outcome)
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


@router.post("/accounts/{account_id}/reinstate", status_code=status.HTTP_202_ACCEPTED,
             summary="Reinstate a suspended account", responses=problem_responses(401, 403, 404, 422))  # fmt: skip
def reinstate_account(
    account_id: UUID, admin: AdminUser, commands: CallerCommands, body: ReinstateIn | None = None
) -> Accepted:
    """Lets the account log in again (its old sessions stay ended); does nothing if it is not suspended."""
    outcome = commands.send(ReinstateAccount(account_id=account_id, note=body.note if body else ""))
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


# --- moderation -------------------------------------------------------------------------------------


class ModerationItemOut(BaseModel):
    film_id: UUID
    project_id: UUID | None
    owner_id: UUID | None
    owner_email: str | None
    title: str | None
    status: ReviewStatus
    matches: list[str] = Field(description="the listed terms found in the script")
    excerpt: str = Field(description="the script around the first match")
    held_at: datetime
    decided_at: datetime | None
    decided_by: str | None = Field(description="the reviewer's account id (or the creator's, if cancelled)")
    note: str | None


class ReviewIn(In):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=1000, description="required to reject: the film's creator is shown it")


MODERATION_QUEUE = (
    "SELECT m.film_id, m.status, m.matches, m.excerpt, m.held_at, m.decided_at, m.decided_by, m.note, "
    "f.project_id, f.owner_id, a.email AS owner_email, p.title FROM moderation m "
    "LEFT JOIN films f ON f.id = m.film_id LEFT JOIN accounts a ON a.id = f.owner_id "
    "LEFT JOIN projects p ON p.id = f.project_id "
    "WHERE m.status = %s ORDER BY m.held_at, m.film_id LIMIT %s OFFSET %s"
)


def moderation_queue(
    views: ViewDatabase, status_: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    rows = [
        {**r, "matches": json.loads(r["matches"])}
        for r in views.query(MODERATION_QUEUE, (status_, limit, offset))
    ]
    total = views.query("SELECT COUNT(*) AS n FROM moderation WHERE status = %s", (status_,))
    return rows, int(total[0]["n"])


@router.get("/moderation", summary="The moderation queue", responses=problem_responses(401, 403, 422, 504))
async def list_moderation(
    admin: AdminUser,
    views: ViewsDep,
    status_: Annotated[ReviewStatus, Query(alias="status", description="held: waiting for a decision")] = "held",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ModerationItemOut]:
    """Films the content check held, oldest first, with the terms it found and the script around them."""
    rows, total = await reads.run(views, moderation_queue, views, status_, limit, offset)
    return Page[ModerationItemOut](
        items=[ModerationItemOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.post("/moderation/{film_id}", status_code=status.HTTP_202_ACCEPTED, summary="Approve or reject a held film",
             responses=problem_responses(401, 403, 404, 409, 422))  # fmt: skip
def review_film(film_id: UUID, body: ReviewIn, admin: AdminUser, commands: CallerCommands) -> Accepted:
    """Approve: the film goes on through the pipeline. Reject: it ends, and its creator sees the note."""
    command = (
        ApproveFilm(film_id=film_id, note=body.note)
        if body.decision == "approve"
        else RejectFilm(film_id=film_id, note=body.note)
    )
    outcome = commands.send(command)
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)
