"""Burn an ASS file into video with ffmpeg's `ass=` filter (libass shapes Devanagari, Arabic, CJK).

ffmpeg's `subtitles=` filter misplaces Devanagari vowel signs and `drawtext` has no shaping in this
build, so `ass=` is the only text path used for burned subtitles.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from gpu_stages.subtitles.scripts import Script, font_for

FILTERGRAPH_SPECIALS = "\\'[],;"


class BurnFailed(RuntimeError):
    """ffmpeg could not burn the subtitles; the message carries the end of its log."""


def escape_filter_value(value: str) -> str:
    """Escape a filter option value for an ffmpeg filtergraph passed as one argv item.

    Two levels, as ffmpeg parses them: first the option value (`\\`, `'` and the `:` separator),
    then the filtergraph (`\\ ' [ ] , ;`). No shell is involved, so there is no third level.
    """
    level1 = "".join("\\" + ch if ch in "\\':" else ch for ch in value)
    return "".join("\\" + ch if ch in FILTERGRAPH_SPECIALS else ch for ch in level1)


def ass_filter(ass_path: Path | str, fonts_dir: Path | str | None = None) -> str:
    """The `ass=` filter that burns `ass_path`, loading extra fonts from `fonts_dir`."""
    spec = f"ass=filename={escape_filter_value(str(ass_path))}"
    if fonts_dir is not None:
        spec += f":fontsdir={escape_filter_value(str(fonts_dir))}"
    return spec


def fonts_dir_for(scripts: Iterable[Script], target: Path, language: str = "") -> Path:
    """A folder holding links to just the Noto fonts the scripts need.

    libass reads every file in `fontsdir` into memory, so pointing it at the whole Noto folder
    would load hundreds of megabytes; fontconfig still finds anything else.
    """
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[Script] = {"latin", *scripts}
    for script in wanted:
        font = font_for(script, language)
        for path in (font.regular, font.bold):
            link = target / path.name
            if path.exists() and not link.exists():
                os.symlink(path, link)
    return target


def burn_subtitles(
    video_in: Path,
    ass_path: Path,
    video_out: Path,
    fonts_dir: Path | None = None,
    crf: int = 18,
    preset: str = "veryfast",
) -> Path:
    """Re-encode `video_in` with the subtitles of `ass_path` drawn in; audio is copied."""
    cmd = [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-i", str(video_in),
        "-vf", ass_filter(ass_path, fonts_dir),
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
        "-c:a", "copy", "-movflags", "+faststart",
        str(video_out),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not video_out.exists():
        raise BurnFailed(f"ffmpeg could not burn {ass_path.name} into {video_in.name}: {done.stderr[-800:]}")
    return video_out
