"""Billing aggregates: an account's Stripe customer, subscription and invoices; the customer -> account index."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from commands.errors import Conflict
from schemas.billing import (
    BillingCommand,
    ClaimStripeCustomer,
    InvoiceRecorded,
    IssueReceipt,
    LinkStripeCustomer,
    ReceiptIssued,
    RecordInvoice,
    StripeCustomerClaimed,
    StripeCustomerLinked,
    SubscriptionSynced,
    SyncSubscription,
    billing_stream_id,
    stripe_customer_stream_id,
)
from schemas.commands import Command
from schemas.envelope import DomainEvent


@dataclass(frozen=True)
class Invoice:
    id: str
    at: datetime
    amount_cents: int
    currency: str
    description: str
    status: str
    invoice_url: str | None
    receipt_url: str | None


@dataclass(frozen=True)
class Billing:
    customer_id: str | None = None
    subscription: SubscriptionSynced | None = None
    invoices: dict[str, Invoice] = field(default_factory=dict)
    receipts: dict[str, str] = field(default_factory=dict)

    def invoice_list(self) -> list[Invoice]:
        """Invoices newest first, each with its receipt link when Stripe issued one."""
        shown = [
            replace(i, receipt_url=i.receipt_url or self.receipts.get(i.id)) for i in self.invoices.values()
        ]
        # Recording order breaks ties: two payments in one second still list newest first.
        order = sorted(enumerate(shown), key=lambda pair: (pair[1].at, pair[0]), reverse=True)
        return [invoice for _, invoice in order]


def evolve(state: Billing, event: DomainEvent) -> Billing:
    match event:
        case StripeCustomerLinked():
            return replace(state, customer_id=event.customer_id)
        case SubscriptionSynced():
            return replace(state, subscription=event)
        case InvoiceRecorded():
            invoice = Invoice(
                event.invoice_id,
                event.at,
                event.amount_cents,
                event.currency,
                event.description,
                event.status,
                event.invoice_url,
                event.receipt_url,
            )
            return replace(state, invoices={**state.invoices, event.invoice_id: invoice})
        case ReceiptIssued():
            return replace(state, receipts={**state.receipts, event.payment_id: event.receipt_url})
    return state


def aggregate_id(command: Command) -> UUID:
    assert isinstance(command, BillingCommand)
    return billing_stream_id(command.account_id)


def is_stale(current: SubscriptionSynced | None, command: SyncSubscription) -> bool:
    """An older view of the same subscription than the one recorded (Stripe delivers out of order)."""
    return (
        current is not None
        and current.subscription_id == command.subscription_id
        and command.observed_at < current.observed_at
    )


def decide(command: Command, state: Billing) -> list[DomainEvent]:
    match command:
        case LinkStripeCustomer():
            return [] if state.customer_id else [StripeCustomerLinked(customer_id=command.customer_id)]
        case SyncSubscription():
            if is_stale(state.subscription, command):
                return []
            return [
                SubscriptionSynced(
                    subscription_id=command.subscription_id,
                    plan=command.plan,
                    status=command.status,
                    period_start=command.period_start,
                    period_end=command.period_end,
                    cancel_at_period_end=command.cancel_at_period_end,
                    observed_at=command.observed_at,
                    stripe_event_id=command.stripe_event_id,
                )
            ]
        case RecordInvoice():
            if command.invoice_id in state.invoices:
                return []
            return [
                InvoiceRecorded(
                    invoice_id=command.invoice_id,
                    at=command.at,
                    amount_cents=command.amount_cents,
                    currency=command.currency,
                    description=command.description,
                    status=command.status,
                    invoice_url=command.invoice_url,
                    receipt_url=command.receipt_url,
                )
            ]
        case IssueReceipt():
            if command.payment_id in state.receipts:
                return []
            return [ReceiptIssued(payment_id=command.payment_id, receipt_url=command.receipt_url)]
    raise TypeError(f"billing cannot handle {type(command).__name__}")


# --- the customer -> account index -------------------------------------------------------------


@dataclass(frozen=True)
class CustomerOwner:
    account_id: str | None = None


def evolve_owner(state: CustomerOwner, event: DomainEvent) -> CustomerOwner:
    if isinstance(event, StripeCustomerClaimed):
        return CustomerOwner(event.account_id)
    return state


def owner_aggregate_id(command: Command) -> UUID:
    assert isinstance(command, ClaimStripeCustomer)
    return stripe_customer_stream_id(command.customer_id)


def decide_owner(command: Command, state: CustomerOwner) -> list[DomainEvent]:
    assert isinstance(command, ClaimStripeCustomer)
    if state.account_id == str(command.account_id):
        return []
    if state.account_id is not None:
        raise Conflict(
            f"Stripe customer {command.customer_id} already belongs to another account; "
            "create a new customer for this account."
        )
    return [StripeCustomerClaimed(account_id=str(command.account_id))]
