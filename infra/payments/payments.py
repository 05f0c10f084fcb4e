"""The studio's payment operations: checkout, plan change, cancel, invoices and incoming Stripe webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from commands.billing import Billing, Invoice
from commands.bus import CommandBus
from commands.errors import Conflict, Forbidden, Invalid
from infra.payments.stripe_billing import CheckoutLink, PaymentsUnavailable, StripeBilling, SubscriptionView
from processors.billing import LIVE_STATUSES, StripeEvents
from schemas.billing import SyncSubscription, billing_stream_id
from schemas.credits import CancelSubscription, ChangePlan, SchedulePlanChange
from schemas.plans import Catalogue

NOT_CONFIGURED = (
    "Payments are not set up on this studio. The operator sets FILMSTUDIO_STRIPE_API_KEY and "
    "FILMSTUDIO_STRIPE_WEBHOOK_SECRET (see docs/payments.md)."
)


@dataclass(frozen=True)
class Payer:
    """The account paying, as the gateway knows it."""

    id: UUID
    email: str
    name: str


@dataclass(frozen=True)
class PlanOutcome:
    """When a plan change takes effect, or the Checkout page to open first (no subscription yet)."""

    plan: str
    effective_at: datetime | None
    checkout: CheckoutLink | None = None


def whole_seconds_now() -> datetime:
    # Stripe stamps events in whole seconds; a fraction here would make a same-second event look older.
    return datetime.fromtimestamp(int(datetime.now(UTC).timestamp()), UTC)


class Payments:
    """Payments for one studio; `stripe` is None when the studio has no Stripe key (invoices still list)."""

    def __init__(self, bus: CommandBus, catalogue: Catalogue, stripe: StripeBilling | None) -> None:
        self.bus = bus
        self.catalogue = catalogue
        self.stripe = stripe
        self.events = StripeEvents(
            bus, catalogue, stripe.plan_for_price_id if stripe else lambda _price: None
        )

    def _stripe(self) -> StripeBilling:
        if self.stripe is None:
            raise PaymentsUnavailable(NOT_CONFIGURED)
        return self.stripe

    def billing(self, account_id: UUID) -> Billing:
        state, _version = self.bus.state_of("billing", billing_stream_id(account_id))
        assert isinstance(state, Billing)
        return state

    def customer(self, payer: Payer) -> str:
        """The payer's Stripe customer, created and linked on first use."""
        known = self.billing(payer.id).customer_id
        if known:
            return known
        customer = self._stripe().create_customer(payer.id, payer.email, payer.name)
        self.events.link_customer(payer.id, customer)
        # Two racing first checkouts get the same customer (Stripe idempotency), so the link agrees.
        return self.billing(payer.id).customer_id or customer

    def live_subscription(self, account_id: UUID) -> SyncSubscription | None:
        seen = self.billing(account_id).subscription
        if seen is None or seen.status not in LIVE_STATUSES:
            return None
        return SyncSubscription(
            account_id=account_id,
            subscription_id=seen.subscription_id,
            plan=seen.plan,
            status=seen.status,
            period_start=seen.period_start,
            period_end=seen.period_end,
            cancel_at_period_end=seen.cancel_at_period_end,
            observed_at=seen.observed_at,
            stripe_event_id=seen.stripe_event_id,
        )

    # --- checkout -----------------------------------------------------------------------------

    def checkout_topup(self, payer: Payer, topup_id: str, key: str | None) -> CheckoutLink:
        topup = self.catalogue.topup(topup_id)
        if topup is None:
            ids = ", ".join(t.id for t in self.catalogue.topups)
            raise Invalid(
                f"There is no top-up {topup_id!r}. Choose one of: {ids} (GET /api/plans lists them)."
            )
        plan = self.events.credit_state(payer.id, datetime.now(UTC)).plan
        if topup.enterprise_only and plan != "enterprise":
            raise Forbidden(
                f"The {topup.credits}-credit bulk pack is for the Enterprise plan. Upgrade (POST /api/billing/plan) "
                "or buy a smaller top-up."
            )
        return self._stripe().topup_checkout(payer.id, self.customer(payer), topup, key)

    def checkout_subscription(self, payer: Payer, plan_id: str, key: str | None) -> CheckoutLink:
        plan = self._paid_plan(plan_id)
        if self.live_subscription(payer.id) is not None:
            raise Conflict(
                "You already have a subscription. Change its plan with POST /api/billing/plan instead."
            )
        return self._stripe().subscription_checkout(payer.id, self.customer(payer), plan, key)

    def _paid_plan(self, plan_id: str) -> Any:
        if not self.catalogue.has_plan(plan_id):
            ids = ", ".join(p.id for p in self.catalogue.plans)
            raise Invalid(f"There is no plan {plan_id!r}. Choose one of: {ids} (GET /api/plans lists them).")
        plan = self.catalogue.plan(plan_id)
        if plan.price_cents == 0:
            raise Invalid(f"The {plan.name} plan is free: nothing to pay. To leave a paid plan, cancel it.")
        return plan

    # --- plan changes -------------------------------------------------------------------------

    def change_plan(self, payer: Payer, plan_id: str, key: str | None) -> PlanOutcome:
        """Upgrade at once, downgrade at the period's end; without a subscription, a Checkout page first."""
        if not self.catalogue.has_plan(plan_id):
            self._paid_plan(plan_id)
        target = self.catalogue.plan(plan_id)
        now = whole_seconds_now()
        current = self.events.credit_state(payer.id, now)
        live = self.live_subscription(payer.id)
        if live is None:
            if target.price_cents == 0:
                return PlanOutcome(target.id, now if current.plan == target.id else current.period_end)
            return PlanOutcome(target.id, None, self.checkout_subscription(payer, target.id, key))
        if target.price_cents == 0:
            ends_at = self.cancel(payer)
            return PlanOutcome(target.id, ends_at)
        if target.id == current.plan and current.scheduled is None:
            return PlanOutcome(target.id, now)
        stripe = self._stripe()
        upgrade = target.price_cents > self.catalogue.plan(current.plan).price_cents
        view = stripe.change_plan(stripe.subscription(live.subscription_id), target, upgrade=upgrade)
        self._sync(payer.id, view, now)
        if upgrade or target.id == current.plan:
            self.bus.handle(
                ChangePlan(account_id=payer.id, plan=target.id, period_end=view.period_end, now=now)
            )
            return PlanOutcome(target.id, now)
        self.bus.handle(
            SchedulePlanChange(account_id=payer.id, plan=target.id, effective_at=view.period_end, now=now)
        )
        return PlanOutcome(target.id, view.period_end)

    def cancel(self, payer: Payer) -> datetime:
        """Cancels at the period's end: the paid plan stays until then. Returns when it ends."""
        live = self.live_subscription(payer.id)
        if live is None:
            raise Conflict("You have no paid subscription to cancel; the free plan needs no cancelling.")
        now = whole_seconds_now()
        view = self._stripe().cancel_at_period_end(live.subscription_id)
        self._sync(payer.id, view, now)
        ends_at = view.cancel_at or view.period_end
        self.bus.handle(CancelSubscription(account_id=payer.id, ends_at=ends_at, now=now))
        return ends_at

    def _sync(self, account_id: UUID, view: SubscriptionView, now: datetime) -> None:
        """Records Stripe's answer, so an older webhook arriving later cannot undo this change."""
        if view.plan is None:
            return
        self.bus.handle(
            SyncSubscription(
                account_id=account_id,
                subscription_id=view.id,
                plan=view.plan,
                status=view.status,
                period_start=view.period_start,
                period_end=view.period_end,
                cancel_at_period_end=view.cancel_at_period_end,
                observed_at=now,
                stripe_event_id=f"api:{uuid4()}",
            )
        )

    # --- invoices and webhooks ----------------------------------------------------------------

    def invoices(self, account_id: UUID) -> list[Invoice]:
        return self.billing(account_id).invoice_list()

    def receive_webhook(self, payload: bytes, signature: str | None) -> str:
        """Verifies a Stripe webhook and applies it; safe to receive the same event again."""
        event = self._stripe().verify(payload, signature)
        return self.events.handle(event)


def payments_for(studio: Any) -> Payments:
    """The studio's Payments, built from its settings on first use and kept in `studio.extras`."""
    payments = studio.extras.get("payments")
    if payments is None:
        catalogue = studio.catalogue
        payments = Payments(studio.bus, catalogue, StripeBilling.from_settings(studio.settings, catalogue))
        studio.extras["payments"] = payments
    assert isinstance(payments, Payments)
    return payments
