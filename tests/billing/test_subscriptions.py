"""Subscriptions: Checkout -> plan and monthly credits; upgrade now, downgrade and cancel at the period's end."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.billing.conftest import Billed
from tests.gateway.conftest import is_problem, sign_up


def test_a_subscription_checkout_activates_the_plan_and_grants_its_monthly_credits(billed: Billed) -> None:
    user = sign_up(billed.client)
    subscription = billed.subscribe(user, "standard")

    account = billed.credits(user)
    assert account.plan == "standard"
    grants = [lot for lot_id, lot in account.lots.items() if lot_id.startswith("grant:") and lot.remaining]
    assert [g.remaining for g in grants] == [30]
    period_end = billed.stripe.account.store.get("subscription", subscription)["items"]["data"][0]
    assert grants[0].expires_at == datetime.fromtimestamp(period_end["current_period_end"], UTC)
    invoices = billed.client.get("/api/billing/invoices", headers=user.headers).json()["items"]
    assert [(i["amount_cents"], i["description"]) for i in invoices] == [(3900, "Standard plan")]
    assert invoices[0]["invoice_url"].startswith(billed.stripe.url)


def test_each_renewal_grants_the_month_s_credits_without_rollover(billed: Billed) -> None:
    user = sign_up(billed.client)
    subscription = billed.subscribe(user, "standard")
    billed.stripe.end_period(subscription)
    billed.settle()

    account = billed.credits(user)
    live = [
        lot.remaining for lot_id, lot in account.lots.items() if lot_id.startswith("grant:") and lot.remaining
    ]
    assert live == [30]
    assert len(billed.client.get("/api/billing/invoices", headers=user.headers).json()["items"]) == 2


def test_an_upgrade_takes_effect_at_once_and_is_invoiced_prorated(billed: Billed) -> None:
    user = sign_up(billed.client)
    billed.subscribe(user, "standard")

    answer = billed.client.post("/api/billing/plan", json={"plan_id": "pro"}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    billed.settle()

    assert billed.credits(user).plan == "pro"
    effective = datetime.fromisoformat(answer.json()["effective_at"])
    assert abs((effective - datetime.now(UTC)).total_seconds()) < 5
    invoices = billed.client.get("/api/billing/invoices", headers=user.headers).json()["items"]
    assert invoices[0]["description"] == "Pro plan (upgrade, prorated)"
    assert 0 < invoices[0]["amount_cents"] <= 4900 - 3900
    grants = [
        lot.remaining
        for k, lot in billed.credits(user).lots.items()
        if k.startswith("grant:") and lot.remaining
    ]
    assert grants == [90]


def test_a_downgrade_waits_for_the_end_of_the_paid_period(billed: Billed) -> None:
    user = sign_up(billed.client)
    subscription = billed.subscribe(user, "pro")
    period_end = billed.stripe.account.store.get("subscription", subscription)["items"]["data"][0][
        "current_period_end"
    ]

    answer = billed.client.post("/api/billing/plan", json={"plan_id": "standard"}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    billed.settle()
    assert datetime.fromisoformat(answer.json()["effective_at"]).timestamp() == period_end
    assert billed.credits(user).plan == "pro"

    billed.stripe.end_period(subscription)
    billed.settle()
    account = billed.credits(user)
    assert account.plan == "standard"
    grants = [lot.remaining for k, lot in account.lots.items() if k.startswith("grant:") and lot.remaining]
    assert grants == [30]
    renewal = billed.client.get("/api/billing/invoices", headers=user.headers).json()["items"][0]
    assert (renewal["amount_cents"], renewal["description"]) == (3900, "Standard plan")


def test_a_cancelled_plan_stays_until_the_period_ends(billed: Billed) -> None:
    user = sign_up(billed.client)
    subscription = billed.subscribe(user, "pro")
    period_end = billed.stripe.account.store.get("subscription", subscription)["items"]["data"][0][
        "current_period_end"
    ]

    answer = billed.client.post("/api/billing/cancel", headers=user.headers)
    assert answer.status_code == 200, answer.text
    assert datetime.fromisoformat(answer.json()["ends_at"]).timestamp() == period_end
    billed.settle()
    assert billed.credits(user).plan == "pro"

    billed.stripe.end_period(subscription)
    billed.settle()
    assert billed.credits(user).plan == "free"
    assert billed.stripe.account.store.get("subscription", subscription)["status"] == "canceled"
    again = billed.client.post("/api/billing/cancel", headers=user.headers)
    assert "no paid subscription" in is_problem(again, 409)["detail"]


def test_a_plan_change_without_a_subscription_answers_a_checkout_page(billed: Billed) -> None:
    user = sign_up(billed.client)
    answer = billed.client.post("/api/billing/plan", json={"plan_id": "enterprise"}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["effective_at"] is None and body["checkout_url"].startswith(billed.stripe.url)
    billed.stripe.pay(body["session_id"])
    billed.settle()
    assert billed.credits(user).plan == "enterprise"
