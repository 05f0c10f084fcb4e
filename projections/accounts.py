"""Accounts and their sessions, for login checks, 'me' and the administrators' account list."""

from __future__ import annotations

from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope


class AccountsView(Projection):
    name = "accounts"
    # Suspension lives in its own table: deployments made before it gain it with CREATE TABLE IF NOT
    # EXISTS, no ALTER; it starts empty, which is right, as no account was suspended before it existed.
    tables = ("accounts", "sessions", "account_status")
    ddl = (
        "CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, email TEXT UNIQUE NOT NULL, "
        "display_name TEXT NOT NULL, role TEXT NOT NULL, language TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "active INTEGER NOT NULL, created_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id)",
        "CREATE TABLE IF NOT EXISTS account_status (account_id TEXT PRIMARY KEY, status TEXT NOT NULL, "
        "reason TEXT, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS account_status_status ON account_status (status)",
    )
    types = ("AccountRegistered", "LoggedIn", "LoggedOut", "RoleChanged", "AccountSuspended", "AccountReinstated")

    def apply(self, cursor: Any, event: Envelope) -> None:
        p, account_id, at = event.payload, str(event.aggregate_id), event.occurred_at.isoformat()
        if event.type == "AccountRegistered":
            cursor.execute(
                "INSERT INTO accounts (id, email, display_name, role, language, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (account_id, p["email"], p["display_name"], p["role"], p.get("language", "en"), at),
            )
        elif event.type == "LoggedIn":
            cursor.execute(
                "INSERT INTO sessions (session_id, account_id, active, created_at) VALUES (%s, %s, 1, %s) "
                "ON CONFLICT (session_id) DO NOTHING",
                (p["session_id"], account_id, at),
            )
        elif event.type == "LoggedOut":
            cursor.execute("UPDATE sessions SET active = 0 WHERE session_id = %s", (p["session_id"],))
        elif event.type == "RoleChanged":
            cursor.execute("UPDATE accounts SET role = %s WHERE id = %s", (p["role"], account_id))
        elif event.type in ("AccountSuspended", "AccountReinstated"):
            suspended = event.type == "AccountSuspended"
            if suspended:
                # Every open session ends with the suspension (as in the aggregate).
                cursor.execute("UPDATE sessions SET active = 0 WHERE account_id = %s", (account_id,))
            cursor.execute(
                "INSERT INTO account_status (account_id, status, reason, changed_at, changed_by) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (account_id) DO UPDATE SET status = excluded.status, "
                "reason = excluded.reason, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                (account_id, "suspended" if suspended else "active", p.get("reason") if suspended else p.get("note"),
                 at, event.actor),
            )  # fmt: skip
