"""Credit account aggregate: a ledger of lots with expiry, reservations captured or released at most once.

Pure decide/evolve: time comes from the command's `now`. Every decision first records what has fallen
due by then (lots past their expiry, a scheduled plan change), so the balance it decides on is honest.
balance = credits in lots + credits held by open reservations; available = credits in lots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from commands.errors import Invalid, NotFound, PaymentRequired
from schemas.commands import Command
from schemas.credits import (
    AdjustCredits,
    CancelSubscription,
    CaptureCredits,
    ChangePlan,
    CreditCommand,
    CreditReservationRefused,
    CreditsAdjusted,
    CreditsCaptured,
    CreditsExpired,
    CreditsGranted,
    CreditsLow,
    CreditsPurchased,
    CreditsReleased,
    CreditsReserved,
    ExpireCredits,
    GrantPlanCredits,
    PaymentReceived,
    PlanChanged,
    PlanChangeScheduled,
    PurchaseCredits,
    RecordPayment,
    RecordReservationRefusal,
    ReleaseCredits,
    ReserveCredits,
    SchedulePlanChange,
    SubscriptionCancelled,
    credit_account_id,
    refusal_stream_id,
)
from schemas.envelope import DomainEvent

LOW_BALANCE = 5
"""CreditsLow is recorded when available credits fall from at least this to below it."""
DEFAULT_PLAN = "free"
ReservationStatus = Literal["held", "captured", "released"]


@dataclass(frozen=True)
class Lot:
    """Credits from one grant, purchase or adjustment, spent earliest expiry first."""

    remaining: int
    expires_at: datetime | None


@dataclass(frozen=True)
class Reservation:
    credits: int
    lots: dict[str, int]
    status: ReservationStatus = "held"


@dataclass(frozen=True)
class CreditAccount:
    lots: dict[str, Lot] = field(default_factory=dict)
    reservations: dict[str, Reservation] = field(default_factory=dict)
    plan: str = DEFAULT_PLAN
    period_end: datetime | None = None
    scheduled: tuple[str, datetime] | None = None
    cancel_at: datetime | None = None
    payments: frozenset[str] = frozenset()
    adjustments: int = 0
    refused: bool = False

    @property
    def available(self) -> int:
        return sum(lot.remaining for lot in self.lots.values())

    @property
    def reserved(self) -> int:
        return sum(r.credits for r in self.reservations.values() if r.status == "held")

    @property
    def balance(self) -> int:
        return self.available + self.reserved


def _lots(state: CreditAccount, changes: dict[str, int]) -> dict[str, Lot]:
    """Lots after adding `changes` (negative: taken) to their remaining credits."""
    lots = dict(state.lots)
    for lot_id, delta in changes.items():
        lot = lots.get(lot_id, Lot(0, None))
        lots[lot_id] = replace(lot, remaining=lot.remaining + delta)
    return lots


def _negated(lots: dict[str, int]) -> dict[str, int]:
    return {k: -v for k, v in lots.items()}


def evolve(state: CreditAccount, event: DomainEvent) -> CreditAccount:
    match event:
        case CreditsGranted():
            return replace(state, lots={**state.lots, event.lot: Lot(event.credits, event.expires_at)})
        case CreditsPurchased():
            return replace(state, lots={**state.lots, event.lot: Lot(event.credits, event.expires_at)})
        case CreditsReserved():
            reservation = Reservation(event.credits, event.lots)
            return replace(
                state,
                lots=_lots(state, _negated(event.lots)),
                reservations={**state.reservations, event.reservation_id: reservation},
            )
        case CreditsCaptured():
            held = state.reservations[event.reservation_id]
            return replace(
                state,
                reservations={**state.reservations, event.reservation_id: replace(held, status="captured")},
            )
        case CreditsReleased():
            held = state.reservations[event.reservation_id]
            return replace(
                state,
                lots=_lots(state, held.lots),
                reservations={**state.reservations, event.reservation_id: replace(held, status="released")},
            )
        case CreditsAdjusted():
            if event.credits > 0:
                lots = {**state.lots, event.lot: Lot(event.credits, None)}
            else:
                lots = _lots(state, _negated(event.lots))
            return replace(state, lots=lots, adjustments=state.adjustments + 1)
        case CreditsExpired():
            return replace(state, lots=_lots(state, {event.lot: -event.credits}))
        case PlanChanged():
            return replace(
                state, plan=event.plan, period_end=event.period_end, scheduled=None, cancel_at=None
            )
        case PlanChangeScheduled():
            return replace(state, scheduled=(event.plan, event.effective_at))
        case SubscriptionCancelled():
            return replace(state, scheduled=(DEFAULT_PLAN, event.ends_at), cancel_at=event.ends_at)
        case PaymentReceived():
            return replace(state, payments=state.payments | {event.payment_id})
        case CreditReservationRefused():
            return replace(state, refused=True)
    return state


def aggregate_id(command: Command) -> UUID:
    if isinstance(command, RecordReservationRefusal):
        return refusal_stream_id(command.film_id)
    assert isinstance(command, CreditCommand)
    return credit_account_id(command.account_id)


def fold_events(state: CreditAccount, events: Sequence[DomainEvent]) -> CreditAccount:
    """The state after these events."""
    for event in events:
        state = evolve(state, event)
    return state


def falling_due(state: CreditAccount, now: datetime) -> list[DomainEvent]:
    """What has happened by `now` without a command: lots expired, a scheduled plan change took effect."""
    due: list[DomainEvent] = [
        CreditsExpired(credits=lot.remaining, lot=lot_id)
        for lot_id, lot in state.lots.items()
        if lot.remaining > 0 and lot.expires_at is not None and lot.expires_at <= now
    ]
    if state.scheduled is not None and state.scheduled[1] <= now and state.scheduled[0] != state.plan:
        plan, effective_at = state.scheduled
        due.append(PlanChanged(plan=plan, previous=state.plan, effective_at=effective_at, period_end=None))
    return due


def take(state: CreditAccount, credits: int) -> dict[str, int]:
    """Which lots pay for `credits`: earliest expiry first, never-expiring lots last."""
    order = sorted(
        ((lot_id, lot) for lot_id, lot in state.lots.items() if lot.remaining > 0),
        key=lambda item: (
            item[1].expires_at is None,
            item[1].expires_at or datetime.max.replace(tzinfo=None),
        ),
    )
    taken: dict[str, int] = {}
    left = credits
    for lot_id, lot in order:
        if left == 0:
            break
        n = min(left, lot.remaining)
        taken[lot_id] = n
        left -= n
    assert left == 0, "take() called for more than is available"
    return taken


def decide(command: Command, state: CreditAccount) -> list[DomainEvent]:
    if isinstance(command, RecordReservationRefusal):
        if state.refused:
            return []
        return [
            CreditReservationRefused(
                film_id=str(command.film_id),
                account_id=str(command.account_id),
                cost=command.cost,
                available=command.available,
            )
        ]
    assert isinstance(command, CreditCommand)
    due = falling_due(state, command.now)
    current = fold_events(state, due)
    new = _decide(command, current)
    after = fold_events(current, new)
    # Credits released into a lot that has since expired lapse at once.
    late = [e for e in falling_due(after, command.now) if isinstance(e, CreditsExpired)]
    events = due + new + late
    final = fold_events(after, late)
    if state.available >= LOW_BALANCE > final.available:
        events.append(CreditsLow(balance=final.available))
    return events


def _decide(command: CreditCommand, state: CreditAccount) -> list[DomainEvent]:
    match command:
        case ReserveCredits():
            key = str(command.reservation_id)
            if key in state.reservations:
                return []
            if command.credits > state.available:
                raise PaymentRequired(
                    f"You have {state.available} credits; this film costs {command.credits}. "
                    "Buy a top-up at /credits (or `filmstudio credits topup`), or upgrade your plan.",
                    available=state.available,
                    cost=command.credits,
                )
            return [
                CreditsReserved(
                    reservation_id=key,
                    credits=command.credits,
                    lots=take(state, command.credits),
                    account_id=str(command.account_id),
                    project_id=str(command.project_id),
                    owner_id=str(command.owner_id),
                    spec=command.spec,
                    stages=command.stages,
                    priority=command.priority,
                    plan=command.plan,
                )
            ]
        case CaptureCredits() | ReleaseCredits():
            key = str(command.reservation_id)
            held = state.reservations.get(key)
            if held is None:
                raise NotFound(f"No credit reservation for film {key}; nothing to capture or release.")
            if held.status != "held":
                return []
            if isinstance(command, CaptureCredits):
                return [CreditsCaptured(reservation_id=key, credits=held.credits)]
            return [
                CreditsReleased(
                    reservation_id=key, credits=held.credits, reason=command.reason, lots=held.lots
                )
            ]
        case GrantPlanCredits():
            lot = f"grant:{command.period}"
            if lot in state.lots:
                return []
            # Monthly credits do not roll over: the previous grants' unspent credits lapse.
            lapsed: list[DomainEvent] = [
                CreditsExpired(credits=old.remaining, lot=lot_id)
                for lot_id, old in state.lots.items()
                if lot_id.startswith("grant:") and old.remaining > 0
            ]
            granted = CreditsGranted(
                credits=command.credits,
                period=command.period,
                plan=command.plan,
                expires_at=command.expires_at,
                lot=lot,
            )
            return [*lapsed, granted]
        case PurchaseCredits():
            if command.payment_id in state.payments:
                return []
            return [
                PaymentReceived(
                    payment_id=command.payment_id,
                    amount_cents=command.amount_cents,
                    currency=command.currency,
                    kind=command.kind,
                    description=command.description or f"{command.credits} credits",
                ),
                CreditsPurchased(
                    credits=command.credits,
                    payment_id=command.payment_id,
                    amount_cents=command.amount_cents,
                    currency=command.currency,
                    expires_at=command.now + timedelta(days=command.valid_days),
                    lot=f"purchase:{command.payment_id}",
                ),
            ]
        case RecordPayment():
            if command.payment_id in state.payments:
                return []
            return [
                PaymentReceived(
                    payment_id=command.payment_id,
                    amount_cents=command.amount_cents,
                    currency=command.currency,
                    kind=command.kind,
                    description=command.description,
                    plan=command.plan,
                )
            ]
        case AdjustCredits():
            if command.credits == 0:
                raise Invalid(
                    "An adjustment of 0 credits changes nothing; send a positive or negative number."
                )
            admin = str(command.admin_id)
            if command.credits > 0:
                lot = f"adjust:{state.adjustments + 1}"
                return [
                    CreditsAdjusted(credits=command.credits, reason=command.reason, admin_id=admin, lot=lot)
                ]
            if -command.credits > state.available:
                raise Invalid(
                    f"The account has {state.available} available credits; remove at most that many "
                    "(credits held for running films cannot be removed)."
                )
            lots = take(state, -command.credits)
            return [
                CreditsAdjusted(credits=command.credits, reason=command.reason, admin_id=admin, lots=lots)
            ]
        case ExpireCredits():
            return []
        case ChangePlan():
            if (
                command.plan == state.plan
                and command.period_end == state.period_end
                and state.scheduled is None
            ):
                return []
            return [
                PlanChanged(
                    plan=command.plan,
                    previous=state.plan,
                    effective_at=command.now,
                    period_end=command.period_end,
                )
            ]
        case SchedulePlanChange():
            if state.scheduled == (command.plan, command.effective_at):
                return []
            return [PlanChangeScheduled(plan=command.plan, effective_at=command.effective_at)]
        case CancelSubscription():
            if state.cancel_at == command.ends_at:
                return []
            return [SubscriptionCancelled(ends_at=command.ends_at)]
    raise TypeError(f"credit cannot handle {type(command).__name__}")
