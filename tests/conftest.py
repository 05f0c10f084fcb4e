"""Shared fixtures: real PostgreSQL per test session, fresh databases per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support.postgres import create_database, running_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database for one test."""
    return create_database(postgres_server, f"t_{uuid.uuid4().hex[:12]}")
