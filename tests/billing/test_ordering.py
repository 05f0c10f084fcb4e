"""Stripe delivers events in no guaranteed order; the studio ends in the same state whatever the order."""

from __future__ import annotations

from tests.billing.conftest import Billed
from tests.gateway.conftest import sign_up


def _grants(billed: Billed, user: object) -> list[int]:
    account = billed.credits(user)  # type: ignore[arg-type]
    return [lot.remaining for k, lot in account.lots.items() if k.startswith("grant:") and lot.remaining]


def test_invoice_paid_before_checkout_completed_activates_the_plan_once(held: Billed) -> None:
    user = sign_up(held.client)
    session = held.checkout(user, kind="subscription", plan_id="pro")
    held.stripe.pay(session["session_id"])
    sent = held.stripe.webhooks.outbox
    # The invoice first, then everything else backwards (checkout completed before the subscription exists).
    outbox = [e for e in sent if e["type"] == "invoice.paid"] + [
        e for e in reversed(sent) if e["type"] != "invoice.paid"
    ]
    types = [e["type"] for e in outbox]
    assert types.index("invoice.paid") < types.index("checkout.session.completed")
    assert types.index("invoice.paid") < types.index("customer.subscription.created")

    assert set(held.stripe.webhooks.send_in_order(outbox)) == {200}

    assert held.credits(user).plan == "pro"
    assert _grants(held, user) == [90]
    # Everything again, in the original order: nothing more happens.
    assert set(held.stripe.webhooks.send_in_order(list(reversed(outbox)))) == {200}
    assert _grants(held, user) == [90]
    assert len(held.billing(user).invoices) == 1


def test_an_older_subscription_update_arriving_after_a_newer_one_is_ignored(held: Billed) -> None:
    user = sign_up(held.client)
    session = held.checkout(user, kind="subscription", plan_id="standard")
    subscription = held.stripe.pay(session["session_id"])["subscription"]
    held.stripe.webhooks.flush()
    assert held.credits(user).plan == "standard"

    # Two changes made in the Stripe dashboard a second apart: up to Enterprise, then back down to Pro.
    prices = {
        p: held.studio.extras["payments"].stripe.plan_price(held.studio.catalogue.plan(p))
        for p in ("pro", "enterprise")
    }
    item = held.stripe.account.store.get("subscription", subscription)["items"]["data"][0]["id"]
    with held.stripe.account.lock:
        held.stripe.account.update_subscription(
            subscription,
            {"items": [{"id": item, "price": prices["enterprise"]}], "proration_behavior": "none"},
        )
        held.stripe.account.clock.offset += 1
        held.stripe.account.update_subscription(
            subscription, {"items": [{"id": item, "price": prices["pro"]}], "proration_behavior": "none"}
        )
    updates = [e for e in held.stripe.webhooks.outbox if e["type"] == "customer.subscription.updated"]
    assert updates[0]["created"] < updates[1]["created"]

    held.stripe.webhooks.send_in_order([updates[1], updates[0]])

    assert held.billing(user).subscription is not None
    assert held.billing(user).subscription.plan == "pro"
    assert held.credits(user).plan == "pro"


def test_a_renewal_invoice_arriving_before_the_checkout_s_first_invoice_keeps_the_newer_credits(
    held: Billed,
) -> None:
    user = sign_up(held.client)
    session = held.checkout(user, kind="subscription", plan_id="standard")
    subscription = held.stripe.pay(session["session_id"])["subscription"]
    first = held.stripe.webhooks.outbox
    held.stripe.webhooks.outbox = []
    held.stripe.end_period(subscription)
    renewal = held.stripe.webhooks.outbox
    held.stripe.webhooks.outbox = []

    held.stripe.webhooks.send_in_order(renewal + first)

    renewal_invoice = next(e for e in renewal if e["type"] == "invoice.paid")["data"]["object"]
    account = held.credits(user)
    (live,) = [lot for k, lot in account.lots.items() if k.startswith("grant:") and lot.remaining]
    assert live.remaining == 30
    assert live.expires_at is not None
    assert int(live.expires_at.timestamp()) == renewal_invoice["lines"]["data"][0]["period"]["end"]
    assert account.plan == "standard"
