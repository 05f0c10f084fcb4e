"""Compositing details checked on frames before encoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.render.blend import over
from gpu_stages.render.compose import Compositor
from gpu_stages.render.images import premultiply
from gpu_stages.render.sample_film import build_sample_film
from gpu_stages.render.stage import RenderSettings, build_compositor


def test_over_blends_premultiplied_colour_like_straight_alpha() -> None:
    dst = np.full((1, 1, 3), (0, 0, 200), np.uint8)  # red background (BGR)
    src = premultiply(np.array([[[0, 0, 255, 64]]], np.uint8))  # blue at 25 % (RGBA)
    over(dst, src)
    expected = np.array([255 * 64 / 255, 0, 200 * (1 - 64 / 255)])
    assert np.abs(dst[0, 0].astype(float) - expected).max() <= 1.5


def test_each_png_is_decoded_once_over_the_whole_film(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    inputs = build_sample_film(store, line_seconds=(0.8, 0.8), narration_scene=True, subtitles=False)
    compositor = build_compositor(inputs, store, RenderSettings(workers=1), inputs.timeline.duration)
    frames = round(inputs.timeline.duration * inputs.fps)
    for index in range(0, frames, 2):  # every scene, shot and most mouth shapes
        compositor.frame(index)
    decodes = compositor.library.decodes
    layers = {k for b in inputs.backdrops.scenes for k in b.layers}
    assert layers <= set(decodes)  # every backdrop layer was used
    assert max(decodes.values()) == 1


def test_watermark_changes_only_the_top_right_corner(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    inputs = build_sample_film(store, line_seconds=(0.8,), subtitles=False)
    plain = build_compositor(inputs, store, RenderSettings(), inputs.timeline.duration).frame(30)
    marked_inputs = inputs.model_copy(update={"watermark": True})
    marked = build_compositor(marked_inputs, store, RenderSettings(), inputs.timeline.duration).frame(30)
    changed = np.argwhere(np.abs(marked.astype(int) - plain.astype(int)).max(axis=2) > 8)
    height, width = plain.shape[:2]
    assert len(changed) > 100
    assert changed[:, 0].max() < height * 0.15 and changed[:, 1].min() > width * 0.5


def _two_scene_compositor(tmp_path: Path, **second_scene: str) -> tuple[Compositor, float]:
    store = LocalArtifactStore(tmp_path)
    inputs = build_sample_film(store, line_seconds=(0.8,), narration_scene=True, subtitles=False)
    scenes = [inputs.plan.scenes[0], inputs.plan.scenes[1].model_copy(update=second_scene)]
    inputs = inputs.model_copy(update={"plan": inputs.plan.model_copy(update={"scenes": scenes})})
    compositor = build_compositor(inputs, store, RenderSettings(), inputs.timeline.duration)
    return compositor, inputs.timeline.scenes[1].start


def test_crossfade_mixes_the_two_scenes_at_the_boundary(tmp_path: Path) -> None:
    compositor, boundary = _two_scene_compositor(tmp_path, time_of_day="day", mood="sad")
    index = round(boundary * 24)
    t = index / 24
    (before, w_before), (after, w_after) = compositor.shots.weights_at(t)
    assert before.scene_index == 0 and after.scene_index == 1 and 0.3 < w_before < 0.7
    expected = w_before * compositor.shot_frame(before, t, index) + w_after * compositor.shot_frame(
        after, t, index
    )
    assert np.abs(compositor.frame(index).astype(float) - expected).mean() < 1.0


def test_fade_through_black_is_dark_at_the_boundary_and_bright_either_side(tmp_path: Path) -> None:
    compositor, boundary = _two_scene_compositor(tmp_path, time_of_day="night")
    at = compositor.frame(round(boundary * 24)).mean()
    either_side = [compositor.frame(round((boundary + d) * 24)).mean() for d in (-0.7, 0.7)]
    assert at < 8 and min(either_side) > 60
