"""A studio wired to a local fake Stripe: webhooks from the fake go straight into the studio's API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commands.billing import Billing
from commands.credits import CreditAccount, evolve, falling_due
from infra.container import Studio, build_studio
from infra.plan_catalogue import DEFAULT_PLANS_FILE
from infra.settings import Settings
from schemas.billing import billing_stream_id
from schemas.credits import credit_account_id
from tests.gateway.conftest import User, make_app, sign_up
from tests.support.fakes.stripe_server import FakeStripe

WEBHOOK_PATH = "/api/billing/stripe/webhook"


@dataclass
class Billed:
    """The studio, its API client and the fake Stripe it pays through."""

    studio: Studio
    client: TestClient
    stripe: FakeStripe

    def credits(self, user: User, at: datetime | None = None) -> CreditAccount:
        """The user's credit account as of `at` (default: Stripe's clock), scheduled changes applied."""
        state, _ = self.studio.bus.state_of("credit", credit_account_id(user.id))
        when = at or datetime.fromtimestamp(self.stripe.account.clock.now(), UTC)
        for event in falling_due(state, when):
            state = evolve(state, event)
        assert isinstance(state, CreditAccount)
        return state

    def billing(self, user: User) -> Billing:
        state, _ = self.studio.bus.state_of("billing", billing_stream_id(user.id))
        assert isinstance(state, Billing)
        return state

    def checkout(self, user: User, **body: Any) -> dict[str, Any]:
        response = self.client.post("/api/billing/checkout", json=body, headers=user.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def settle(self) -> None:
        assert self.stripe.webhooks.wait_idle(20), "the fake's webhooks did not all arrive"

    def subscribe(self, user: User, plan_id: str) -> str:
        """Buys a plan through Checkout; returns the Stripe subscription id."""
        session = self.checkout(user, kind="subscription", plan_id=plan_id)
        paid = self.stripe.pay(session["session_id"])
        self.settle()
        return str(paid["subscription"])


def post_to(client_box: list[TestClient]) -> Callable[[bytes, dict[str, str]], int]:
    def post(body: bytes, headers: dict[str, str]) -> int:
        return client_box[0].post(WEBHOOK_PATH, content=body, headers=headers).status_code

    return post


def _billed(tmp_path: Path, auto_deliver: bool) -> Iterator[Billed]:
    box: list[TestClient] = []
    with FakeStripe(transport=post_to(box), auto_deliver=auto_deliver) as stripe:
        settings = Settings(
            data_dir=tmp_path,
            stage_set="titlecards",
            environment="test",
            stripe_api_key=stripe.api_key,
            stripe_webhook_secret=stripe.webhooks.secret,
            stripe_api_base=stripe.url,
            public_url="http://studio.test",
            plans_file=DEFAULT_PLANS_FILE,  # the real catalogue: its prices and credits are what is tested
        )
        studio = build_studio(settings)
        studio.projector.setup()
        studio.projector.start()
        try:
            with TestClient(make_app(studio)) as client:
                box.append(client)
                yield Billed(studio, client, stripe)
        finally:
            studio.projector.stop()
            studio.stop()


@pytest.fixture
def billed(tmp_path: Path) -> Iterator[Billed]:
    """Webhooks delivered as they happen, in a background thread (as Stripe does)."""
    yield from _billed(tmp_path, auto_deliver=True)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Billed]:
    """Webhooks kept in the fake's outbox until the test delivers them, in any order."""
    yield from _billed(tmp_path, auto_deliver=False)


@pytest.fixture
def user_of() -> Callable[[Billed], User]:
    return lambda b: sign_up(b.client)
