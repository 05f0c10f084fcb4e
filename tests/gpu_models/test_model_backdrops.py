"""Diffusion backdrops: a tiny random Stable Diffusion pipeline loaded from a folder paints layers the renderer takes."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("diffusers")

from PIL import Image

from gpu_stages.contract import StageContext
from gpu_stages.models.backdrops import DiffusionBackdropSettings, DiffusionBackdropStage, generated_size
from gpu_stages.models.prompts import backdrop_prompt
from gpu_stages.scenes import BackdropInput, layer_size
from schemas.media import Backdrops, ScriptPlan, StageFailure
from tests.gpu_models.tiny_models import build_diffusion


@pytest.fixture(scope="module")
def pipeline_dir(models_dir: Path) -> Path:
    return build_diffusion(models_dir / "diffusion")


def paint(folder: Path, plan: ScriptPlan, ctx: StageContext, width: int, height: int) -> Backdrops:
    stage = DiffusionBackdropStage(DiffusionBackdropSettings(model_dir=str(folder), steps=2, long_side=128))
    stage.ensure_loaded()
    result = stage.run(BackdropInput(plan=plan, width=width, height=height), ctx)
    assert not isinstance(result, StageFailure), result
    return result


@pytest.mark.parametrize(("width", "height"), [(320, 180), (180, 320)])
def test_each_scene_gets_opaque_layers_of_the_renderers_layer_size(
    pipeline_dir: Path, plan: ScriptPlan, ctx: StageContext, width: int, height: int
) -> None:
    backdrops = paint(pipeline_dir, plan, ctx, width, height)
    assert [b.scene_index for b in backdrops.scenes] == [0, 1]
    for backdrop in backdrops.scenes:
        assert backdrop.size == layer_size(width, height)
        back = Image.open(ctx.artifacts.path(backdrop.layers[0]))
        assert back.size == layer_size(width, height) and back.mode == "RGBA"
        assert back.getchannel("A").getextrema() == (255, 255)  # the far layer has no holes
        assert len(back.convert("RGB").getcolors(1 << 20) or []) > 50, "a flat colour, not a picture"
    assert backdrops.scenes[0].layers[0] != backdrops.scenes[1].layers[0]


def test_scenes_that_look_alike_share_one_painting(pipeline_dir: Path, plan: ScriptPlan, ctx: StageContext) -> None:
    twin = plan.scenes[0].model_copy(update={"index": 2})
    backdrops = paint(pipeline_dir, plan.model_copy(update={"scenes": [*plan.scenes, twin]}), ctx, 160, 90)
    assert backdrops.scenes[2].layers == backdrops.scenes[0].layers


def test_a_folder_that_is_not_a_pipeline_fails_with_the_setting_to_fix(
    tmp_path: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    stage = DiffusionBackdropStage(DiffusionBackdropSettings(model_dir=str(tmp_path)))
    failure = stage.run(BackdropInput(plan=plan, width=160, height=90), ctx)
    assert isinstance(failure, StageFailure)
    assert "model_index.json" in failure.reason and "FILMSTUDIO_DIFFUSION_MODEL_DIR" in failure.reason


def test_generated_pictures_keep_the_frame_aspect_on_the_models_grid() -> None:
    assert generated_size(1920, 1080, 768) == (768, 448)
    assert generated_size(1080, 1920, 768) == (448, 768)
    assert generated_size(1080, 1080, 512) == (512, 512)


def test_the_prompt_asks_for_an_empty_place_in_the_scenes_light(plan: ScriptPlan) -> None:
    prompt = backdrop_prompt(plan.scenes[0])
    assert "temple" in prompt and "dawn" in prompt and "Indian" in prompt and "no people" in prompt
