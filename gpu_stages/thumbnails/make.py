"""Three thumbnail options: distinct key frames, each with the title in its own layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from gpu_stages.subtitles.scripts import is_rtl
from gpu_stages.thumbnails.frames import cover, pick_frames
from gpu_stages.thumbnails.title_text import TitleBox, TitleEngine, draw_title

SIZE = (1280, 720)
MAX_BYTES = 2 * 1024 * 1024
ACCENT = (255, 210, 63)


class NoFramesForThumbnails(ValueError):
    """Thumbnails need at least one frame of the film."""


def _shade(picture: Image.Image, alpha: np.ndarray) -> Image.Image:
    """Darken the picture by a per-pixel alpha mask (0 = untouched, 1 = black)."""
    pixels = np.asarray(picture, dtype=np.float32)
    return Image.fromarray((pixels * (1.0 - alpha[..., None])).clip(0, 255).astype(np.uint8))


def bottom_band(picture: Image.Image, rtl: bool) -> tuple[Image.Image, TitleBox]:
    """A dark band across the lower third, title centred in it."""
    w, h = picture.size
    alpha = np.zeros((h, w), dtype=np.float32)
    top = int(h * 0.66)
    alpha[top:] = 0.68
    fade = np.linspace(0.0, 0.68, 24, dtype=np.float32)
    alpha[top - 24 : top] = fade[:, None]
    return _shade(picture, alpha), TitleBox(
        int(w * 0.05), top + 8, int(w * 0.9), h - top - 24, "centre", max_lines=2
    )


def side_block(picture: Image.Image, rtl: bool) -> tuple[Image.Image, TitleBox]:
    """A dark gradient block on the reading-start side, title aligned to that side."""
    w, h = picture.size
    ramp = np.clip(1.15 - np.linspace(0.0, 1.0, w, dtype=np.float32) * 1.9, 0.0, 0.8)
    if rtl:
        ramp = ramp[::-1]
    alpha = np.broadcast_to(ramp, (h, w)).copy()
    box_x = int(w * 0.53) if rtl else int(w * 0.05)
    return _shade(picture, alpha), TitleBox(
        box_x, int(h * 0.12), int(w * 0.42), int(h * 0.76), "start", ACCENT
    )


def centred(picture: Image.Image, rtl: bool) -> tuple[Image.Image, TitleBox]:
    """A vignette with the title large in the middle, heavily outlined."""
    w, h = picture.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    radius = np.sqrt(((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2)
    alpha = np.clip(0.25 + 0.35 * radius, 0.0, 0.75)
    box = TitleBox(
        int(w * 0.08), int(h * 0.2), int(w * 0.84), int(h * 0.6), "centre", outline_ratio=0.1, max_size=140
    )
    return _shade(picture, alpha), box


LAYOUTS: dict[str, Callable[[Image.Image, bool], tuple[Image.Image, TitleBox]]] = {
    "band": bottom_band,
    "side": side_block,
    "centre": centred,
}
FOCUS = {"band": 0.5, "side": 0.65, "centre": 0.5}
"""Where each layout crops a wide frame: the side block covers the left, so keep the right."""


def save_jpeg(picture: Image.Image, path: Path, max_bytes: int = MAX_BYTES) -> Path:
    """Save as a progressive JPEG, lowering quality until it is under `max_bytes`."""
    for quality in (90, 82, 74, 65, 55, 45):
        picture.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
        if path.stat().st_size < max_bytes:
            break
    return path


def make_thumbnails(
    frames: Sequence[Image.Image],
    title: str,
    language: str,
    out_dir: Path | str,
    engine: TitleEngine | None = None,
    count: int = 3,
) -> list[Path]:
    """`count` (1-3) 1280x720 JPEGs under 2 MB: distinct good key frames, each in a different title layout."""
    if not frames:
        raise NoFramesForThumbnails("no frames were given; render or pick at least one frame of the film")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rtl = is_rtl(language, title)
    layouts = list(LAYOUTS.items())[: max(1, min(count, len(LAYOUTS)))]
    chosen = pick_frames(frames, count=len(layouts))
    paths: list[Path] = []
    for n, (name, layout) in enumerate(layouts):
        focus = 1.0 - FOCUS[name] if rtl else FOCUS[name]
        zoom = 1.0 if chosen.count(chosen[n]) == 1 else 1.0 + 0.15 * n  # the same frame, reframed
        background, box = layout(cover(frames[chosen[n]], SIZE, focus, zoom), rtl)
        picture = draw_title(background, title, language, box, engine)
        paths.append(save_jpeg(picture, out / f"thumbnail-{n + 1}-{name}.jpg"))
    return paths
