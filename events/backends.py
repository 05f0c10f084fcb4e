"""Open the event store on one of its three back ends, chosen by URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from events.recorder_store import RecorderEventStore


def open_event_store(url: str, *, create_tables: bool = True) -> RecorderEventStore:
    """`memory://`, `sqlite:///path/to/events.db` or `postgresql://user:pass@host:port/db`.

    Create tables once (the embedded studio and the set-up job do); scale-out workers pass
    create_tables=False because several Postgres processes creating tables at once collide.
    """
    parsed = urlparse(url)
    if parsed.scheme == "memory":
        from eventsourcing.popo import POPOProcessRecorder

        return RecorderEventStore(POPOProcessRecorder(), "memory")
    if parsed.scheme == "sqlite":
        from eventsourcing.sqlite import SQLiteDatastore, SQLiteProcessRecorder

        path = unquote(parsed.path)
        if path not in ("", "/:memory:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db_name = ":memory:" if path in ("", "/:memory:") else path
        sqlite_store = SQLiteDatastore(db_name, lock_timeout=10, pool_size=8)
        sqlite_recorder = SQLiteProcessRecorder(sqlite_store)
        if create_tables:
            sqlite_recorder.create_table()
        return RecorderEventStore(sqlite_recorder, "sqlite")
    if parsed.scheme in ("postgresql", "postgres"):
        from eventsourcing.postgres import PostgresDatastore, PostgresProcessRecorder

        pg_store = PostgresDatastore(
            dbname=parsed.path.lstrip("/") or "postgres",
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password or ""),
            pool_size=4,
            max_overflow=8,
        )
        pg_recorder = PostgresProcessRecorder(pg_store)
        if create_tables:
            pg_recorder.create_table()
        # Open and fill the pool now, once: psycopg_pool's wait-for-open races between threads, so the
        # datastore must not wait on every connection (pool_open_timeout stays None).
        pg_store.pool.open(wait=True, timeout=10)
        return RecorderEventStore(pg_recorder, "postgres")
    raise ValueError(
        f"unsupported event store URL {url!r}: use memory://, sqlite:///path or postgresql://user:pass@host/db"
    )
