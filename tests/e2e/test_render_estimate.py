"""`filmstudio render` prints what the film costs before it starts, locally and against a running studio."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from gateway.app import create_app
from infra.container import build_studio
from infra.render_job import render_remote, render_script
from infra.settings import Settings

SCRIPT = "PRIYA: Good morning!\n\nBEN: Morning, Priya.\n"


def test_a_local_render_prints_the_credit_estimate_before_the_film_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "morning.txt"
    script.write_text(SCRIPT)
    settings = Settings(data_dir=tmp_path / "data", stage_set="titlecards", environment="test")
    render_script(script, tmp_path / "out", settings, {"target_seconds": 61})
    text = " ".join(capsys.readouterr().out.split())
    assert "billed as 90 s: 5 credits" in text  # 61 s rounds up to 1.5 min at 3 credits a minute
    assert text.index("Estimate:") < text.index("cards")  # before the first progress bar
    assert any(p.suffix == ".mp4" for p in (tmp_path / "out").iterdir())


def test_a_remote_render_prints_the_studios_estimate_with_the_balance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    studio = build_studio(Settings(data_dir=tmp_path / "studio", stage_set="titlecards", environment="test"))
    studio.start_embedded()
    script = tmp_path / "morning.txt"
    script.write_text(SCRIPT)
    hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    try:
        with TestClient(create_app(studio, password_hasher=hasher)) as client:
            render_remote(
                "http://testserver", script, tmp_path / "out", {"target_seconds": 30}, "cli@example.com",
                "long-password", client,
            )  # fmt: skip
    finally:
        studio.stop()
    text = " ".join(capsys.readouterr().out.split())
    assert "billed as 30 s: 2 credits" in text and "you will have" in text
    assert text.index("Estimate:") < text.index("cards")
