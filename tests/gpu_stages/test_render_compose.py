"""Compositing details checked on frames before encoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.render.compose import over
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
    for index in range(frames):
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
