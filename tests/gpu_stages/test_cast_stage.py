"""The cast stage: sprites for every speaking character, none for the narrator, shared when looks match."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from test_cast_photo import HAVE_DETECTOR, encoded, synthetic_face

from gpu_stages.cast.stage import CastInput, CastSettings, CastStage
from gpu_stages.contract import LocalArtifactStore, StageContext, run_cached
from schemas.media import Cast, Character, CharacterLook, Line, Scene, ScriptPlan, StageFailure


def _plan(culture: str = "indian", setting: str = "home") -> ScriptPlan:
    lines = [
        Line(id="l1", speaker="narrator", text="Once upon a time."),
        Line(id="l2", speaker="priya", text="Hello!"),
        Line(id="l3", speaker="ravi", text="Namaste.", emotion="happy"),
        Line(id="l4", speaker="dadi", text="Come, eat."),
    ]
    return ScriptPlan(
        title="Test",
        scenes=[Scene(index=0, heading="INT. HOME", setting=setting, culture=culture, lines=lines)],  # type: ignore[arg-type]
        characters=[
            Character(id="narrator", name="Narrator", is_narrator=True),
            Character(id="priya", name="Priya", age="adult", gender="female"),
            Character(id="ravi", name="Ravi", age="child", gender="male"),
            Character(id="dadi", name="Dadi", age="senior", gender="female"),
        ],
        estimated_seconds=10.0,
    )


@pytest.fixture
def stage() -> CastStage:
    stage = CastStage(CastSettings(height=200, supersample=2))
    stage.ensure_loaded()
    return stage


def test_every_speaking_character_gets_sprites_and_the_narrator_none(
    tmp_path: Path, stage: CastStage
) -> None:
    store = LocalArtifactStore(tmp_path)
    messages: list[str] = []
    result = stage.run(CastInput(plan=_plan()), StageContext(store, lambda f, m: messages.append(m)))
    assert isinstance(result, Cast)
    assert [s.character_id for s in result.characters] == ["priya", "ravi", "dadi"]
    for sprites in result.characters:
        assert set(sprites.bodies) == {"neutral", "happy", "sad", "angry", "surprised"}
        assert len(sprites.mouths) >= 7
        for key in [*sprites.bodies.values(), *sprites.mouths.values(), sprites.blink]:
            assert store.exists(key)
        assert Image.open(store.path(sprites.bodies["neutral"])).size == tuple(sprites.size)
    priya = result.characters[0]
    assert priya.look.attire == "sari", "an Indian adult woman defaults to a sari"
    assert len({s.bodies["neutral"] for s in result.characters}) == 3
    assert messages[-1] == "cast ready"


def test_the_same_plan_draws_the_same_artifacts(tmp_path: Path, stage: CastStage) -> None:
    first = stage.run(CastInput(plan=_plan()), StageContext(LocalArtifactStore(tmp_path / "a")))
    second = stage.run(CastInput(plan=_plan()), StageContext(LocalArtifactStore(tmp_path / "b")))
    assert isinstance(first, Cast) and isinstance(second, Cast)
    assert first.model_dump() == second.model_dump()


def test_identical_looks_share_artifacts(tmp_path: Path, stage: CastStage) -> None:
    store = LocalArtifactStore(tmp_path)
    twin = CharacterLook(
        character_id="any", attire="kurta", attire_color="#e0a030", hair="short", gender="male"
    )
    looks = {"priya": twin, "dadi": twin.model_copy(update={"character_id": "dadi", "version": 4})}
    result = stage.run(CastInput(plan=_plan(), looks=looks), StageContext(store))
    assert isinstance(result, Cast)
    by_id = {s.character_id: s for s in result.characters}
    assert by_id["priya"].bodies == by_id["dadi"].bodies
    assert by_id["priya"].mouths == by_id["dadi"].mouths
    assert by_id["priya"].look.character_id == "priya" and by_id["dadi"].look.character_id == "dadi"
    assert by_id["ravi"].bodies != by_id["priya"].bodies


def test_east_asian_characters_wear_kimono_only_in_traditional_settings(
    tmp_path: Path, stage: CastStage
) -> None:
    store = LocalArtifactStore(tmp_path)
    temple = stage.run(CastInput(plan=_plan("east_asian", "temple")), StageContext(store))
    office = stage.run(CastInput(plan=_plan("east_asian", "office")), StageContext(store))
    assert isinstance(temple, Cast) and isinstance(office, Cast)
    assert {s.look.attire for s in temple.characters} == {"kimono"}
    assert "kimono" not in {s.look.attire for s in office.characters}


def test_an_unknown_attire_override_fails_with_a_helpful_reason(tmp_path: Path, stage: CastStage) -> None:
    looks = {"priya": CharacterLook(character_id="priya", attire="spacesuit")}
    result = stage.run(CastInput(plan=_plan(), looks=looks), StageContext(LocalArtifactStore(tmp_path)))
    assert isinstance(result, StageFailure)
    assert "Priya" in result.reason and "spacesuit" in result.reason and "sari" in result.reason


def test_a_missing_photo_fails_with_a_helpful_reason(tmp_path: Path, stage: CastStage) -> None:
    result = stage.run(
        CastInput(plan=_plan(), photos={"priya": "0" * 64 + ".jpg"}),
        StageContext(LocalArtifactStore(tmp_path)),
    )
    assert isinstance(result, StageFailure) and "upload it again" in result.reason


@pytest.mark.skipif(not HAVE_DETECTOR, reason="no Haar face detector on this machine")
def test_an_uploaded_photo_replaces_the_drawing(tmp_path: Path, stage: CastStage) -> None:
    store = LocalArtifactStore(tmp_path)
    key = store.put_bytes(encoded(synthetic_face(), "JPEG"), ".jpg")
    result = run_cached(stage, CastInput(plan=_plan(), photos={"priya": key}), StageContext(store), Cast)
    assert isinstance(result, Cast)
    priya = next(s for s in result.characters if s.character_id == "priya")
    assert priya.look.uploaded_image == key
    assert priya.size[1] == 200 and len(priya.mouths) >= 7
    ravi = next(s for s in result.characters if s.character_id == "ravi")
    assert ravi.look.uploaded_image is None
