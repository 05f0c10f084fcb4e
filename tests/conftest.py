"""Shared fixtures: real PostgreSQL per test session, fresh databases per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import create_database, running_postgres

GENEROUS_PLANS = Path(__file__).parent / "credits" / "generous_plans.toml"


@pytest.fixture(scope="session", autouse=True)
def generous_plans() -> None:
    """Tests not about credits run on a catalogue whose free plan never limits a film (subprocesses too);
    tests of credits pass their catalogue explicitly."""
    os.environ.setdefault("FILMSTUDIO_PLANS_FILE", str(GENEROUS_PLANS))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database for one test."""
    return create_database(postgres_server, f"t_{uuid.uuid4().hex[:12]}")
