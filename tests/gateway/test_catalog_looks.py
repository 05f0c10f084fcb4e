"""The cast editor's pictures: a drawn look as a PNG, and the automatic look of each character in the script plan."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.gateway.conftest import make_app, make_studio, stop

pytestmark = pytest.mark.timeout(120)

PREVIEW = "/api/catalog/look-preview.png"
SCRIPT = "INT. KITCHEN - MORNING\n\nPRIYA: Good morning, Dadi!\nDADI: You are up early.\nRAVI: Tea?"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    studio = make_studio(tmp_path_factory.mktemp("looks"), workers=False)
    with TestClient(make_app(studio)) as c:
        yield c
    stop(studio)


def test_a_look_is_drawn_as_a_small_png_and_the_same_look_gives_the_same_bytes(client: TestClient) -> None:
    look = {"age": "senior", "gender": "female", "attire": "sari", "attire_color": "#ad1457"}
    first = client.get(PREVIEW, params=look)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(first.content))
    assert image.height == 300 and 0 < image.width < 300
    assert len(first.content) < 60_000
    assert client.get(PREVIEW, params=look).content == first.content

    other = client.get(PREVIEW, params={**look, "attire": "kurta"})
    assert other.status_code == 200 and other.content != first.content
    recoloured = client.get(PREVIEW, params={**look, "attire_color": "#2e7d32"})
    assert recoloured.status_code == 200 and recoloured.content not in (first.content, other.content)


def test_a_browser_that_has_the_picture_is_told_it_has_not_changed(client: TestClient) -> None:
    first = client.get(PREVIEW, params={"hair": "bun"})
    again = client.get(PREVIEW, params={"hair": "bun"}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"attire": "cape"}, "attire"),
        ({"hair": "mohawk"}, "hair"),
        ({"skin_tone": "beige"}, "skin_tone"),
        ({"attire_color": "#12"}, "attire_color"),
        ({"age": "ancient"}, "age"),
    ],
)
def test_a_look_that_cannot_be_drawn_is_refused_naming_the_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    answer = client.get(PREVIEW, params=params)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_the_script_plan_gives_each_drawn_character_the_look_the_cast_stage_draws(
    client: TestClient, tmp_path: Path
) -> None:
    from gpu_stages.cast.stage import CastInput, CastSettings, CastStage
    from gpu_stages.contract import LocalArtifactStore, StageContext
    from gpu_stages.script.stage import plan_script

    answer = client.post("/api/catalog/script/plan", json={"script": SCRIPT, "format": "text"})
    assert answer.status_code == 200, answer.text
    looks = {c["id"]: c["look"] for c in answer.json()["characters"]}
    assert looks.pop("narrator", None) is None, "the narrator is not drawn"
    assert set(looks) == {"priya", "dadi", "ravi"}

    plan = plan_script(SCRIPT, "text", title="Untitled")
    stage = CastStage(CastSettings(height=120, supersample=1))
    cast = stage.run(CastInput(plan=plan), StageContext(LocalArtifactStore(tmp_path), work_dir=tmp_path))
    drawn = {
        sprites.character_id: sprites.look.model_dump(include=set(looks["priya"]))
        for sprites in cast.characters  # type: ignore[union-attr]
    }
    assert drawn == looks

    pictures = {cid: client.get(PREVIEW, params=look).content for cid, look in looks.items()}
    assert len(set(pictures.values())) == 3, "distinct characters get distinct pictures"


def test_the_project_culture_changes_the_automatic_looks(client: TestClient) -> None:
    def looks(culture: str) -> dict[str, object]:
        body = {"script": SCRIPT, "format": "text", "culture": culture}
        return {
            c["id"]: c["look"]
            for c in client.post("/api/catalog/script/plan", json=body).json()["characters"]
        }

    assert looks("middle_eastern") != looks("east_asian")
