"""Token vault: each account's OAuth tokens, encrypted with Fernet, in the studio's SQL database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from projections.database import ViewDatabase

DDL = (
    "CREATE TABLE IF NOT EXISTS youtube_credentials (account_id TEXT PRIMARY KEY, sealed TEXT NOT NULL, "
    "updated_at TEXT NOT NULL)"
)


class VaultLocked(Exception):
    """The stored tokens cannot be decrypted with the configured keys."""


class TokenVault:
    """Seals secrets (tokens, upload session URIs) so nothing readable reaches disk or the event log.

    Several keys rotate: the first encrypts, every one decrypts; `rotate()` re-seals rows with the first.
    """

    def __init__(self, db: ViewDatabase, keys: list[bytes]) -> None:
        self.db = db
        self.fernet = MultiFernet([Fernet(k) for k in keys])

    def setup(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(DDL)

    def seal(self, text: str) -> str:
        return self.fernet.encrypt(text.encode()).decode()

    def open(self, sealed: str, ttl: int | None = None) -> str:
        try:
            if ttl is None:
                return self.fernet.decrypt(sealed.encode()).decode()
            return self.fernet.decrypt(sealed.encode(), ttl=ttl).decode()
        except InvalidToken as error:
            raise VaultLocked(
                "A sealed value could not be decrypted: it expired, or FILMSTUDIO_YOUTUBE_TOKEN_KEY changed "
                "without keeping the old key. Keep old keys after the new one (comma-separated)."
            ) from error

    def save(self, account_id: str, tokens: dict[str, Any]) -> None:
        sealed = self.seal(json.dumps(tokens))
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO youtube_credentials (account_id, sealed, updated_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (account_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at",
                (account_id, sealed, datetime.now(UTC).isoformat()),
            )

    def load(self, account_id: str) -> dict[str, Any] | None:
        rows = self.db.query("SELECT sealed FROM youtube_credentials WHERE account_id = %s", (account_id,))
        if not rows:
            return None
        tokens: dict[str, Any] = json.loads(self.open(rows[0]["sealed"]))
        return tokens

    def delete(self, account_id: str) -> None:
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM youtube_credentials WHERE account_id = %s", (account_id,))

    def rotate(self) -> int:
        """Re-encrypt every stored row with the newest key; returns how many rows."""
        rows = self.db.query("SELECT account_id, sealed FROM youtube_credentials")
        with self.db.transaction() as cur:
            for row in rows:
                cur.execute(
                    "UPDATE youtube_credentials SET sealed = %s WHERE account_id = %s",
                    (self.fernet.rotate(row["sealed"].encode()).decode(), row["account_id"]),
                )
        return len(rows)
