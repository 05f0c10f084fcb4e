"""Administration of the Salesforce mirror: records Salesforce refused (dead letters) and replaying them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from commands.errors import NotFound
from gateway import reads
from gateway.deps import AdminUser, ViewsDep
from gateway.problems import problem_responses
from processors.salesforce_mirror import MirrorStore

router = APIRouter(prefix="/api/admin/salesforce", tags=["admin"])


class DeadLetterOut(BaseModel):
    """A record Salesforce rejected, with what was sent and why it was refused."""

    id: str
    sobject: str
    external_id: str
    version: int
    body: dict[str, Any] = Field(description="the record as it was sent")
    error: str = Field(description="Salesforce's error code and message")
    last_event: str = Field(description="the type of the last event that changed the record")
    last_position: int
    failed_at: datetime
    replayed_at: datetime | None = None


class ReplayOut(BaseModel):
    id: str
    replayed: bool = True


@router.get("/dead-letters", summary="Records Salesforce refused", responses=problem_responses(401, 403))
async def dead_letters(
    admin: AdminUser,
    views: ViewsDep,
    include_replayed: Annotated[bool, Query(description="also those already replayed")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeadLetterOut]:
    """The mirror's dead letters, newest first: fix the cause in Salesforce (or the data), then replay."""
    store = MirrorStore(views)
    await reads.run(views, store.setup)  # the mirror may never have run in this deployment
    rows = await reads.run(views, store.dead_letters, include_replayed, limit)
    return [DeadLetterOut.model_validate(r) for r in rows]


@router.post("/dead-letters/{letter_id}/replay", status_code=status.HTTP_202_ACCEPTED,
             summary="Send a refused record again", responses=problem_responses(401, 403, 404))  # fmt: skip
def replay(letter_id: str, admin: AdminUser, views: ViewsDep) -> ReplayOut:
    """Queues the record again with its current content; the mirror sends it on its next pass."""
    store = MirrorStore(views)
    store.setup()
    if not store.replay(letter_id):
        raise NotFound(
            "No open dead letter has this id (it may have been replayed already). "
            "List them with GET /api/admin/salesforce/dead-letters."
        )
    return ReplayOut(id=letter_id)
