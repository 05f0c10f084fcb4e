"""Thumbnails: three distinct 1280x720 JPEGs under 2 MB with a correctly shaped title."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

from gpu_stages.thumbnails import (
    FrameUnavailable,
    TitleBox,
    draw_title,
    frame_at,
    make_thumbnails,
    pick_frames,
)

HINDI_TITLE = "क्षत्रिय की कहानी"
DEVANAGARI_BOLD = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf"
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg with libass")


def _scene(seed: int, size: tuple[int, int] = (640, 360)) -> Image.Image:
    """A textured test picture: coloured gradient, blobs and fine noise (sharp, varied)."""
    rng = np.random.default_rng(seed)
    h, w = size[1], size[0]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    colour = rng.uniform(40, 220, 3)
    picture = np.stack(
        [colour[c] * (0.5 + 0.5 * np.sin(xx / rng.uniform(20, 80) + c + seed)) for c in range(3)], -1
    )
    for _ in range(6):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(20, 90)
        picture[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
    picture += rng.normal(0, 12, picture.shape)
    return Image.fromarray(picture.clip(0, 255).astype(np.uint8))


def _ink(picture: Image.Image) -> np.ndarray:
    return np.asarray(picture.convert("L")) > 200


def _shape(picture: Image.Image) -> np.ndarray:
    mask = _ink(picture)
    ys, xs = np.nonzero(mask)
    crop = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.uint8) * 255
    return np.asarray(Image.fromarray(crop).resize((300, 60)), dtype=np.float32) / 255


@needs_ffmpeg
def test_three_thumbnails_are_distinct_1280x720_jpegs_under_2mb(tmp_path: Path) -> None:
    frames = [_scene(seed) for seed in range(6)]
    paths = make_thumbnails(frames, HINDI_TITLE, "hi", tmp_path)
    assert len(paths) == 3
    pictures = []
    for path in paths:
        with Image.open(path) as picture:
            assert picture.format == "JPEG" and picture.size == (1280, 720)
            pictures.append(np.asarray(picture.convert("RGB"), dtype=np.int16))
        assert path.stat().st_size < 2 * 1024 * 1024
    for i in range(3):
        for j in range(i + 1, 3):
            assert np.abs(pictures[i] - pictures[j]).mean() > 20


def test_thumbnails_from_a_single_frame_still_differ(tmp_path: Path) -> None:
    paths = make_thumbnails([_scene(3)], "The Long Road Home", "en", tmp_path)
    pictures = [np.asarray(Image.open(p).convert("RGB"), dtype=np.int16) for p in paths]
    assert min(np.abs(a - b).mean() for a, b in [(pictures[0], pictures[1]), (pictures[1], pictures[2])]) > 10


def test_frame_picking_prefers_sharp_frames_and_skips_near_duplicates() -> None:
    sharp = _scene(1)
    near_duplicate = Image.fromarray(
        (np.asarray(sharp, np.int16) + np.random.default_rng(9).integers(-3, 4, (360, 640, 3)))
        .clip(0, 255)
        .astype(np.uint8)
    )
    blurred = _scene(2).filter(ImageFilter.GaussianBlur(8))
    flat = Image.new("RGB", (640, 360), (128, 128, 128))
    frames = [flat, sharp, blurred, near_duplicate, _scene(4), _scene(5)]
    chosen = pick_frames(frames, count=3)
    assert len(set(chosen)) == 3
    assert not {1, 3} <= set(chosen)  # one of the two near-identical frames at most
    assert 0 not in chosen and 2 not in chosen


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without RAQM uses the libass path")
@needs_ffmpeg
def test_hindi_title_is_shaped_like_libass_and_unlike_unshaped_text() -> None:
    background = Image.new("RGB", (1280, 720), (20, 30, 60))
    box = TitleBox(40, 200, 1200, 300, "centre", max_lines=1, max_size=110)
    pillow = draw_title(background, HINDI_TITLE, "hi", box, engine="raqm")
    libass = draw_title(background, HINDI_TITLE, "hi", box, engine="libass")
    unshaped = background.copy()
    font = ImageFont.truetype(DEVANAGARI_BOLD, 110, layout_engine=ImageFont.Layout.BASIC)
    ImageDraw.Draw(unshaped).text((100, 280), HINDI_TITLE, font=font, fill=(255, 255, 255))

    assert _ink(pillow).sum() > 5000
    assert abs(_ink(libass).sum() / _ink(pillow).sum() - 1) < 0.15  # same size in both engines
    shaped_difference = np.abs(_shape(pillow) - _shape(libass)).mean()
    unshaped_difference = np.abs(_shape(pillow) - _shape(unshaped)).mean()
    assert shaped_difference < 0.12
    assert unshaped_difference > 2 * shaped_difference


def test_arabic_side_title_sits_on_the_right(tmp_path: Path) -> None:
    (_, side, _) = make_thumbnails([_scene(1), _scene(2), _scene(3)], "المدينة القديمة", "ar", tmp_path)
    title = np.asarray(Image.open(side).convert("RGB"), dtype=np.int16)
    # The side layout writes the title in the accent yellow on the reading-start side.
    yellow = (title[..., 0] > 200) & (title[..., 1] > 170) & (title[..., 2] < 120)
    assert yellow.sum() > 2000
    assert np.nonzero(yellow)[1].mean() > 640


@needs_ffmpeg
def test_libass_fallback_draws_the_title_when_pillow_cannot_shape(tmp_path: Path) -> None:
    plain = Image.new("RGB", (1280, 720), (20, 30, 60))
    paths = make_thumbnails([plain], HINDI_TITLE, "hi", tmp_path, engine="libass")
    assert all(Image.open(p).size == (1280, 720) for p in paths)
    assert all(_ink(Image.open(p)).sum() > 3000 for p in (paths[0], paths[2]))


@needs_ffmpeg
def test_frame_at_returns_the_picture_shown_at_that_time(tmp_path: Path) -> None:
    video = tmp_path / "two-colours.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "color=c=red:s=320x180:d=1:r=10",
         "-f", "lavfi", "-i", "color=c=blue:s=320x180:d=1:r=10",
         "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )  # fmt: skip
    red = np.asarray(frame_at(video, 0.5), dtype=np.int16).mean(axis=(0, 1))
    blue = np.asarray(frame_at(video, 1.5), dtype=np.int16).mean(axis=(0, 1))
    assert red[0] > 200 and red[2] < 50
    assert blue[2] > 200 and blue[0] < 50
    with pytest.raises(FrameUnavailable):
        frame_at(video, 30.0)


def test_a_draft_asks_for_one_thumbnail_and_gets_one_1280x720_jpeg(tmp_path: Path) -> None:
    [path] = make_thumbnails([_scene(1), _scene(2)], "The Long Road Home", "en", tmp_path, count=1)
    with Image.open(path) as picture:
        assert picture.size == (1280, 720) and picture.format == "JPEG"
