"""The render stage end to end: real ffmpeg output, probed and decoded, for 16:9 and 9:16 at 480p."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.render.sample_film import build_sample_film, decode_frames
from gpu_stages.render.stage import RenderInput, RenderSettings, RenderStage, build_compositor
from gpu_stages.render.verify import RenditionInvalid, probe, verify_rendition
from schemas.media import Rendition, StageFailure

LINES = (0.8, 0.8)  # two lines: asha, then ben; the film lasts about 3.7 s


class Rendered:
    def __init__(
        self, store: LocalArtifactStore, inputs: RenderInput, result: Rendition, progress: list[float]
    ):
        self.store, self.inputs, self.result, self.progress = store, inputs, result, progress
        self.path = store.path(result.video)
        self.frames = decode_frames(self.path, result.width, result.height)

    def frame_at(self, t: float) -> np.ndarray:
        return self.frames[int(t * self.inputs.fps)]


def render(tmp: Path, **options: object) -> Rendered:
    store = LocalArtifactStore(tmp / "artifacts")
    inputs = build_sample_film(store, line_seconds=LINES, **options)  # type: ignore[arg-type]
    fractions: list[float] = []
    ctx = StageContext(artifacts=store, progress=lambda f, _m: fractions.append(f), work_dir=tmp)
    result = RenderStage(RenderSettings()).run(inputs, ctx)
    assert isinstance(result, Rendition), result
    return Rendered(store, inputs, result, fractions)


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render(tmp_path_factory.mktemp("wide"), aspect="16:9", watermark=False)


@pytest.fixture(scope="module")
def tall(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render(tmp_path_factory.mktemp("tall"), aspect="9:16", watermark=True)


def audio_seconds(rendered: Rendered) -> float:
    import soundfile

    return float(soundfile.info(str(rendered.store.path(rendered.inputs.audio))).duration)


@pytest.mark.parametrize("which,size", [("wide", (854, 480)), ("tall", (480, 854))])
def test_output_has_h264_and_aac_at_the_asked_size_fps_and_audio_length(
    which: str, size: tuple[int, int], request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    found = probe(rendered.path)
    seconds = audio_seconds(rendered)
    assert (found.video_codec, found.audio_codec) == ("h264", "aac")
    assert (found.width, found.height) == size == (rendered.result.width, rendered.result.height)
    assert found.fps == pytest.approx(24.0)
    assert abs(found.video_seconds - seconds) <= 0.1
    assert abs(found.audio_seconds - seconds) <= 0.1
    assert len(rendered.frames) == round(seconds * 24)


def test_progress_reports_fractions_of_frames_written_up_to_one(wide: Rendered) -> None:
    assert wide.progress == sorted(wide.progress)
    assert wide.progress[-1] == pytest.approx(1.0)
    assert len(wide.progress) >= 20


def test_file_is_faststart_with_the_index_before_the_media(wide: Rendered) -> None:
    head = wide.path.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or head.find(b"mdat") == -1


def _phoneme_time(rendered: Rendered, line_id: str, viseme: str) -> float:
    line = next(ln for ln in rendered.inputs.timeline.lines if ln.line_id == line_id)
    voiced = next(v for v in rendered.inputs.voices.lines if v.line_id == line_id)
    phoneme = next(p for p in voiced.phonemes if p.viseme == viseme and p.end - p.start >= 0.09)
    return line.start + (phoneme.start + phoneme.end) / 2


@pytest.mark.parametrize("which", ["wide", "tall"])
def test_mouth_region_changes_between_open_and_closed_phonemes(
    which: str, request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    compositor = build_compositor(rendered.inputs, rendered.store, RenderSettings(), audio_seconds(rendered))
    fps = rendered.inputs.fps
    t_open, t_closed = _phoneme_time(rendered, "l0", "open"), _phoneme_time(rendered, "l0", "closed")
    diffs = {}
    for label, dy in (("mouth", 0.0), ("forehead", -0.09)):
        patches = []
        for t in (t_open, t_closed):
            x, y = compositor.mouth_position("asha", int(t * fps))  # type: ignore[misc]
            y += dy * rendered.result.height
            r = round(0.025 * rendered.result.height)
            patches.append(
                rendered.frame_at(t)[round(y) - r : round(y) + r, round(x) - r : round(x) + r].astype(int)
            )
        diffs[label] = float(np.abs(patches[0] - patches[1]).mean())
    assert diffs["mouth"] > 15
    assert diffs["mouth"] > 4 * diffs["forehead"]  # not just the camera drifting


def _shirt(frame: np.ndarray, channel: int) -> tuple[int, float]:
    """Pixel count and mean intensity of the red (channel 2) or blue (channel 0) shirt."""
    f = frame.astype(int)
    main, others = f[:, :, channel], [f[:, :, c] for c in range(3) if c != channel]
    mask = (main > 90) & (main > 2 * others[0]) & (main > 2 * others[1])
    return int(mask.sum()), float(main[mask].mean())


def test_speaker_is_larger_and_brighter_than_the_listener(wide: Rendered) -> None:
    lines = {ln.line_id: ln for ln in wide.inputs.timeline.lines}
    asha_speaks = wide.frame_at(lines["l0"].end - 0.1)
    ben_speaks = wide.frame_at(lines["l1"].end - 0.1)
    (asha_area_1, asha_light_1), (ben_area_1, ben_light_1) = _shirt(asha_speaks, 2), _shirt(asha_speaks, 0)
    (asha_area_2, asha_light_2), (ben_area_2, ben_light_2) = _shirt(ben_speaks, 2), _shirt(ben_speaks, 0)
    assert asha_light_1 > asha_light_2 * 1.1 and ben_light_2 > ben_light_1 * 1.1
    assert asha_area_1 / ben_area_1 > 1.04 * asha_area_2 / ben_area_2


def _white_pixels(region: np.ndarray, threshold: int = 215) -> int:
    return int((region.min(axis=2) > threshold).sum())


def test_burned_subtitle_appears_in_the_bottom_band_only_during_a_cue(wide: Rendered) -> None:
    lines = wide.inputs.timeline.lines
    band = slice(round(wide.result.height * 0.75), wide.result.height)
    during = _white_pixels(wide.frame_at((lines[0].start + lines[0].end) / 2)[band])
    between = _white_pixels(wide.frame_at((lines[0].end + lines[1].start) / 2)[band])
    assert during > 300
    assert between < 20


def _corner(rendered: Rendered, t: float) -> np.ndarray:
    h, w = rendered.result.height, rendered.result.width
    return rendered.frame_at(t)[: round(h * 0.1), round(w * 0.55) :]


def test_watermark_is_visible_when_asked_and_absent_otherwise(wide: Rendered, tall: Rendered) -> None:
    t = wide.inputs.timeline.lines[0].start
    # The sample sky never exceeds 185 per channel; the watermark is white at 70 % opacity.
    assert _white_pixels(_corner(tall, t), 198) > 50
    assert _white_pixels(_corner(wide, t), 198) == 0


def test_verification_names_every_mismatch(wide: Rendered, tmp_path: Path) -> None:
    with pytest.raises(RenditionInvalid) as error:
        verify_rendition(wide.path, 1280, 720, 30, audio_seconds(wide) + 1.0)
    message = str(error.value)
    assert "frame is 854x480, expected 1280x720" in message
    assert "frame rate is 24.000, expected 30" in message
    assert "mixed audio lasts" in message
    silent = tmp_path / "silent.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=gray:s=160x90:d=1:r=24",
            "-c:v",
            "libx264",
            str(silent),
        ],
        check=True,
    )
    with pytest.raises(RenditionInvalid, match="audio stream is missing"):
        verify_rendition(silent, 160, 90, 24, 1.0)


def test_draft_renders_480p_quickly_from_a_1080p_request(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    inputs = build_sample_film(store, line_seconds=(0.6,), resolution="480p", subtitles=False)
    inputs = inputs.model_copy(update={"resolution": "1080p"})
    result = RenderStage(RenderSettings(draft=True)).run(
        inputs, StageContext(artifacts=store, work_dir=tmp_path)
    )
    assert isinstance(result, Rendition)
    assert (result.resolution, result.width, result.height) == ("480p", 854, 480)
    verify_rendition(store.path(result.video), 854, 480, 24, result.duration)


def test_a_speaker_without_sprites_fails_with_a_message_naming_them(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    inputs = build_sample_film(store, line_seconds=(0.6,), subtitles=False)
    inputs = inputs.model_copy(update={"cast": inputs.cast.model_copy(update={"characters": []})})
    result = RenderStage(RenderSettings()).run(inputs, StageContext(artifacts=store, work_dir=tmp_path))
    assert isinstance(result, StageFailure)
    assert "asha" in result.reason and "no sprites" in result.reason


def test_cancelling_from_the_progress_callback_stops_the_render(tmp_path: Path) -> None:
    from gpu_stages.contract import StageCancelled

    store = LocalArtifactStore(tmp_path / "artifacts")
    inputs = build_sample_film(store, line_seconds=(0.6,), subtitles=False)
    seen: list[float] = []

    def cancel_at_half(fraction: float, _message: str) -> None:
        seen.append(fraction)
        if fraction >= 0.5:
            raise StageCancelled()

    with pytest.raises(StageCancelled):
        RenderStage(RenderSettings()).run(
            inputs, StageContext(artifacts=store, progress=cancel_at_half, work_dir=tmp_path)
        )
    assert max(seen) < 0.6
    assert not list(tmp_path.glob("*.mp4"))  # no half-written film left behind
