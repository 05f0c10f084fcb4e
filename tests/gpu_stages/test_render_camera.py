"""Camera moves are smooth and sub-pixel: shifts between consecutive frames follow a smooth curve."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.render.sample_film import build_sample_film, decode_frames
from gpu_stages.render.stage import RenderInput, RenderSettings, RenderStage, build_compositor
from schemas.media import Rendition


class Narration:
    def __init__(self, tmp: Path) -> None:
        self.store = LocalArtifactStore(tmp / "artifacts")
        # No lines: a 2.5 s narration-only scene, the backdrop alone under a slow camera move.
        self.inputs: RenderInput = build_sample_film(self.store, line_seconds=(), subtitles=False)
        result = RenderStage(RenderSettings()).run(
            self.inputs, StageContext(artifacts=self.store, work_dir=tmp)
        )
        assert isinstance(result, Rendition), result
        self.result = result
        self.decoded = decode_frames(self.store.path(result.video), result.width, result.height)


@pytest.fixture(scope="module")
def narration(tmp_path_factory: pytest.TempPathFactory) -> Narration:
    return Narration(tmp_path_factory.mktemp("camera"))


def sky_shifts(frames: list[np.ndarray] | np.ndarray) -> np.ndarray:
    """Horizontal shift of the far layer (the sky) between consecutive frames, by phase correlation."""
    h, w = frames[0].shape[:2]

    def crop(frame: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        return gray[int(h * 0.05) : int(h * 0.4), int(w * 0.2) : int(w * 0.8)].astype(np.float32)

    crops = [crop(f) for f in frames]
    window = cv2.createHanningWindow(crops[0].shape[::-1], cv2.CV_32F)
    return np.array([cv2.phaseCorrelate(a, b, window)[0][0] for a, b in itertools.pairwise(crops)])


def roughness(shifts: np.ndarray) -> float:
    """RMS distance (px) of the shifts from the smooth cubic that fits them best."""
    x = np.arange(len(shifts))
    fit = np.polyval(np.polyfit(x, shifts, 3), x)
    return float(np.sqrt(np.mean((shifts - fit) ** 2)))


def middle(frames: np.ndarray, fps: int) -> np.ndarray:
    return frames[fps // 2 : -fps // 2]  # skip the fade from and to black


def test_composited_camera_glides_in_sub_pixel_steps_along_a_smooth_curve(narration: Narration) -> None:
    compositor = build_compositor(
        narration.inputs, narration.store, RenderSettings(), narration.inputs.timeline.duration
    )
    frames = middle(
        np.stack([compositor.frame(k) for k in range(len(narration.decoded))]), narration.inputs.fps
    )
    shifts = sky_shifts(frames)
    assert 0.1 < np.abs(shifts).mean() < 0.9  # moving, by less than a pixel per frame
    assert roughness(shifts) < 0.03
    assert np.abs(np.diff(shifts)).max() < 0.08


def test_encoded_camera_move_stays_smooth_and_is_not_snapped_to_whole_pixels(narration: Narration) -> None:
    fps = narration.inputs.fps
    decoded = middle(narration.decoded, fps)
    shifts = sky_shifts(decoded)
    assert 0.1 < np.abs(shifts).mean() < 0.9
    # The same path snapped to whole pixels (as zoompan does) for comparison: shifts jump 0 / 1 px.
    offsets = np.concatenate([[0.0], np.cumsum(shifts)])
    snapped = [np.roll(decoded[0], round(o), axis=1) for o in offsets]
    assert roughness(sky_shifts(np.stack(snapped))) > 0.3
    assert roughness(shifts) < 0.2
