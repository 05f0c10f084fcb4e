"""Credits and plans: the events of a credit account (one stream per account) and the commands it takes.

Every command carries `now` so the aggregate's decide function stays pure (expiry, period ends).
A credit account's ledger holds lots (a monthly grant, a purchase, a positive adjustment), each with an
expiry; reservations take credits out of lots, earliest expiry first, and record which lots they used.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from uuid import UUID, uuid5

from pydantic import Field

from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.film import FilmSpec

CREDIT_NAMESPACE = UUID("9b7f0c3e-2a41-4f6e-8d15-3c2e7a9b5d60")
REFUSAL_NAMESPACE = UUID("5a0e6c1d-7b2f-4e83-9c4a-1f8d2b6e3a70")
PaymentKind = Literal["topup", "subscription", "other"]


def credit_account_id(account_id: UUID | str) -> UUID:
    """The id of an account's credit stream (one stream per account)."""
    return uuid5(CREDIT_NAMESPACE, str(account_id))


def refusal_stream_id(film_id: UUID | str) -> UUID:
    """Refusals are recorded in their own stream per film, so they never contend with the ledger."""
    return uuid5(REFUSAL_NAMESPACE, str(film_id))


def _now() -> datetime:
    return datetime.now(UTC)


# --- events ------------------------------------------------------------------------------------


class CreditEvent(DomainEvent):
    aggregate = "credit"


class CreditsGranted(CreditEvent):
    """A plan's monthly credits for one period; they expire at the period's end (no rollover)."""

    type = "CreditsGranted"
    credits: int
    period: str = Field(description="the billing period, e.g. '2025-03' or a Stripe invoice period")
    plan: str
    expires_at: datetime
    lot: str


class CreditsPurchased(CreditEvent):
    """A top-up; its credits expire one year after purchase."""

    type = "CreditsPurchased"
    credits: int
    payment_id: str
    amount_cents: int
    currency: str
    expires_at: datetime
    lot: str


class CreditsReserved(CreditEvent):
    """Credits held for a film while it is produced; carries the whole film request for the saga."""

    type = "CreditsReserved"
    reservation_id: str = Field(description="the film id")
    credits: int
    lots: dict[str, int] = Field(description="lot -> credits taken from it")
    account_id: str
    project_id: str
    owner_id: str
    spec: FilmSpec
    stages: dict[str, list[str]]
    priority: int = 0
    plan: str = "free"


class CreditsCaptured(CreditEvent):
    """The film completed (or was cancelled under a no-refund policy): the reserved credits are spent."""

    type = "CreditsCaptured"
    reservation_id: str
    credits: int


class CreditsReleased(CreditEvent):
    """The reserved credits go back to their lots (system failure, refused film, refunded cancel)."""

    type = "CreditsReleased"
    reservation_id: str
    credits: int
    reason: str
    lots: dict[str, int] = {}


class CreditsAdjusted(CreditEvent):
    """An administrator added (credits > 0) or removed (credits < 0) credits, with a reason."""

    type = "CreditsAdjusted"
    credits: int
    reason: str
    admin_id: str
    lot: str = Field("", description="the new lot, for a positive adjustment")
    lots: dict[str, int] = Field({}, description="lots taken from, for a negative adjustment")


class CreditsExpired(CreditEvent):
    """A lot's unspent credits lapsed (period end for grants, one year for purchases)."""

    type = "CreditsExpired"
    credits: int
    lot: str


class CreditReservationRefused(CreditEvent):
    """A film was refused for want of credits; recorded in the film's refusal stream."""

    type = "CreditReservationRefused"
    film_id: str
    account_id: str
    cost: int
    available: int


class PlanChanged(CreditEvent):
    type = "PlanChanged"
    plan: str
    previous: str
    effective_at: datetime
    period_end: datetime | None = None


class PlanChangeScheduled(CreditEvent):
    """A downgrade that takes effect at the end of the current period."""

    type = "PlanChangeScheduled"
    plan: str
    effective_at: datetime


class SubscriptionCancelled(CreditEvent):
    """The paid plan stays until `ends_at`, then the account returns to the free plan."""

    type = "SubscriptionCancelled"
    ends_at: datetime


class PaymentReceived(CreditEvent):
    type = "PaymentReceived"
    payment_id: str
    amount_cents: int
    currency: str
    kind: PaymentKind
    description: str = ""
    plan: str = ""


class CreditsLow(CreditEvent):
    """Available credits fell below the low-balance threshold (for notifications)."""

    type = "CreditsLow"
    balance: int


# --- commands ----------------------------------------------------------------------------------


class CreditCommand(Command):
    aggregate = "credit"
    account_id: UUID
    now: datetime = Field(default_factory=_now, description="the time the decision is made at")


class ReserveCredits(CreditCommand):
    """Hold credits for a film; refused (InsufficientCredits) when the account cannot afford it."""

    reservation_id: UUID = Field(description="the film id")
    credits: int = Field(ge=0)
    project_id: UUID
    owner_id: UUID
    spec: FilmSpec
    stages: dict[str, list[str]]
    priority: int = 0
    plan: str = "free"


class CaptureCredits(CreditCommand):
    reservation_id: UUID


class ReleaseCredits(CreditCommand):
    reservation_id: UUID
    reason: str


class GrantPlanCredits(CreditCommand):
    """Grant a plan's credits for a period; the previous grant's unspent credits expire (no rollover)."""

    plan: str
    credits: int = Field(ge=0)
    period: str
    expires_at: datetime


class PurchaseCredits(CreditCommand):
    """A paid top-up; idempotent by payment_id."""

    payment_id: str
    credits: int = Field(gt=0)
    amount_cents: int = Field(ge=0)
    currency: str = "usd"
    kind: PaymentKind = "topup"
    description: str = ""
    valid_days: int = Field(365, gt=0, description="the credits expire this many days after `now`")


class AdjustCredits(CreditCommand):
    credits: int = Field(description="positive adds, negative removes")
    reason: str = Field(min_length=1)
    admin_id: UUID


class ExpireCredits(CreditCommand):
    """Expire every lot whose expiry has passed at `now`."""


class ChangePlan(CreditCommand):
    """Change plan at once (upgrades)."""

    plan: str
    period_end: datetime | None = None


class SchedulePlanChange(CreditCommand):
    """Change plan at the end of the current period (downgrades)."""

    plan: str
    effective_at: datetime


class CancelSubscription(CreditCommand):
    ends_at: datetime


class RecordPayment(CreditCommand):
    """A payment that buys no credits itself (a subscription invoice); idempotent by payment_id."""

    payment_id: str
    amount_cents: int = Field(ge=0)
    currency: str = "usd"
    kind: PaymentKind = "subscription"
    description: str = ""
    plan: str = ""


class RecordReservationRefusal(Command):
    """Record that a film was refused for want of credits (in the film's own refusal stream)."""

    aggregate = "credit"
    account_id: UUID
    film_id: UUID
    cost: int
    available: int
