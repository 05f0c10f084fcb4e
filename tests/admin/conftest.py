"""Admin tests run against the same real embedded studio as the gateway tests, plus an administrator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from commands.account import account_id_for
from infra.container import Studio
from schemas.commands import RegisterAccount
from tests.gateway.conftest import FAST_HASHER, User, client, sign_up, studio

__all__ = ["client", "studio"]  # the fixtures, shared with tests/gateway


def make_admin(client: TestClient, studio: Studio) -> User:
    """An administrator account (registered directly: there is no public route to become one), logged in."""
    user = sign_up(client)  # only for a fresh e-mail; the admin is a second account
    email = f"admin-{user.email}"
    studio.bus.handle(
        RegisterAccount(email=email, display_name="Admin", password_hash=FAST_HASHER.hash(user.password), role="admin")
    )
    login = client.post("/api/auth/login", json={"email": email, "password": user.password})
    assert login.status_code == 200, login.text
    return User(account_id_for(email), email, user.password, login.json())


@pytest.fixture
def admin(client: TestClient, studio: Studio) -> User:
    return make_admin(client, studio)


@pytest.fixture
def new_user(client: TestClient) -> Callable[[], User]:
    return lambda: sign_up(client)
