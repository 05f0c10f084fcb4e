"""Top-ups: Checkout -> paid -> credits purchased once, expiring in a year; forged webhooks change nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from tests.billing.conftest import WEBHOOK_PATH, Billed
from tests.gateway.conftest import is_problem, sign_up
from tests.support.fakes.stripe_webhooks import signature_header


def test_a_paid_top_up_adds_its_credits_which_expire_in_a_year(billed: Billed) -> None:
    user = sign_up(billed.client)
    before = billed.credits(user).available
    session = billed.checkout(user, kind="topup", topup_id="topup-30")
    assert session["checkout_url"].startswith(billed.stripe.url)

    # The creator pays on the hosted page; Stripe redirects back to the studio and sends the webhooks.
    page = httpx.post(session["checkout_url"])
    assert page.status_code == 303
    assert page.headers["location"].startswith("http://studio.test/credits?checkout=success")
    billed.settle()

    account = billed.credits(user)
    assert account.available == before + 30
    (lot,) = [lot for lot_id, lot in account.lots.items() if lot_id.startswith("purchase:")]
    completed = billed.stripe.events_of("checkout.session.completed")[0]
    paid_at = completed["created"]
    assert lot.expires_at is not None
    assert abs(lot.expires_at.timestamp() - paid_at - timedelta(days=365).total_seconds()) < 2


def test_the_same_event_delivered_twice_credits_once(billed: Billed) -> None:
    user = sign_up(billed.client)
    session = billed.checkout(user, kind="topup", topup_id="topup-10")
    billed.stripe.pay(session["session_id"])
    billed.settle()
    once = billed.credits(user).available
    completed = billed.stripe.events_of("checkout.session.completed")[-1]

    assert billed.stripe.webhooks.replay(completed) == 200
    assert billed.stripe.webhooks.replay(completed) == 200

    assert billed.credits(user).available == once
    purchases = [k for k in billed.credits(user).lots if k.startswith("purchase:")]
    assert len(purchases) == 1


def test_a_webhook_with_a_wrong_signature_is_refused_and_credits_nothing(held: Billed) -> None:
    user = sign_up(held.client)
    session = held.checkout(user, kind="topup", topup_id="topup-10")
    held.stripe.pay(session["session_id"])
    completed = held.stripe.events_of("checkout.session.completed")[-1]
    before = held.credits(user).available

    assert held.stripe.webhooks.deliver(completed, secret="whsec_someone_else") == 400
    body = json.dumps(completed).encode()
    unsigned = held.client.post(WEBHOOK_PATH, content=body, headers={"Content-Type": "application/json"})
    problem = is_problem(unsigned, 400)
    assert "Stripe-Signature" in problem["detail"] or "signature" in problem["detail"].lower()
    # A valid signature over different bytes (the amount changed in transit) is refused too.
    forged = body.replace(b'"topup"', b'"topup" ')
    header = signature_header(body, held.stripe.webhooks.secret)
    tampered = held.client.post(WEBHOOK_PATH, content=forged, headers={"Stripe-Signature": header})
    is_problem(tampered, 400)
    # A signature older than five minutes is a replay attack, not a retry.
    stale = signature_header(body, held.stripe.webhooks.secret, timestamp=1_000_000)
    is_problem(held.client.post(WEBHOOK_PATH, content=body, headers={"Stripe-Signature": stale}), 400)

    assert held.credits(user).available == before
    assert held.billing(user).invoices == {}


def test_top_ups_are_listed_with_their_receipts(billed: Billed) -> None:
    user = sign_up(billed.client)
    for topup in ("topup-10", "topup-60"):
        billed.stripe.pay(billed.checkout(user, kind="topup", topup_id=topup)["session_id"])
    billed.settle()

    listed = billed.client.get("/api/billing/invoices", headers=user.headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [i["amount_cents"] for i in items] == [2600, 500]
    assert [i["description"] for i in items] == ["60 credits (top-up)", "10 credits (top-up)"]
    for item in items:
        assert item["status"] == "paid" and item["currency"] == "usd"
        receipt = httpx.get(item["receipt_url"])
        assert receipt.status_code == 200
        assert f"{item['amount_cents'] / 100:.2f} USD" in receipt.text


def test_a_bulk_pack_needs_the_enterprise_plan_and_an_unknown_top_up_is_named(billed: Billed) -> None:
    user = sign_up(billed.client)
    bulk = billed.client.post(
        "/api/billing/checkout", json={"kind": "topup", "topup_id": "bulk-300"}, headers=user.headers
    )
    assert "Enterprise" in is_problem(bulk, 403)["detail"]
    unknown = billed.client.post(
        "/api/billing/checkout", json={"kind": "topup", "topup_id": "topup-7"}, headers=user.headers
    )
    assert "topup-10" in is_problem(unknown, 422)["detail"]
    assert billed.stripe.events_of("checkout.session.completed") == []
