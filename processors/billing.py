"""The Stripe policy: turns verified Stripe events into credit and billing commands, idempotently, in any order.

Each command's id derives from the Stripe event id (or the payment id), so a redelivered event repeats
nothing. Out-of-order delivery is handled by recording Stripe's view of the subscription with the time
Stripe created the event: an older view than the one recorded changes no plan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from commands.billing import Billing
from commands.bus import CommandBus
from commands.credits import CreditAccount, evolve, falling_due
from schemas.billing import (
    ClaimStripeCustomer,
    IssueReceipt,
    LinkStripeCustomer,
    RecordInvoice,
    SyncSubscription,
    billing_stream_id,
    stripe_customer_stream_id,
)
from schemas.commands import Command
from schemas.credits import (
    CancelSubscription,
    ChangePlan,
    GrantPlanCredits,
    PurchaseCredits,
    RecordPayment,
    SchedulePlanChange,
    credit_account_id,
)
from schemas.plans import Catalogue

log = logging.getLogger(__name__)

STRIPE_NAMESPACE = UUID("f2c6a9d0-4b3e-4c71-8a5f-0d9e7b1c3a62")
PLAN_LOOKUP_PREFIX = "filmstudio_plan_"
LIVE_STATUSES = ("active", "trialing", "past_due")
HANDLED = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "charge.succeeded",
)
"""The event types to enable on the Stripe webhook endpoint."""


def at(unix: int | None) -> datetime:
    return datetime.fromtimestamp(unix or 0, UTC)


def plan_of_price(price: dict[str, Any], catalogue: Catalogue) -> str | None:
    """The catalogue plan a Stripe price bills: a configured price id, else our metadata or lookup key."""
    for plan in catalogue.plans:
        if plan.stripe_price and plan.stripe_price == price.get("id"):
            return plan.id
    plan_id = (price.get("metadata") or {}).get("plan_id")
    lookup_key = str(price.get("lookup_key") or "")
    if not plan_id and lookup_key.startswith(PLAN_LOOKUP_PREFIX):
        plan_id = lookup_key.removeprefix(PLAN_LOOKUP_PREFIX).rsplit("_", 2)[0]
    return plan_id if plan_id and catalogue.has_plan(plan_id) else None


class StripeEvents:
    """Handles one Stripe event at a time; safe to call again with the same event."""

    def __init__(
        self,
        bus: CommandBus,
        catalogue: Catalogue,
        plan_for_price_id: Callable[[str], str | None] = lambda price_id: None,
    ) -> None:
        self.bus = bus
        self.catalogue = catalogue
        self.plan_for_price_id = plan_for_price_id

    def handle(self, event: dict[str, Any]) -> str:
        """Applies the event; returns what it did (for logs and tests)."""
        kind, obj = event["type"], event["data"]["object"]
        when = at(event.get("created"))
        if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            return self._checkout(obj, when)
        if kind.startswith("customer.subscription."):
            return self._subscription(obj, event["id"], when, event["data"].get("previous_attributes") or {})
        if kind == "invoice.paid":
            return self._invoice(obj, event["id"], when)
        if kind == "charge.succeeded":
            return self._charge(obj)
        return f"ignored {kind}"

    def _send(self, command: Command, key: str) -> list[str]:
        """Sends a command whose id is fixed by `key`, so a repeated Stripe event repeats nothing."""
        command = command.model_copy(update={"command_id": uuid5(STRIPE_NAMESPACE, key)})
        return self.bus.handle(command, actor="stripe").events

    # --- who is paying --------------------------------------------------------------------------

    def account_of(self, metadata: dict[str, Any] | None, customer: str | None) -> UUID | None:
        """Our account id from the metadata we set, else from the customer -> account index."""
        account = (metadata or {}).get("account_id")
        if account:
            return UUID(str(account))
        if customer:
            envelopes = self.bus.store.load(stripe_customer_stream_id(customer))
            if envelopes:
                return UUID(envelopes[-1].payload["account_id"])
        return None

    def link_customer(self, account_id: UUID, customer_id: str) -> None:
        """Remembers the account's Stripe customer both ways (idempotent)."""
        self.bus.handle(LinkStripeCustomer(account_id=account_id, customer_id=customer_id), actor="stripe")
        self.bus.handle(ClaimStripeCustomer(customer_id=customer_id, account_id=account_id), actor="stripe")

    # --- top-ups ------------------------------------------------------------------------------

    def _checkout(self, session: dict[str, Any], when: datetime) -> str:
        account = self.account_of(session.get("metadata"), session.get("customer"))
        reference = session.get("client_reference_id")
        if account is None and reference:
            account = UUID(reference)
        if account is None:
            return "ignored: a checkout the studio did not start"
        if session.get("customer"):
            self.link_customer(account, session["customer"])
        meta = session.get("metadata") or {}
        if session["mode"] != "payment" or meta.get("kind") != "topup":
            return "subscription checkout: the subscription and its invoices set the plan"
        if session.get("payment_status") != "paid":
            return "waiting: the payment has not cleared"
        payment_id = session.get("payment_intent") or session["id"]
        credits = int(meta["credits"])
        description = f"{credits} credits (top-up)"
        amount, currency = int(session["amount_total"]), str(session["currency"])
        done = self._send(
            PurchaseCredits(
                account_id=account,
                payment_id=payment_id,
                credits=credits,
                amount_cents=amount,
                currency=currency,
                description=description,
                now=when,
                valid_days=self.catalogue.purchased_credits_valid_days,
            ),
            f"purchase:{payment_id}",
        )
        self._send(
            RecordInvoice(
                account_id=account,
                invoice_id=payment_id,
                at=when,
                amount_cents=amount,
                currency=currency,
                description=description,
            ),
            f"invoice:{payment_id}",
        )
        return f"top-up {payment_id}: {credits} credits" + ("" if done else " (already recorded)")

    def _charge(self, charge: dict[str, Any]) -> str:
        account = self.account_of(None, charge.get("customer"))
        if account is None or not charge.get("receipt_url") or not charge.get("payment_intent"):
            return "ignored: a charge of no known account"
        self._send(
            IssueReceipt(
                account_id=account, payment_id=charge["payment_intent"], receipt_url=charge["receipt_url"]
            ),
            f"receipt:{charge['payment_intent']}",
        )
        return f"receipt for {charge['payment_intent']}"

    # --- subscriptions ------------------------------------------------------------------------

    def _subscription(
        self, sub: dict[str, Any], event_id: str, when: datetime, previous: dict[str, Any]
    ) -> str:
        account = self.account_of(sub.get("metadata"), sub.get("customer"))
        item = sub["items"]["data"][0]
        plan = plan_of_price(item["price"], self.catalogue)
        if account is None or plan is None:
            return "ignored: a subscription to no plan of this studio"
        if sub.get("customer"):
            self.link_customer(account, sub["customer"])
        start, end = at(item["current_period_start"]), at(item["current_period_end"])
        synced = self._send(
            SyncSubscription(
                account_id=account,
                subscription_id=sub["id"],
                plan=plan,
                status=sub["status"],
                period_start=start,
                period_end=end,
                cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
                observed_at=when,
                stripe_event_id=event_id,
            ),
            f"{event_id}:sync",
        )
        if not synced:
            return f"ignored: an older view of {sub['id']} than the one recorded"
        old_items = (previous.get("items") or {}).get("data") or []
        # A price change inside the current period (not a renewal): a downgrade waits for the period's end.
        within_period = (
            bool(old_items) and old_items[0].get("current_period_start") == item["current_period_start"]
        )
        if sub["status"] not in LIVE_STATUSES:
            return self._apply_plan(account, self.catalogue.default_plan, None, False, event_id, when)
        if sub.get("cancel_at_period_end"):
            ends_at = at(sub.get("cancel_at") or item["current_period_end"])
            self._send(
                CancelSubscription(account_id=account, ends_at=ends_at, now=when), f"{event_id}:cancel"
            )
            return f"cancelled: {plan} until {ends_at:%Y-%m-%d}"
        return self._apply_plan(account, plan, end, within_period, event_id, when)

    def _apply_plan(
        self,
        account: UUID,
        plan: str,
        period_end: datetime | None,
        within_period: bool,
        key: str,
        when: datetime,
    ) -> str:
        """Upgrades (and first subscriptions) at once; a downgrade within a paid period at its end."""
        current = self.credit_state(account, when)
        if plan == current.plan:
            if current.scheduled is None or period_end is None:
                return f"plan {plan} unchanged"
            # Stripe says the plan goes on (a cancel or downgrade was undone): drop what was scheduled.
            self._send(
                ChangePlan(account_id=account, plan=plan, period_end=period_end, now=when), f"{key}:plan"
            )
            return f"plan {plan} continues"
        if current.scheduled is not None and current.scheduled[0] == plan and within_period:
            return f"plan {plan} already scheduled"
        upgrade = self.catalogue.plan(plan).price_cents > self.catalogue.plan(current.plan).price_cents
        if upgrade or not within_period or period_end is None:
            self._send(
                ChangePlan(account_id=account, plan=plan, period_end=period_end, now=when), f"{key}:plan"
            )
            return f"plan {current.plan} -> {plan} now"
        self._send(
            SchedulePlanChange(account_id=account, plan=plan, effective_at=period_end, now=when),
            f"{key}:plan",
        )
        return f"plan {current.plan} -> {plan} on {period_end:%Y-%m-%d}"

    def credit_state(self, account: UUID, when: datetime) -> CreditAccount:
        """The credit account as of `when`, with scheduled changes that fell due applied."""
        state, _version = self.bus.state_of("credit", credit_account_id(account))
        assert isinstance(state, CreditAccount)
        for event in falling_due(state, when):
            state = evolve(state, event)
        return state

    def billing_state(self, account: UUID) -> Billing:
        state, _version = self.bus.state_of("billing", billing_stream_id(account))
        assert isinstance(state, Billing)
        return state

    # --- invoices -----------------------------------------------------------------------------

    def _invoice(self, invoice: dict[str, Any], event_id: str, when: datetime) -> str:
        parent = (invoice.get("parent") or {}).get("subscription_details") or {}
        account = self.account_of(parent.get("metadata"), invoice.get("customer"))
        if account is None:
            return "ignored: an invoice of no known account"
        lines = invoice["lines"]["data"]
        main = next((li for li in lines if not _is_proration(li)), lines[0] if lines else None)
        price_id = ((main or {}).get("pricing") or {}).get("price_details", {}).get("price")
        plan = self.plan_for_price_id(price_id) if price_id else None
        plan = plan or (parent.get("metadata") or {}).get("plan_id")
        paid_at = at((invoice.get("status_transitions") or {}).get("paid_at") or invoice.get("created"))
        amount, currency = int(invoice["amount_paid"]), str(invoice["currency"])
        name = self.catalogue.plan(plan).name if plan and self.catalogue.has_plan(plan) else "Subscription"
        description = f"{name} plan" + (
            " (upgrade, prorated)" if invoice.get("billing_reason") == "subscription_update" else ""
        )
        self._send(
            RecordPayment(
                account_id=account,
                payment_id=invoice["id"],
                amount_cents=amount,
                currency=currency,
                description=description,
                plan=plan or "",
                now=paid_at,
            ),
            f"payment:{invoice['id']}",
        )
        self._send(
            RecordInvoice(
                account_id=account,
                invoice_id=invoice["id"],
                at=paid_at,
                amount_cents=amount,
                currency=currency,
                description=description,
                status=str(invoice.get("status") or "paid"),
                invoice_url=invoice.get("hosted_invoice_url"),
                receipt_url=invoice.get("hosted_invoice_url"),
            ),
            f"invoice:{invoice['id']}",
        )
        if main is None or plan is None or not self.catalogue.has_plan(plan):
            return f"invoice {invoice['id']} recorded"
        return self._invoice_plan(account, invoice, main, plan, event_id, when)

    def _invoice_plan(
        self,
        account: UUID,
        invoice: dict[str, Any],
        line: dict[str, Any],
        plan: str,
        event_id: str,
        when: datetime,
    ) -> str:
        """A paid subscription invoice: the plan is active for the line's period, with its monthly credits."""
        start, end = at(line["period"]["start"]), at(line["period"]["end"])
        seen = self.billing_state(account).subscription
        if end <= when or (seen is not None and seen.period_start > start):
            return f"invoice {invoice['id']} recorded (a past period: no credits)"
        reason = invoice.get("billing_reason")
        if seen is None or seen.observed_at <= when:
            self._apply_plan(account, plan, end, reason == "subscription_update", event_id, when)
        subscription = (line.get("subscription") or "") or "subscription"
        credits = self.catalogue.plan(plan).monthly_credits
        self._send(
            GrantPlanCredits(
                account_id=account,
                plan=plan,
                credits=credits,
                period=f"{subscription}:{start:%Y-%m-%dT%H:%M:%S}:{plan}",
                expires_at=end,
                now=when,
            ),
            f"grant:{invoice['id']}",
        )
        return f"invoice {invoice['id']}: {credits} {plan} credits until {end:%Y-%m-%d}"


def _is_proration(line: dict[str, Any]) -> bool:
    details = (line.get("parent") or {}).get("subscription_item_details") or {}
    return bool(details.get("proration"))
