"""A small SQL layer for read models on SQLite or PostgreSQL (one placeholder style: %s)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    def executemany(self, sql: str, params_seq: Sequence[Sequence[Any]]) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class ViewDatabase(Protocol):
    dialect: str

    def transaction(self) -> Any: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...
    def close(self) -> None: ...


class _SqliteCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql.replace("%s", "?"), tuple(params))

    def executemany(self, sql: str, params_seq: Sequence[Sequence[Any]]) -> Any:
        return self._cursor.executemany(sql.replace("%s", "?"), [tuple(p) for p in params_seq])

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


class SqliteViews:
    """Read models in one SQLite file (WAL, so readers never block the projector)."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        if path == ":memory:":
            # One connection shared by every thread: an in-memory database is per connection.
            self._shared = sqlite3.connect(":memory:", check_same_thread=False)

    def _conn(self) -> sqlite3.Connection:
        if self._shared is not None:
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[_SqliteCursor]:
        with self._write_lock:
            conn = self._conn()
            cursor = conn.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteCursor(cursor)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self._shared is not None:
            with self._write_lock:
                cursor = self._shared.execute(sql.replace("%s", "?"), tuple(params))
                rows = cursor.fetchall()
        else:
            cursor = self._conn().execute(sql.replace("%s", "?"), tuple(params))
            rows = cursor.fetchall()
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()


class PostgresViews:
    """Read models in PostgreSQL through a psycopg connection pool."""

    dialect = "postgres"

    def __init__(self, url: str) -> None:
        from psycopg_pool import ConnectionPool

        self._pool = ConnectionPool(url, min_size=1, max_size=8, open=True, timeout=10)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
            yield cursor

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._pool.connection() as conn, conn.cursor() as cursor:
            cursor.execute(sql, tuple(params))
            names = [d.name for d in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self._pool.close()


def open_views(url: str) -> SqliteViews | PostgresViews:
    """`sqlite:///path/views.db`, `sqlite:///:memory:` or `postgresql://...`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        return SqliteViews(":memory:" if path in ("", "/:memory:") else path)
    if parsed.scheme in ("postgresql", "postgres"):
        return PostgresViews(url)
    raise ValueError(f"unsupported read-model URL {url!r}: use sqlite:///path or postgresql://...")
