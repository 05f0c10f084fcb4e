"""Credits read models: each account's balance and plan, its ledger (history), usage per day, payments.

Credit streams are keyed by `credit_account_id(account)`; the account a stream belongs to is learnt
from AccountRegistered, which always precedes the account's credit events in the log.
History amounts are changes of the *available* credits: a reservation takes them, a release gives
them back, a capture spends what was already held (0).
"""

from __future__ import annotations

from typing import Any

from projections.base import Projection
from schemas.credits import credit_account_id
from schemas.envelope import Envelope

LOW_BALANCE = 5
LEDGER_KINDS = {
    "CreditsGranted": "granted",
    "CreditsPurchased": "purchased",
    "CreditsReserved": "reserved",
    "CreditsCaptured": "captured",
    "CreditsReleased": "released",
    "CreditsAdjusted": "adjusted",
    "CreditsExpired": "expired",
}


class CreditsView(Projection):
    name = "credits"
    tables = ("credit_accounts", "credit_ledger", "credit_usage", "credit_payments")
    ddl = (
        "CREATE TABLE IF NOT EXISTS credit_accounts (stream_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "plan TEXT NOT NULL, available INTEGER NOT NULL, reserved INTEGER NOT NULL, low INTEGER NOT NULL, "
        "period_end TEXT, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS credit_accounts_plan ON credit_accounts (plan)",
        "CREATE TABLE IF NOT EXISTS credit_ledger (event_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "position BIGINT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, credits INTEGER NOT NULL, "
        "balance_after INTEGER NOT NULL, film_id TEXT, reason TEXT)",
        "CREATE INDEX IF NOT EXISTS credit_ledger_account ON credit_ledger (account_id, position)",
        "CREATE TABLE IF NOT EXISTS credit_usage (account_id TEXT NOT NULL, day TEXT NOT NULL, "
        "credits INTEGER NOT NULL, films INTEGER NOT NULL, PRIMARY KEY (account_id, day))",
        "CREATE INDEX IF NOT EXISTS credit_usage_day ON credit_usage (day)",
        "CREATE TABLE IF NOT EXISTS credit_payments (payment_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "at TEXT NOT NULL, day TEXT NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL, "
        "kind TEXT NOT NULL, plan TEXT NOT NULL, description TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS credit_payments_day ON credit_payments (day)",
    )
    types = ("AccountRegistered", *LEDGER_KINDS, "PlanChanged", "PaymentReceived")

    def apply(self, cursor: Any, event: Envelope) -> None:
        p, at = event.payload, event.occurred_at.isoformat()
        if event.type == "AccountRegistered":
            cursor.execute(
                "INSERT INTO credit_accounts (stream_id, account_id, plan, available, reserved, low, updated_at) "
                "VALUES (%s, %s, 'free', 0, 0, 0, %s) ON CONFLICT (stream_id) DO NOTHING",
                (str(credit_account_id(event.aggregate_id)), str(event.aggregate_id), at),
            )
            return
        stream = str(event.aggregate_id)
        cursor.execute(
            "SELECT account_id, available, reserved FROM credit_accounts WHERE stream_id = %s", (stream,)
        )
        row = cursor.fetchone()
        if row is None:
            return  # a refusal stream, or an account registered before this view existed (rebuild it)
        account, available, reserved = row[0], int(row[1]), int(row[2])
        if event.type == "PlanChanged":
            cursor.execute(
                "UPDATE credit_accounts SET plan = %s, period_end = %s, updated_at = %s WHERE stream_id = %s",
                (p["plan"], p.get("period_end"), at, stream),
            )
            return
        if event.type == "PaymentReceived":
            cursor.execute(
                "INSERT INTO credit_payments (payment_id, account_id, at, day, amount_cents, currency, kind, plan, "
                "description) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (payment_id) DO NOTHING",
                (p["payment_id"], account, at, at[:10], p["amount_cents"], p["currency"], p["kind"],
                 p.get("plan", ""), p.get("description", "")),
            )  # fmt: skip
            return
        change, held = self._change(event)
        available, reserved = available + change, reserved + held
        cursor.execute(
            "UPDATE credit_accounts SET available = %s, reserved = %s, low = %s, updated_at = %s "
            "WHERE stream_id = %s",
            (available, reserved, int(available < LOW_BALANCE), at, stream),
        )
        film = p.get("reservation_id")
        reason = p.get("reason") or p.get("period") or p.get("payment_id") or p.get("lot")
        cursor.execute(
            "INSERT INTO credit_ledger (event_id, account_id, position, at, kind, credits, balance_after, film_id, "
            "reason) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
            (str(event.event_id), account, event.position or 0, at, LEDGER_KINDS[event.type], change, available,
             film, reason),
        )  # fmt: skip
        if event.type == "CreditsCaptured":
            cursor.execute(
                "INSERT INTO credit_usage (account_id, day, credits, films) VALUES (%s, %s, %s, 1) "
                "ON CONFLICT (account_id, day) DO UPDATE SET credits = credit_usage.credits + excluded.credits, "
                "films = credit_usage.films + 1",
                (account, at[:10], p["credits"]),
            )

    @staticmethod
    def _change(event: Envelope) -> tuple[int, int]:
        """(change of available credits, change of reserved credits)."""
        credits = int(event.payload["credits"])
        return {
            "CreditsGranted": (credits, 0),
            "CreditsPurchased": (credits, 0),
            "CreditsAdjusted": (credits, 0),
            "CreditsExpired": (-credits, 0),
            "CreditsReserved": (-credits, credits),
            "CreditsReleased": (credits, -credits),
            "CreditsCaptured": (0, -credits),
        }[event.type]
