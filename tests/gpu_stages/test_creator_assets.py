"""The creator's own assets reach the film: photos become the cast, uploads the backdrops, library looks repeat."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import numpy as np
import pytest
from PIL import Image

from commands.characters import LibraryCharacter, with_library
from gpu_stages.contract import LocalArtifactStore
from gpu_stages.film_pipeline import FILM_STAGES, FilmStageRunner
from gpu_stages.models.selection import ModelEngines
from schemas.characters import CharacterDesign, Look
from schemas.film import FilmSpec
from schemas.media import Cast, FilmOutputs, StageFailure
from tests.gpu_stages.test_cast_photo import encoded, needs_detector, synthetic_face

TWO_SCENES = "# Beach\n\nPRIYA: The sea is calm today.\n\n# Office\n\nBEN: Back to work, then.\n"
MAGENTA = (250, 0, 250)


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def run_until(
    runner: FilmStageRunner, spec: FilmSpec, last: str, outputs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run the stages `last` needs (and `last`), feeding each its dependencies' outputs."""
    outputs = outputs if outputs is not None else {}
    needed: list[str] = []

    def visit(stage: str) -> None:
        for dep in FILM_STAGES[stage]:
            visit(dep)
        if stage not in needed:
            needed.append(stage)

    visit(last)
    for stage in needed:
        if stage in outputs:
            continue
        result = runner(stage, spec, {d: outputs[d] for d in FILM_STAGES[stage]}, lambda f, m: None)
        outputs[stage] = result
        if isinstance(result, StageFailure):
            break
    return outputs


def spec_for(script: str, **options: Any) -> FilmSpec:
    return FilmSpec(
        title="Assets", script=script, script_format="markdown", resolution="480p", draft=True, **options
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path_factory.mktemp("assets") / "artifacts")


@needs_detector
def test_a_character_photo_becomes_that_characters_sprites(store: LocalArtifactStore) -> None:
    photo = store.put_bytes(encoded(synthetic_face(), "JPEG"), ".jpg")
    spec = spec_for(TWO_SCENES, character_images={"Priya": photo})
    cast = Cast.model_validate(run_until(FilmStageRunner(store), spec, "cast")["cast"])
    sprites = {c.character_id: c for c in cast.characters}
    assert sprites["priya"].look.uploaded_image == photo
    assert len(set(sprites["priya"].bodies.values())) == 1  # one portrait for every expression
    body = np.asarray(Image.open(store.path(sprites["priya"].bodies["neutral"])).convert("RGB"))
    ax, ay = sprites["priya"].mouth_anchor
    lips = body[ay - 4 : ay + 5, ax - 3 : ax + 4].astype(int)
    assert (lips[..., 0] - lips[..., 1]).max() > 50  # the photo's red lips sit at the mouth anchor
    assert sprites["ben"].look.uploaded_image is None  # the other character is still drawn
    assert len(set(sprites["ben"].bodies.values())) > 1


def test_a_name_not_in_the_script_fails_the_cast_stage_naming_it(store: LocalArtifactStore) -> None:
    photo = store.put_bytes(png(Image.new("RGB", (64, 64), MAGENTA)), ".png")
    spec = spec_for(TWO_SCENES, character_images={"Ravi": photo})
    failure = run_until(FilmStageRunner(store), spec, "cast")["cast"]
    assert isinstance(failure, StageFailure)
    assert "'Ravi'" in failure.reason and "Priya" in failure.reason


def test_a_backdrop_for_a_scene_number_the_script_lacks_is_refused(store: LocalArtifactStore) -> None:
    picture = store.put_bytes(png(Image.new("RGB", (64, 64), MAGENTA)), ".png")
    failure = run_until(FilmStageRunner(store), spec_for(TWO_SCENES, backdrop_uploads={3: picture}), "scenes")
    assert isinstance(failure["scenes"], StageFailure)
    assert "scene 3" in failure["scenes"].reason and "1 to 2" in failure["scenes"].reason


