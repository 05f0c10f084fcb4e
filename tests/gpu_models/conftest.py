"""Tiny models built once per test session and saved to a temp folder (see tiny_models.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gpu_stages.contract import LocalArtifactStore, StageContext
from schemas.media import Character, Line, Scene, ScriptPlan


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tiny-models")


@pytest.fixture
def ctx(tmp_path: Path) -> StageContext:
    return StageContext(artifacts=LocalArtifactStore(tmp_path / "store"), work_dir=tmp_path / "work")


@pytest.fixture
def plan() -> ScriptPlan:
    """Two scenes, a narrator and one character, in English."""
    scenes = [
        Scene(index=0, heading="Temple at dawn", setting="temple", time_of_day="dawn", mood="calm",
              culture="indian", lines=[Line(id="a", speaker="narrator", text="The bells rang at dawn.")]),
        Scene(index=1, heading="Market", setting="market", interior=False, mood="happy",
              lines=[Line(id="b", speaker="priya", text="Fresh mangoes, sweet as honey!"),
                     Line(id="c", speaker="narrator", text="She smiled.")]),
    ]  # fmt: skip
    characters = [Character(id="priya", name="Priya")]
    return ScriptPlan(title="Bells", scenes=scenes, characters=characters, estimated_seconds=8.0)
