"""Burned subtitles go through libass (`ass=`) and come out shaped: Devanagari, Arabic RTL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gpu_stages.subtitles import ass_filter, ass_for_frame, burn_subtitles, fonts_dir_for
from gpu_stages.subtitles.ass_format import HorizontalAlign
from gpu_stages.thumbnails import frame_at
from schemas.film import SubtitleStyle
from schemas.media import Cue, SubtitleTrack

pytestmark = [
    pytest.mark.media,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg with libass"),
]

W, H = 1280, 720
BACKGROUND = "0x336699"
HINDI = "क्षत्रिय की कहानी"
ARABIC = "المستشفيات في"  # a long first word: in right-to-left order it must sit on the right
DEVANAGARI_FONT = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf"


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "plain.mp4"
    _ffmpeg("-f", "lavfi", "-i", f"color=c={BACKGROUND}:s={W}x{H}:d=1:r=10", "-c:v", "libx264",
            "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))  # fmt: skip
    return path


def _track(language: str, text: str) -> SubtitleTrack:
    return SubtitleTrack(
        language=language, label=language, cues=[Cue(start=0.0, end=1.0, text=text)], srt="", vtt="", ass=""
    )


def _burn_ours(
    clip: Path, tmp: Path, language: str, text: str, align: HorizontalAlign = "centre"
) -> Image.Image:
    ass = tmp / f"ours-{language}-{align}.ass"
    ass.write_text(
        ass_for_frame(_track(language, text), SubtitleStyle(), W, H, align=align), encoding="utf-8"
    )
    fonts = fonts_dir_for(["devanagari", "arabic"], tmp / "fonts")
    out = burn_subtitles(clip, ass, tmp / f"ours-{language}-{align}.mp4", fonts_dir=fonts)
    return frame_at(out, 0.5)


def _burn_reference(clip: Path, tmp: Path, name: str, font: str, text: str, encoding: int) -> Image.Image:
    """The same look written by hand: 40 px (5.5 % of 720), a 62 % black box, bottom centre."""
    ass = tmp / f"reference-{name}.ass"
    ass.write_text(
        "[Script Info]\nScriptType: v4.00+\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n"
        f"PlayResX: {W}\nPlayResY: {H}\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
        "Alignment, MarginL, MarginR, MarginV, Encoding\n"
        f"Style: Ref,{font},40,&H00FFFFFF,&H000000FF,&H60000000,&H80000000,0,0,0,0,100,100,0,0,3,7.2,0,"
        f"2,64,64,36,{encoding}\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        f"Dialogue: 0,0:00:00.00,0:00:01.00,Ref,,0,0,0,,{text}\n",
        encoding="utf-8",
    )
    out = tmp / f"reference-{name}.mp4"
    _ffmpeg("-i", str(clip), "-vf", f"ass={ass}", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
            "-pix_fmt", "yuv420p", str(out))  # fmt: skip
    return frame_at(out, 0.5)


def _ink(frame: Image.Image) -> np.ndarray:
    """Mask of the white subtitle glyphs (the background and box are dark or blue)."""
    return np.asarray(frame.convert("L")) > 150


def _widest_gap(mask: np.ndarray) -> float:
    """Centre x of the widest run of ink-free columns inside the ink's extent (the word space)."""
    columns = mask.any(axis=0)
    xs = np.nonzero(columns)[0]
    best, best_centre, run_start = 0, float("nan"), None
    for x in range(xs.min(), xs.max() + 1):
        if not columns[x] and run_start is None:
            run_start = x
        elif columns[x] and run_start is not None:
            if x - run_start > best:
                best, best_centre = x - run_start, (run_start + x) / 2
            run_start = None
    return best_centre


def _glyph_shape(frame: Image.Image) -> np.ndarray:
    """The ink cropped to its bounding box and scaled to a fixed size, to compare letter shapes."""
    mask = _ink(frame)
    ys, xs = np.nonzero(mask)
    crop = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return np.asarray(Image.fromarray(crop.astype(np.uint8) * 255).resize((240, 40)), dtype=np.float32) / 255


def _shape_difference(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(_glyph_shape(a) - _glyph_shape(b)).mean())


def test_hindi_burn_matches_an_independent_libass_reference_and_not_unshaped_drawtext(
    clip: Path, tmp_path: Path
) -> None:
    ours = _burn_ours(clip, tmp_path, "hi", HINDI)
    reference = _burn_reference(clip, tmp_path, "hi", "Noto Sans Devanagari", HINDI, 1)
    unshaped = tmp_path / "drawtext.png"
    _ffmpeg("-i", str(clip), "-vf",
            f"drawtext=fontfile={DEVANAGARI_FONT}:text='{HINDI}':fontsize=40:fontcolor=white:"
            "x=(w-text_w)/2:y=h-90", "-frames:v", "1", str(unshaped))  # fmt: skip
    drawtext = Image.open(unshaped)

    assert _ink(ours).sum() > 500, "no subtitle ink in the burned frame"
    pixel_diff = np.abs(np.asarray(ours, np.int16) - np.asarray(reference, np.int16)).mean()
    assert pixel_diff < 1.0
    same = _shape_difference(ours, reference)
    unshaped_difference = _shape_difference(ours, drawtext)
    assert same < 0.05
    assert unshaped_difference > 3 * same and unshaped_difference > 0.1


def test_arabic_burn_reads_right_to_left_and_matches_reference(clip: Path, tmp_path: Path) -> None:
    ours = _burn_ours(clip, tmp_path, "ar", ARABIC)
    reference = _burn_reference(clip, tmp_path, "ar", "Noto Sans Arabic", ARABIC, -1)
    mask = _ink(ours)
    xs = np.nonzero(mask)[1]
    assert len(xs) > 300
    # Right to left, the long first word sits on the right, so the word gap is left of centre.
    gap = _widest_gap(mask)
    assert gap < (xs.min() + xs.max()) / 2 - 30
    assert _shape_difference(ours, reference) < 0.05


def test_arabic_start_alignment_puts_the_cue_on_the_right(clip: Path, tmp_path: Path) -> None:
    start = _ink(_burn_ours(clip, tmp_path, "ar", ARABIC, align="start"))
    centre = _ink(_burn_ours(clip, tmp_path, "ar", ARABIC, align="centre"))
    start_x = np.nonzero(start)[1].mean()
    centre_x = np.nonzero(centre)[1].mean()
    assert start_x > W * 0.7
    assert start_x > centre_x + 100


def test_filter_escaping_survives_a_hostile_path(clip: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "it's: [odd], dir; x"
    hostile.mkdir()
    ass = hostile / "sub title's.ass"
    ass.write_text(ass_for_frame(_track("en", "Hello there"), SubtitleStyle(), W, H), encoding="utf-8")
    out = tmp_path / "frame.png"
    _ffmpeg("-i", str(clip), "-vf", ass_filter(ass, fonts_dir=hostile), "-frames:v", "1", str(out))
    assert _ink(Image.open(out)).sum() > 200
