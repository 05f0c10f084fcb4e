"""Render a setting at a time of day in a culture's palette as parallax layers, far to near."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from gpu_stages.scenes import outdoor, rooms, studios, wild
from gpu_stages.scenes.frame import Frame
from gpu_stages.scenes.palette import LIGHTS, PALETTES
from gpu_stages.scenes.sketch import LAYER_NAMES, Sketch
from schemas.media import Culture, TimeOfDay

Builder = Callable[[Sketch], None]

_BUILDERS: dict[str, tuple[Builder, bool]] = {
    "temple": (outdoor.temple, False),
    "riverbank": (outdoor.riverbank, False),
    "home": (rooms.home, True),
    "kitchen": (rooms.kitchen, True),
    "classroom": (rooms.classroom, True),
    "office": (rooms.office, True),
    "city_street": (outdoor.city_street, False),
    "market": (outdoor.market, False),
    "village": (wild.village, False),
    "forest": (wild.forest, False),
    "beach": (wild.beach, False),
    "desert": (wild.desert, False),
    "mountains": (wild.mountains_view, False),
    "podcast_studio": (studios.podcast_studio, True),
    "stage": (studios.stage, True),
    "garden": (wild.garden, False),
    "night_sky": (wild.night_sky, False),
}

SETTINGS: tuple[str, ...] = tuple(_BUILDERS)
"""Every setting a scene may name."""

NOISE_AMPLITUDE = 2
"""Grey-level jitter added to every layer so H.264 does not band smooth gradients."""


class UnknownSetting(ValueError):
    """A scene named a setting that has no procedural drawing."""

    def __init__(self, setting: str) -> None:
        super().__init__(f"unknown setting {setting!r}; choose one of: {', '.join(SETTINGS)}")
        self.setting = setting


def render_backdrop(
    setting: str,
    time_of_day: TimeOfDay,
    culture: Culture,
    width: int,
    height: int,
    seed: int = 0,
) -> list[Image.Image]:
    """Draw the setting as RGBA layers (sky, far, mid, near), each `layer_size(width, height)`."""
    if setting not in _BUILDERS:
        raise UnknownSetting(setting)
    if time_of_day not in LIGHTS:
        raise ValueError(f"unknown time of day {time_of_day!r}; choose one of: {', '.join(LIGHTS)}")
    if culture not in PALETTES:
        raise ValueError(f"unknown culture {culture!r}; choose one of: {', '.join(PALETTES)}")
    if width < 16 or height < 16:
        raise ValueError(f"backdrop size {width}x{height} is too small; use at least 16x16 pixels")
    build, is_indoor = _BUILDERS[setting]
    frame = Frame.for_output(width, height)
    # a night sky is night whatever the clock says; dawn and dusk only add a glow on the horizon
    light = LIGHTS["night"] if setting == "night_sky" else LIGHTS[time_of_day]
    sketch = Sketch.start(frame, PALETTES[culture], light, seed, is_indoor, time_of_day)
    build(sketch)
    noise = np.random.default_rng(seed + 7919).integers(
        -NOISE_AMPLITUDE, NOISE_AMPLITUDE + 1, size=(frame.h, frame.w + 64, 1), dtype=np.int16
    )
    layers = []
    for i, name in enumerate(LAYER_NAMES):
        px = sketch.pens[name].pixels()
        jitter = noise[:, i * 16 : i * 16 + frame.w]  # a shifted window: layers do not share a pattern
        rgb_part = np.clip(px[..., :3].astype(np.int16) + jitter, 0, 255).astype(np.uint8)
        layers.append(Image.fromarray(np.dstack([rgb_part, px[..., 3]]), "RGBA"))
    return layers


def flatten(layers: list[Image.Image]) -> Image.Image:
    """Composite layers far to near into one opaque RGB picture (for previews and thumbnails)."""
    out = Image.new("RGBA", layers[0].size, (0, 0, 0, 255))
    for layer in layers:
        out.alpha_composite(layer)
    return out.convert("RGB")
