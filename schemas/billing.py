"""Billing facts that only payments need: an account's Stripe customer and subscription, its invoices.

The money itself (credits purchased, plans, payments received) lives in the credit account (schemas/credits.py);
this stream keeps what the Stripe adapter must remember to find its way back (customer, subscription) and
what the creator's invoice list shows (amounts with invoice and receipt links).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID, uuid5

from pydantic import Field

from schemas.commands import Command
from schemas.envelope import DomainEvent

BILLING_NAMESPACE = UUID("3e8d1f5a-6c27-4b90-a1d4-7f2b9c0e5a83")
CUSTOMER_NAMESPACE = UUID("c71a4e09-2d5b-4f86-9e3c-5b0a8d6f1e24")
SubscriptionStatus = Literal[
    "active", "trialing", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "paused"
]


def billing_stream_id(account_id: UUID | str) -> UUID:
    """The id of an account's billing stream."""
    return uuid5(BILLING_NAMESPACE, str(account_id))


def stripe_customer_stream_id(customer_id: str) -> UUID:
    """The id of the stream that says which account a Stripe customer belongs to."""
    return uuid5(CUSTOMER_NAMESPACE, customer_id)


# --- events ------------------------------------------------------------------------------------


class StripeCustomerLinked(DomainEvent):
    """The account pays through this Stripe customer (in the account's billing stream)."""

    type = "StripeCustomerLinked"
    aggregate = "billing"
    customer_id: str


class StripeCustomerClaimed(DomainEvent):
    """This Stripe customer belongs to the account (in the customer's own stream: the reverse index)."""

    type = "StripeCustomerClaimed"
    aggregate = "stripe_customer"
    account_id: str


class SubscriptionSynced(DomainEvent):
    """Stripe's view of the account's subscription as of `observed_at` (older views are never recorded)."""

    type = "SubscriptionSynced"
    aggregate = "billing"
    subscription_id: str
    plan: str
    status: SubscriptionStatus
    period_start: datetime
    period_end: datetime
    cancel_at_period_end: bool
    observed_at: datetime = Field(description="when Stripe created the event that showed this state")
    stripe_event_id: str


class InvoiceRecorded(DomainEvent):
    """A paid invoice or top-up payment, for the creator's invoice list."""

    type = "InvoiceRecorded"
    aggregate = "billing"
    invoice_id: str = Field(description="the Stripe invoice id, or the payment intent of a top-up")
    at: datetime
    amount_cents: int
    currency: str
    description: str
    status: str
    invoice_url: str | None = None
    receipt_url: str | None = None


class ReceiptIssued(DomainEvent):
    """Stripe issued a receipt for a payment (charge.succeeded), keyed by the payment intent."""

    type = "ReceiptIssued"
    aggregate = "billing"
    payment_id: str
    receipt_url: str


# --- commands ----------------------------------------------------------------------------------


class BillingCommand(Command):
    aggregate = "billing"
    account_id: UUID


class LinkStripeCustomer(BillingCommand):
    """Remember the account's Stripe customer (the first link wins; later ones change nothing)."""

    customer_id: str


class ClaimStripeCustomer(Command):
    """Index a Stripe customer under its account, so events that name only the customer find it."""

    aggregate = "stripe_customer"
    customer_id: str
    account_id: UUID


class SyncSubscription(BillingCommand):
    """Record Stripe's view of the subscription unless a newer view is already recorded."""

    subscription_id: str
    plan: str
    status: SubscriptionStatus
    period_start: datetime
    period_end: datetime
    cancel_at_period_end: bool = False
    observed_at: datetime
    stripe_event_id: str


class RecordInvoice(BillingCommand):
    """Add a paid invoice or top-up to the account's invoice list (once per invoice id)."""

    invoice_id: str
    at: datetime
    amount_cents: int
    currency: str
    description: str
    status: str = "paid"
    invoice_url: str | None = None
    receipt_url: str | None = None


class IssueReceipt(BillingCommand):
    """Attach a receipt link to a payment (once per payment)."""

    payment_id: str
    receipt_url: str
