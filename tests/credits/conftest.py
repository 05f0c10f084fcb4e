"""A real embedded studio with the bundled plan catalogue (the Free plan's 3 credits, its limits)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from commands.account import account_id_for
from infra.container import Studio, build_studio
from infra.plan_catalogue import DEFAULT_PLANS_FILE
from infra.settings import Settings
from schemas.commands import ChangeRole
from tests.gateway.conftest import User, make_app, sign_up, stop


def credit_studio(tmp_path: Path, *, workers: bool = True, **settings: object) -> Studio:
    studio = build_studio(
        Settings(
            data_dir=tmp_path,
            stage_set="titlecards",
            environment="test",
            retry_backoff_seconds=0.1,
            plans_file=DEFAULT_PLANS_FILE,
            **settings,  # type: ignore[arg-type]
        )
    )
    if workers:
        studio.start_embedded()
    else:
        studio.projector.setup()
        studio.projector.start()
    return studio


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    s = credit_studio(tmp_path_factory.mktemp("credits"))
    yield s
    stop(s)


@pytest.fixture(scope="module")
def client(studio: Studio) -> Iterator[TestClient]:
    with TestClient(make_app(studio)) as c:
        yield c


def make_admin(client: TestClient, studio: Studio) -> User:
    user = sign_up(client)
    outcome = studio.bus.handle(ChangeRole(account_id=account_id_for(user.email), role="admin"))
    studio.projector.wait_until(outcome.position)
    return user
