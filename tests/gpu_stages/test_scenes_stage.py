"""The scenes stage: PNG layer artifacts per scene, shared between identical scenes, uploads used."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from gpu_stages.contract import LocalArtifactStore, StageContext, run_cached
from gpu_stages.scenes import BackdropInput, BackdropSettings, BackdropStage, layer_size
from schemas.media import Backdrops, Line, Scene, ScriptPlan, StageFailure


def plan(*specs: tuple[str, str, str]) -> ScriptPlan:
    scenes = [
        Scene(
            index=i,
            heading=f"SCENE {i}",
            setting=s,
            time_of_day=t,
            culture=c,  # type: ignore[arg-type]
            lines=[Line(id=f"l{i}", speaker="narrator", text="Hello.")],
        )
        for i, (s, t, c) in enumerate(specs)
    ]
    return ScriptPlan(title="t", scenes=scenes, characters=[], estimated_seconds=3.0)


def context(tmp_path: Path) -> tuple[StageContext, list[tuple[float, str]]]:
    calls: list[tuple[float, str]] = []
    ctx = StageContext(
        artifacts=LocalArtifactStore(tmp_path / "a"),
        progress=lambda f, m: calls.append((f, m)),
        work_dir=tmp_path,
    )
    return ctx, calls


def test_each_scene_gets_png_layers_and_identical_scenes_share_them(tmp_path: Path) -> None:
    ctx, calls = context(tmp_path)
    stage = BackdropStage(BackdropSettings())
    inputs = BackdropInput(
        plan=plan(
            ("temple", "dawn", "indian"), ("kitchen", "night", "western"), ("temple", "dawn", "indian")
        ),
        width=160,
        height=90,
    )
    out = stage.run(inputs, ctx)
    assert isinstance(out, Backdrops)
    assert [b.scene_index for b in out.scenes] == [0, 1, 2]
    assert out.scenes[0].layers == out.scenes[2].layers
    assert set(out.scenes[0].layers).isdisjoint(out.scenes[1].layers)
    for backdrop in out.scenes:
        assert len(backdrop.layers) >= 3 and backdrop.size == layer_size(160, 90)
        for key in backdrop.layers:
            assert key.endswith(".png")
            with Image.open(ctx.artifacts.path(key)) as img:
                assert img.mode == "RGBA" and img.size == backdrop.size
    assert calls[-1][0] == 1.0


def test_uploaded_picture_replaces_the_drawn_backdrop_for_its_scene(tmp_path: Path) -> None:
    ctx, _ = context(tmp_path)
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(buf, format="PNG")
    key = ctx.artifacts.put_bytes(buf.getvalue(), ".png")
    inputs = BackdropInput(
        plan=plan(("office", "day", "western"), ("office", "day", "western")),
        width=160,
        height=90,
        uploads={1: key},
    )
    out = BackdropStage(BackdropSettings(soft_near_on_uploads=False)).run(inputs, ctx)
    assert isinstance(out, Backdrops)
    assert len(out.scenes[1].layers) == 1
    with Image.open(ctx.artifacts.path(out.scenes[1].layers[0])) as img:
        assert np.asarray(img.convert("RGB"))[..., 1].mean() > 190
    assert out.scenes[0].layers != out.scenes[1].layers


def test_unknown_setting_and_bad_upload_come_back_as_failures(tmp_path: Path) -> None:
    ctx, _ = context(tmp_path)
    stage = BackdropStage(BackdropSettings())
    failed = stage.run(BackdropInput(plan=plan(("moon_base", "day", "western")), width=160, height=90), ctx)
    assert isinstance(failed, StageFailure)
    assert "moon_base" in failed.reason and "temple" in failed.reason
    bad = ctx.artifacts.put_bytes(b"not an image at all", ".png")
    failed = stage.run(
        BackdropInput(plan=plan(("home", "day", "western")), width=160, height=90, uploads={0: bad}), ctx
    )
    assert (
        isinstance(failed, StageFailure) and "scene 1" in failed.reason and "not a picture" in failed.reason
    )
    missing = stage.run(
        BackdropInput(
            plan=plan(("home", "day", "western")), width=160, height=90, uploads={0: "0" * 64 + ".png"}
        ),
        ctx,
    )
    assert isinstance(missing, StageFailure) and "missing" in missing.reason


def test_cached_run_returns_the_same_artifacts(tmp_path: Path) -> None:
    ctx, _ = context(tmp_path)
    stage = BackdropStage(BackdropSettings(seed=4))
    inputs = BackdropInput(plan=plan(("beach", "dusk", "east_asian")), width=96, height=160)
    first = run_cached(stage, inputs, ctx, Backdrops)
    second = run_cached(stage, inputs, ctx, Backdrops)
    assert isinstance(first, Backdrops) and first == second
    assert first.scenes[0].size == layer_size(96, 160)
