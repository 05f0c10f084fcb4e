"""Which aggregate handles which command: a table, so the bus stays generic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from commands import (
    account,
    assets,
    billing,
    characters,
    film,
    notifications,
    project,
    upload,
    youtube_account,
)
from commands import credits as credit
from schemas.commands import Command
from schemas.envelope import DomainEvent


@dataclass(frozen=True)
class AggregateType:
    """The pure functions of one aggregate type."""

    name: str
    initial: Any
    evolve: Callable[[Any, DomainEvent], Any]
    decide: Callable[[Command, Any], list[DomainEvent]]
    aggregate_id: Callable[[Command], UUID]

    def fold(self, events: list[DomainEvent]) -> Any:
        state = self.initial
        for event in events:
            state = self.evolve(state, event)
        return state


AGGREGATES: dict[str, AggregateType] = {
    "account": AggregateType(
        "account", account.Account(), account.evolve, account.decide, account.aggregate_id
    ),
    "project": AggregateType(
        "project", project.Project(), project.evolve, project.decide, project.aggregate_id
    ),
    "film": AggregateType("film", film.Film(), film.evolve, film.decide, film.aggregate_id),
    "credit": AggregateType(
        "credit", credit.CreditAccount(), credit.evolve, credit.decide, credit.aggregate_id
    ),
    "upload": AggregateType("upload", upload.Upload(), upload.evolve, upload.decide, upload.aggregate_id),
    "youtube_account": AggregateType(
        "youtube_account",
        youtube_account.YouTubeAccount(),
        youtube_account.evolve,
        youtube_account.decide,
        youtube_account.aggregate_id,
    ),
    "notifications": AggregateType(
        "notifications",
        notifications.NotificationSettings(),
        notifications.evolve,
        notifications.decide,
        notifications.aggregate_id,
    ),
    "billing": AggregateType("billing", billing.Billing(), billing.evolve, billing.decide, billing.aggregate_id),
    "stripe_customer": AggregateType(
        "stripe_customer",
        billing.CustomerOwner(),
        billing.evolve_owner,
        billing.decide_owner,
        billing.owner_aggregate_id,
    ),
    "asset": AggregateType("asset", assets.Asset(), assets.evolve, assets.decide, assets.aggregate_id),
    "character": AggregateType(
        "character",
        characters.LibraryCharacter(),
        characters.evolve,
        characters.decide,
        characters.aggregate_id,
    ),
}


def aggregate_for(command: Command) -> AggregateType:
    try:
        return AGGREGATES[command.aggregate]
    except KeyError:
        raise TypeError(f"no aggregate handles {type(command).__name__}") from None
