"""Ordering a film: grant the month's plan credits if due, check the plan's limits, reserve the credits.

The credit saga (processors/credit_saga.py) then requests the film from the reservation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID, uuid5

from commands.bus import CommandBus, Outcome
from commands.credits import CreditAccount, falling_due, fold_events
from commands.errors import DomainError, PaymentRequired
from commands.plan_rules import FilmQuote, ScriptMeasure, as_planned, check_film, grant_due, quote_film
from schemas.commands import RequestFilm
from schemas.credits import (
    CreditsReserved,
    RecordReservationRefusal,
    ReleaseCredits,
    ReserveCredits,
    credit_account_id,
)
from schemas.film import FilmSpec
from schemas.plans import Catalogue, Plan

FILM_NAMESPACE = UUID("2e9c4b71-0d8a-4f36-b5e2-7a1c3f6d9e80")
TOPUP_URL = "/credits"
TOPUP_CLI = "filmstudio credits topup"


def film_id_for(command_id: UUID) -> UUID:
    """A film's id derives from its order's command id, so a retried order names the same film."""
    return uuid5(FILM_NAMESPACE, str(command_id))


def request_film_command_id(film_id: UUID) -> UUID:
    """The one command id of a reserved film's RequestFilm: sent by the order and again by the saga."""
    return uuid5(FILM_NAMESPACE, f"request:{film_id}")


def request_for(reserved: CreditsReserved) -> RequestFilm:
    """The film request a reservation stands for."""
    film_id = UUID(reserved.reservation_id)
    return RequestFilm(
        command_id=request_film_command_id(film_id),
        film_id=film_id,
        project_id=UUID(reserved.project_id),
        owner_id=UUID(reserved.owner_id),
        spec=reserved.spec,
        stages=reserved.stages,
        priority=reserved.priority,
    )


@dataclass(frozen=True)
class FilmOrder:
    film_id: UUID
    outcome: Outcome
    quote: FilmQuote
    plan: Plan


def credit_state(bus: CommandBus, account_id: UUID, catalogue: Catalogue, now: datetime) -> CreditAccount:
    """The account's credits as of `now`, granting this month's plan credits first if they are due."""
    state, _ = bus.state_of("credit", credit_account_id(account_id))
    grant = grant_due(fold_events(state, falling_due(state, now)), catalogue, account_id, now)
    if grant is not None:
        bus.handle(grant, actor="system")
        state, _ = bus.state_of("credit", credit_account_id(account_id))
    return fold_events(state, falling_due(state, now))


def current_plan(bus: CommandBus, account_id: UUID, catalogue: Catalogue, now: datetime) -> Plan:
    """The account's plan as of `now` (a scheduled change that has fallen due counts), without side effects."""
    state, _ = bus.state_of("credit", credit_account_id(account_id))
    return catalogue.plan(fold_events(state, falling_due(state, now)).plan)


def order_film(
    bus: CommandBus,
    catalogue: Catalogue,
    measure: ScriptMeasure,
    *,
    command_id: UUID,
    owner_id: UUID,
    project_id: UUID,
    spec: FilmSpec,
    stages: dict[str, list[str]],
    actor: str,
    correlation_id: UUID | None = None,
    now: datetime | None = None,
) -> FilmOrder:
    """Reserve the film's credits (refusals: TierLimit 403, PaymentRequired 402 with the figures)."""
    now = now or datetime.now(UTC)
    state = credit_state(bus, owner_id, catalogue, now)
    plan = catalogue.plan(state.plan)
    quote = quote_film(spec, catalogue, measure)
    check_film(spec, quote, plan, catalogue)
    film_id = film_id_for(command_id)
    reserve = ReserveCredits(
        command_id=command_id,
        account_id=owner_id,
        reservation_id=film_id,
        credits=quote.credits,
        project_id=project_id,
        owner_id=owner_id,
        spec=as_planned(spec, plan),
        stages=stages,
        priority=plan.priority,
        plan=plan.id,
        now=now,
    )
    try:
        outcome = bus.handle(reserve, actor=actor, correlation_id=correlation_id)
    except PaymentRequired as refused:
        available = int(refused.extensions.get("available", 0))  # type: ignore[call-overload]
        bus.handle(
            RecordReservationRefusal(
                command_id=uuid5(command_id, "refused"),
                account_id=owner_id,
                film_id=film_id,
                cost=quote.credits,
                available=available,
            ),
            actor=actor,
        )
        raise PaymentRequired(
            f"You have {available} credits; this {quote.billed_seconds}-second film costs {quote.credits}. "
            f"Buy a top-up at {TOPUP_URL} (or run `{TOPUP_CLI}`), upgrade your plan, or shorten the film.",
            balance=available,
            cost=quote.credits,
            seconds=quote.seconds,
            topup_url=TOPUP_URL,
        ) from refused
    # Request the film at once so it runs (and can be cancelled) straight away; if this process dies
    # first, the credit saga sends the same command from the reservation. A refusal gives the credits back.
    request = RequestFilm(
        command_id=request_film_command_id(film_id),
        film_id=film_id,
        project_id=project_id,
        owner_id=owner_id,
        spec=reserve.spec,
        stages=stages,
        priority=plan.priority,
    )
    try:
        requested = bus.handle(request, actor=actor, correlation_id=correlation_id, causation_id=command_id)
    except DomainError as refused:
        release = ReleaseCredits(
            command_id=uuid5(command_id, "release"),
            account_id=owner_id,
            reservation_id=film_id,
            reason=f"the film could not start: {refused}",
        )
        bus.handle(release, actor=actor, correlation_id=correlation_id)
        raise
    position = max(outcome.position, requested.position)
    return FilmOrder(film_id, replace(outcome, position=position), quote, plan)
