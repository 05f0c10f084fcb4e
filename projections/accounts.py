"""Accounts and their sessions, for login checks and 'me'."""

from __future__ import annotations

from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope


class AccountsView(Projection):
    name = "accounts"
    tables = ("accounts", "sessions")
    ddl = (
        "CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, email TEXT UNIQUE NOT NULL, "
        "display_name TEXT NOT NULL, role TEXT NOT NULL, language TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "active INTEGER NOT NULL, created_at TEXT NOT NULL)",
    )
    types = ("AccountRegistered", "LoggedIn", "LoggedOut", "RoleChanged")

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
