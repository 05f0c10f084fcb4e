"""The Stripe adapter: Checkout Sessions, subscription changes and webhook verification with the official client.

It only talks to Stripe; what a payment means for credits and plans is decided in processors/billing.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import stripe

from commands.errors import DomainError
from processors.billing import PLAN_LOOKUP_PREFIX, plan_of_price
from schemas.plans import Catalogue, Plan, TopUp


class PaymentsUnavailable(DomainError):
    """Stripe is not configured on this studio, or did not answer."""

    title = "Payments unavailable"


class InvalidWebhook(DomainError):
    """A webhook whose Stripe-Signature does not verify (forged, wrong secret, too old) or whose body is not JSON."""

    title = "Invalid webhook"


@dataclass(frozen=True)
class CheckoutLink:
    """A hosted Checkout page the creator opens to pay."""

    session_id: str
    url: str


@dataclass(frozen=True)
class SubscriptionView:
    """What the studio needs to know of a Stripe subscription."""

    id: str
    item_id: str
    price_id: str
    plan: str | None
    status: str
    period_start: datetime
    period_end: datetime
    cancel_at_period_end: bool
    cancel_at: datetime | None


def timestamp(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def subscription_view(subscription: dict[str, Any], catalogue: Catalogue) -> SubscriptionView:
    """A subscription object (API answer or webhook payload) as the studio reads it."""
    item = subscription["items"]["data"][0]
    start, end = timestamp(item["current_period_start"]), timestamp(item["current_period_end"])
    assert start is not None and end is not None
    return SubscriptionView(
        id=subscription["id"],
        item_id=item["id"],
        price_id=item["price"]["id"],
        plan=plan_of_price(item["price"], catalogue),
        status=subscription["status"],
        period_start=start,
        period_end=end,
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        cancel_at=timestamp(subscription.get("cancel_at")),
    )


class StripeBilling:
    """Stripe calls for one studio: real Stripe by default, any Stripe-compatible `api_base` in tests."""

    def __init__(
        self,
        client: stripe.StripeClient,
        catalogue: Catalogue,
        *,
        webhook_secret: str | None,
        return_url: str,
    ) -> None:
        self.client = client
        self.catalogue = catalogue
        self.webhook_secret = webhook_secret
        self.return_url = return_url.rstrip("/")
        self._plan_by_price: dict[str, str | None] = {}

    @classmethod
    def from_settings(cls, settings: Any, catalogue: Catalogue) -> StripeBilling | None:
        """The adapter for FILMSTUDIO_STRIPE_*; None when no API key is set (payments off)."""
        if not settings.stripe_api_key:
            return None
        client = stripe.StripeClient(
            settings.stripe_api_key,
            base_addresses={"api": settings.stripe_api_base},
            max_network_retries=2,
        )
        return cls(
            client, catalogue, webhook_secret=settings.stripe_webhook_secret, return_url=settings.public_url
        )

    # --- webhooks -----------------------------------------------------------------------------

    def verify(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        """The event in a webhook body, once its Stripe-Signature verifies against the endpoint secret."""
        if not self.webhook_secret:
            raise PaymentsUnavailable(
                "Webhooks cannot be verified: set FILMSTUDIO_STRIPE_WEBHOOK_SECRET to the endpoint's whsec_ secret."
            )
        try:
            # The tolerance must be passed: without it the library accepts signatures of any age (replays).
            stripe.WebhookSignature.verify_header(
                payload.decode(), signature, self.webhook_secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
            )
            event: dict[str, Any] = json.loads(payload)
        except (stripe.SignatureVerificationError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidWebhook(
                f"The webhook was refused: {error}. Check that FILMSTUDIO_STRIPE_WEBHOOK_SECRET is this "
                "endpoint's signing secret."
            ) from None
        return event

    # --- customers and Checkout ---------------------------------------------------------------

    def create_customer(self, account_id: UUID, email: str, name: str) -> str:
        """A Stripe customer for the account (one per account, even if two checkouts race)."""
        customer = self._call(
            lambda: self.client.v1.customers.create(
                {"email": email, "name": name, "metadata": {"account_id": str(account_id)}},
                {"idempotency_key": f"filmstudio-customer-{account_id}"},
            )
        )
        return str(customer.id)

    def topup_checkout(
        self, account_id: UUID, customer_id: str, topup: TopUp, key: str | None
    ) -> CheckoutLink:
        """A one-off payment page for a credit pack."""
        meta = {
            "account_id": str(account_id),
            "kind": "topup",
            "topup_id": topup.id,
            "credits": str(topup.credits),
        }
        line: dict[str, Any] = {"quantity": 1}
        if topup.stripe_price:
            line["price"] = topup.stripe_price
        else:
            line["price_data"] = {
                "currency": topup.currency,
                "unit_amount": topup.price_cents,
                "product_data": {"name": f"{topup.credits} film credits"},
            }
        params = {
            "mode": "payment",
            "customer": customer_id,
            "client_reference_id": str(account_id),
            "line_items": [line],
            "metadata": meta,
            "payment_intent_data": {"metadata": meta},
            **self._return_urls(),
        }
        return self._checkout(params, key)

    def subscription_checkout(
        self, account_id: UUID, customer_id: str, plan: Plan, key: str | None
    ) -> CheckoutLink:
        """A subscription sign-up page for a paid plan."""
        meta = {"account_id": str(account_id), "kind": "subscription", "plan_id": plan.id}
        params = {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(account_id),
            "line_items": [{"price": self.plan_price(plan), "quantity": 1}],
            "metadata": meta,
            "subscription_data": {"metadata": meta},
            **self._return_urls(),
        }
        return self._checkout(params, key)

    def _return_urls(self) -> dict[str, str]:
        return {
            "success_url": f"{self.return_url}/credits?checkout=success&session_id={{CHECKOUT_SESSION_ID}}",
            "cancel_url": f"{self.return_url}/credits?checkout=cancelled",
        }

    def _checkout(self, params: dict[str, Any], key: str | None) -> CheckoutLink:
        options: dict[str, Any] = {"idempotency_key": f"filmstudio-checkout-{key}"} if key else {}
        session = self._call(lambda: self.client.v1.checkout.sessions.create(params, options))  # type: ignore[arg-type]
        return CheckoutLink(str(session.id), str(session.url))

    def plan_price(self, plan: Plan) -> str:
        """The recurring Stripe price of a plan: the configured id, else found or created by lookup key."""
        if plan.stripe_price:
            return plan.stripe_price
        lookup_key = f"{PLAN_LOOKUP_PREFIX}{plan.id}_{plan.price_cents}_{plan.currency}"
        found = self._call(lambda: self.client.v1.prices.list({"lookup_keys": [lookup_key], "active": True}))
        if found.data:
            return str(found.data[0].id)
        price = self._call(
            lambda: self.client.v1.prices.create(
                {
                    "currency": plan.currency,
                    "unit_amount": plan.price_cents,
                    "recurring": {"interval": "month"},
                    "product_data": {"name": f"AI Film Studio {plan.name}"},
                    "lookup_key": lookup_key,
                    "metadata": {"plan_id": plan.id},
                },
                {"idempotency_key": f"filmstudio-price-{lookup_key}"},
            )
        )
        return str(price.id)

    def plan_for_price_id(self, price_id: str) -> str | None:
        """The plan a price id bills (invoice lines name only the id); asked of Stripe once per price."""
        if price_id not in self._plan_by_price:
            price = self._call(lambda: self.client.v1.prices.retrieve(price_id))
            self._plan_by_price[price_id] = plan_of_price(price.to_dict(), self.catalogue)
        return self._plan_by_price[price_id]

    # --- subscriptions ------------------------------------------------------------------------

    def subscription(self, subscription_id: str) -> SubscriptionView:
        found = self._call(lambda: self.client.v1.subscriptions.retrieve(subscription_id))
        return subscription_view(found.to_dict(), self.catalogue)

    def change_plan(self, current: SubscriptionView, plan: Plan, *, upgrade: bool) -> SubscriptionView:
        """Moves the subscription to the plan's price: an upgrade is invoiced at once (prorated), a
        downgrade is not prorated, so the next renewal bills the lower price."""
        params: dict[str, Any] = {
            "items": [{"id": current.item_id, "price": self.plan_price(plan)}],
            "proration_behavior": "always_invoice" if upgrade else "none",
            "cancel_at_period_end": False,
            "metadata": {"plan_id": plan.id},
        }
        updated = self._call(lambda: self.client.v1.subscriptions.update(current.id, params))  # type: ignore[arg-type]
        return subscription_view(updated.to_dict(), self.catalogue)

    def cancel_at_period_end(self, subscription_id: str) -> SubscriptionView:
        updated = self._call(
            lambda: self.client.v1.subscriptions.update(subscription_id, {"cancel_at_period_end": True})
        )
        return subscription_view(updated.to_dict(), self.catalogue)

    def _call(self, request: Any) -> Any:
        try:
            return request()
        except stripe.StripeError as error:
            message = error.user_message or str(error)
            raise PaymentsUnavailable(
                f"Stripe refused or did not answer the request ({message}). Try again in a minute; "
                "if it keeps failing, tell the operator."
            ) from error
