"""The fake Stripe as its own process (as the browser tests run it), the studio over real HTTP, and the CLI."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from infra.billing_cli import billing_app
from infra.container import build_studio
from infra.plan_catalogue import DEFAULT_PLANS_FILE
from infra.settings import Settings
from schemas.credits import credit_account_id
from tests.gateway.conftest import make_app
from tests.support.fakes.stripe_server import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]


def _wait_until(check: object, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, str, object]]:
    """(studio URL, fake Stripe URL, studio): both listening on loopback."""
    studio_port, stripe_port = free_port(), free_port()
    stripe_url = f"http://127.0.0.1:{stripe_port}"
    fake = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.fakes.stripe_server",
            "--port",
            str(stripe_port),
            "--webhook-url",
            f"http://127.0.0.1:{studio_port}/api/billing/stripe/webhook",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    studio = build_studio(
        Settings(
            data_dir=tmp_path,
            stage_set="titlecards",
            environment="test",
            stripe_api_key=DEFAULT_API_KEY,
            stripe_webhook_secret=DEFAULT_WEBHOOK_SECRET,
            stripe_api_base=stripe_url,
            public_url=f"http://127.0.0.1:{studio_port}",
            plans_file=DEFAULT_PLANS_FILE,
        )
    )
    studio.projector.setup()
    studio.projector.start()
    server = uvicorn.Server(uvicorn.Config(make_app(studio), port=studio_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert fake.stdout is not None
        assert "Fake Stripe on" in fake.stdout.readline()
        assert _wait_until(lambda: server.started)
        yield f"http://127.0.0.1:{studio_port}", stripe_url, studio
    finally:
        server.should_exit = True
        thread.join(10)
        fake.terminate()
        fake.wait(10)
        studio.projector.stop()
        studio.stop()


def test_a_top_up_bought_with_the_cli_and_paid_on_the_fake_s_page_arrives_as_credits(
    live: tuple[str, str, object],
) -> None:
    url, stripe_url, studio = live
    email, password = "buyer@example.com", "correct horse"
    assert (
        httpx.post(
            f"{url}/api/auth/register", json={"email": email, "password": password, "display_name": "B"}
        ).status_code
        == 201
    )

    result = CliRunner().invoke(
        billing_app, ["purchase", "topup-10", "--url", url, "--email", email, "--password", password]
    )
    assert result.exit_code == 0, result.output
    checkout_url = result.output.strip().removeprefix("Pay here: ")
    assert checkout_url.startswith(f"{stripe_url}/c/pay/cs_test_")

    page = httpx.get(checkout_url)
    assert "id='pay'" in page.text and "5.00 USD" in page.text
    paid = httpx.post(checkout_url)
    assert paid.status_code == 303 and paid.headers["location"].startswith(f"{url}/credits?checkout=success")

    from commands.account import account_id_for

    account = credit_account_id(account_id_for(email))
    assert _wait_until(lambda: studio.bus.state_of("credit", account)[0].available >= 10)  # type: ignore[attr-defined]
    assert studio.bus.state_of("credit", account)[0].available == 10  # type: ignore[attr-defined]
