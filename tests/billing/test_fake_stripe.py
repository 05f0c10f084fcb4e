"""The fake speaks Stripe's protocol: the official client reads its objects, errors and idempotent replays."""

from __future__ import annotations

import pytest
import stripe

from tests.support.fakes.stripe_forms import decode_form, encode_form
from tests.support.fakes.stripe_server import FakeStripe
from tests.support.fakes.stripe_webhooks import signature_header


def test_nested_form_keys_decode_into_objects_and_lists() -> None:
    params = {
        "line_items": [{"price": "price_1", "quantity": 2}],
        "metadata": {"a": "b"},
        "expand": ["x", "y"],
    }
    assert decode_form("&".join(f"{k}={v}" for k, v in encode_form(params))) == {
        "line_items": [{"price": "price_1", "quantity": "2"}],
        "metadata": {"a": "b"},
        "expand": ["x", "y"],
    }
    assert decode_form("expand[]=a&expand[]=b") == {"expand": ["a", "b"]}


def test_errors_idempotency_and_signatures_behave_as_stripe_s() -> None:
    with FakeStripe(auto_deliver=False) as fake:
        client = stripe.StripeClient(fake.api_key, base_addresses={"api": fake.url})
        with pytest.raises(stripe.InvalidRequestError) as missing:
            client.v1.checkout.sessions.retrieve("cs_test_nothing")
        assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
        with pytest.raises(stripe.AuthenticationError) as wrong_key:
            stripe.StripeClient("sk_test_wrong", base_addresses={"api": fake.url}).v1.customers.list()
        assert wrong_key.value.http_status == 401
        with pytest.raises(stripe.InvalidRequestError) as no_mode:
            client.v1.checkout.sessions.create({"line_items": [{"price": "price_x", "quantity": 1}]})  # type: ignore[typeddict-item]
        assert no_mode.value.param == "mode"

        first = client.v1.customers.create({"email": "a@example.com"}, {"idempotency_key": "k-1"})
        again = client.v1.customers.create({"email": "a@example.com"}, {"idempotency_key": "k-1"})
        assert first.id == again.id
        assert len([o for o in fake.account.store.objects.values() if o["object"] == "customer"]) == 1
        with pytest.raises(stripe.IdempotencyError):
            client.v1.customers.create({"email": "b@example.com"}, {"idempotency_key": "k-1"})

        event = fake.account.events[-1]
        body = fake.webhooks.body(event)
        verified = stripe.Webhook.construct_event(
            body, signature_header(body, fake.webhooks.secret), fake.webhooks.secret
        )
        assert verified.id == event["id"]
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body, signature_header(body, "whsec_other"), fake.webhooks.secret)
