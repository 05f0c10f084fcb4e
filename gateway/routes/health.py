"""Probes for load balancers and orchestrators: liveness (/healthz) and readiness (/readyz)."""

from __future__ import annotations

from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from gateway.deps import GatewayDep
from gateway.problems import problem_responses
from infra.container import Studio

router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    head: int = Field(description="the last position in the event log")
    positions: dict[str, int] = Field(description="position each read model has applied")
    lag: int = Field(description="events the slowest read model has still to apply")


class NotReady(HTTPException):
    """A dependency of the gateway is unreachable or too far behind: 503, and the orchestrator waits."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=503, detail=detail)


def readiness(studio: Studio, max_lag: int | None) -> Readiness:
    """Reads the log head and the read models' positions; NotReady, saying what to fix, if it cannot."""
    try:
        head = studio.store.last_position()
    except Exception as error:
        raise NotReady(
            f"The event store is unreachable ({type(error).__name__}: {error}). "
            "Check FILMSTUDIO_EVENT_STORE_URL and that the database is up."
        ) from error
    try:
        positions = studio.projector.positions()
    except Exception as error:
        raise NotReady(
            f"The read models are unreachable ({type(error).__name__}: {error}). "
            "Check FILMSTUDIO_VIEWS_URL, that the database is up and that `filmstudio init` has run."
        ) from error
    lag = max((head - p for p in positions.values()), default=0)
    if max_lag is not None and lag > max_lag:
        raise NotReady(
            f"The read models are {lag} events behind the log (more than max_lag={max_lag}). "
            "Check that the projector is running (`filmstudio projector`)."
        )
    return Readiness(head=head, positions=positions, lag=max(0, lag))


@router.get("/healthz", summary="Liveness: the gateway answers", responses=problem_responses(500))
async def healthz() -> Liveness:
    """Answers while the process serves HTTP; touches no database, so an outage elsewhere restarts nothing."""
    return Liveness()


@router.get("/readyz", summary="Readiness: event store and read models reachable",
            responses=problem_responses(503))  # fmt: skip
async def readyz(
    gateway: GatewayDep,
    max_lag: Annotated[
        int | None, Query(ge=0, description="also answer 503 when the read models are more events behind")
    ] = None,
) -> Readiness:
    """The log head, each read model's position and the projection lag in events; 503 when unreachable."""
    return await anyio.to_thread.run_sync(readiness, gateway.studio, max_lag)
