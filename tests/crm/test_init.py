"""`filmstudio init` creates the CRM tables, so scale-out processes and the admin routes find them ready."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from processors.salesforce_mirror import TABLES, MirrorStore
from projections.database import SqliteViews
from tests.integration.test_cli import cli

CRM_TABLES = {*TABLES, "email_outbox"}


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def test_init_creates_the_salesforce_mirror_tables_and_the_email_outbox(tmp_path: Path) -> None:
    done = cli("init", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "views.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables >= CRM_TABLES, CRM_TABLES - tables
        assert "published_at" in columns(db, "sf_dead_letters")
        assert {"recipient", "sent_at", "attempts"} <= columns(db, "email_outbox")
    assert cli("init", "--data-dir", str(tmp_path)).returncode == 0  # a second run changes nothing


def test_a_dead_letter_table_from_before_the_topic_gains_its_published_column(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "views.db") as db:
        db.execute(
            "CREATE TABLE sf_dead_letters (id TEXT PRIMARY KEY, sobject TEXT NOT NULL, external_id TEXT NOT NULL, "
            "version INTEGER NOT NULL, body TEXT NOT NULL, error TEXT NOT NULL, last_position BIGINT NOT NULL, "
            "last_event TEXT NOT NULL, failed_at TEXT NOT NULL, replayed_at TEXT)"
        )
        db.execute(
            "INSERT INTO sf_dead_letters VALUES ('old', 'Contact', 'x', 1, '{}', 'e', 1, 'AccountRegistered', "
            "'2024-01-01T00:00:00+00:00', NULL)"
        )
    store = MirrorStore(SqliteViews(str(tmp_path / "views.db")))
    store.setup()
    store.setup()
    assert [letter["id"] for letter in store.unpublished_letters()] == ["old"]
    store.mark_published(["old"])
    assert store.unpublished_letters() == [] and store.dead_letters()[0]["published_at"]