def frame_at(video: Path, seconds: float) -> np.ndarray:
    """One decoded RGB frame of the video at `seconds`."""
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(video), "-frames:v", "1",
         "-f", "image2pipe", "-vcodec", "png", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return np.asarray(Image.open(io.BytesIO(out.stdout)).convert("RGB")).astype(int)


def test_an_uploaded_backdrop_is_what_its_scene_shows_in_the_rendered_film(store: LocalArtifactStore) -> None:
    picture = store.put_bytes(png(Image.new("RGB", (1600, 900), MAGENTA)), ".png")
    spec = spec_for(TWO_SCENES, backdrop_uploads={1: picture}, subtitles={"burn_in": False})
    outputs = run_until(FilmStageRunner(store), spec, "thumbnails")
    assert not any(isinstance(v, StageFailure) for v in outputs.values()), outputs
    film = FilmOutputs.model_validate(outputs["thumbnails"])
    [rendition] = film.renditions
    spans = {s["scene_index"]: (s["start"], s["end"]) for s in _timeline(outputs)}
    first, second = sorted(spans)
    video = store.path(rendition.video)
    # The top corners hold only backdrop (the cast stands in the middle, no subtitles are burned).
    for when, uploaded in ((sum(spans[first]) / 2, True), (sum(spans[second]) / 2, False)):
        frame = frame_at(video, when)
        corner = frame[: frame.shape[0] // 6, : frame.shape[1] // 8].reshape(-1, 3).mean(axis=0)
        distance = float(np.abs(corner - np.array(MAGENTA)).max())
        assert (distance < 30) == uploaded, (when, corner.tolist())


def _timeline(outputs: dict[str, Any]) -> list[dict[str, Any]]:
    from gpu_stages.timeline import build_timeline
    from schemas.media import ScriptPlan, VoiceTrack

    plan = ScriptPlan.model_validate(outputs["script"])
    timeline = build_timeline(plan, VoiceTrack.model_validate(outputs["voices"]))
    return [span.model_dump() for span in timeline.scenes]


def test_a_library_character_looks_the_same_in_two_projects(store: LocalArtifactStore) -> None:
    owner, saved = uuid4(), uuid4()
    design = CharacterDesign(
        name="Amma",
        look=Look(age="senior", gender="female", attire="sari", attire_color="#aa2255", hair="bun"),
    )
    library = {saved: LibraryCharacter(str(owner), (design,))}
    first = with_library(
        spec_for("PRIYA: Good morning.\n\nBEN: Morning!\n", library_characters={"Priya": f"{saved}@1"}),
        owner,
        library.__getitem__,
    )
    second = with_library(
        spec_for("# Temple\n\nMOTHER: Light the lamp.\n", library_characters={"Mother": f"{saved}@1"}),
        owner,
        library.__getitem__,
    )
    casts = [
        {
            c.character_id: c
            for c in Cast.model_validate(run_until(FilmStageRunner(store), spec, "cast")["cast"]).characters
        }
        for spec in (first, second)
    ]
    priya, mother = casts[0]["priya"], casts[1]["mother"]
    assert priya.look.attire == mother.look.attire == "sari"
    assert priya.bodies == mother.bodies and priya.mouths == mother.mouths and priya.blink == mother.blink
    assert casts[0]["ben"].bodies != priya.bodies  # ... and it is not every character's picture


def test_an_uploaded_narration_needs_the_whisper_setting(store: LocalArtifactStore) -> None:
    spec = spec_for(TWO_SCENES, narration_upload="0" * 64 + ".wav")
    for engines in (None, ModelEngines()):
        outputs = run_until(FilmStageRunner(store, engines=engines), spec, "voices")
        failure = outputs["voices"]
        assert isinstance(failure, StageFailure)
        assert "FILMSTUDIO_WHISPER_MODEL_DIR" in failure.reason
