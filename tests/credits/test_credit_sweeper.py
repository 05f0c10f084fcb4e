"""The credit sweeper records expired lots and due plan changes without waiting for the account's next command."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commands.film_order import credit_state
from infra.container import Studio
from processors.credit_sweeper import CreditSweeper
from schemas.commands import RegisterAccount
from schemas.credits import ChangePlan, PurchaseCredits, SchedulePlanChange, credit_account_id
from tests.credits.conftest import credit_studio

NOW = datetime.now(UTC)


def account_with_due_items(studio: Studio) -> uuid.UUID:
    """A Pro account holding a top-up bought 400 days ago (expired 35 days ago, after the last command) and a downgrade due yesterday."""
    account = studio.bus.handle(
        RegisterAccount(email=f"{uuid.uuid4().hex[:8]}@example.com", display_name="S", password_hash="h")
    ).aggregate_id
    credit_state(studio.bus, account, studio.catalogue, NOW - timedelta(days=800))
    studio.bus.handle(
        PurchaseCredits(account_id=account, payment_id=f"pi_{account.hex[:8]}", credits=10, amount_cents=500,
                        now=NOW - timedelta(days=400))
    )  # fmt: skip
    studio.bus.handle(ChangePlan(account_id=account, plan="pro", now=NOW - timedelta(days=40)))
    studio.bus.handle(
        SchedulePlanChange(
            account_id=account,
            plan="standard",
            effective_at=NOW - timedelta(days=1),
            now=NOW - timedelta(days=40),
        )
    )
    studio.projector.run_until_idle()
    return account


def ledger_types(studio: Studio, account: uuid.UUID) -> list[str]:
    return [e.type for e in studio.store.load(credit_account_id(account))]


def test_a_sweep_expires_old_lots_and_applies_a_due_downgrade_once_even_with_two_sweepers(
    tmp_path: Path,
) -> None:
    studio = credit_studio(tmp_path, workers=False)
    try:
        account = account_with_due_items(studio)
        before = ledger_types(studio, account)
        assert "PlanChanged" in before and before.count("CreditsExpired") == 1  # only the old grant lapsed
        sweepers = [CreditSweeper(studio.bus, studio.views) for _ in range(2)]
        results: list[int] = []
        threads = [threading.Thread(target=lambda s=s: results.append(s.sweep(NOW))) for s in sweepers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [0, 1], "one sweeper recorded it, the other was answered with its outcome"
        after = ledger_types(studio, account)[len(before) :]
        assert after.count("PlanChanged") == 1 and "CreditsExpired" in after
        state, _ = studio.bus.state_of("credit", credit_account_id(account))
        assert state.plan == "standard"
        assert "purchase:" not in " ".join(k for k, lot in state.lots.items() if lot.remaining > 0)
        assert sweepers[0].sweep(NOW) == 0 and ledger_types(studio, account)[len(before) :] == after
    finally:
        studio.stop()


def test_the_embedded_studio_sweeps_on_its_own(tmp_path: Path) -> None:
    studio = credit_studio(tmp_path, workers=False)
    try:
        account = account_with_due_items(studio)
        assert studio.bus.state_of("credit", credit_account_id(account))[0].plan != "standard"
    finally:
        studio.stop()
    running = credit_studio(tmp_path, workers=True, credit_sweep_seconds=0.2)
    try:
        deadline = time.monotonic() + 10
        while running.bus.state_of("credit", credit_account_id(account))[0].plan != "standard":
            assert time.monotonic() < deadline, "the embedded sweeper did not apply the due downgrade"
            time.sleep(0.05)
    finally:
        running.stop()
