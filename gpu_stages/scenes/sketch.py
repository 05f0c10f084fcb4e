"""The four parallax layers a setting draws on, with the frame, palette and light they share."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gpu_stages.scenes.frame import Frame
from gpu_stages.scenes.palette import Light, Palette
from gpu_stages.scenes.pen import Pen
from schemas.media import TimeOfDay

LAYER_NAMES = ("sky", "far", "mid", "near")
"""Far to near. Characters stand in front of `mid`; `near` is mostly transparent foreground."""

OUTDOOR_HAZE = {"sky": 0.0, "far": 0.42, "mid": 0.12, "near": 0.0}
INDOOR_HAZE = {"sky": 0.0, "far": 0.0, "mid": 0.0, "near": 0.0}


@dataclass
class Sketch:
    """Everything a setting needs to draw itself."""

    f: Frame
    pal: Palette
    light: Light
    rng: np.random.Generator
    indoor: bool
    time: TimeOfDay
    pens: dict[str, Pen] = field(default_factory=dict)

    @classmethod
    def start(cls, f: Frame, pal: Palette, light: Light, seed: int, indoor: bool, time: TimeOfDay) -> Sketch:
        haze = INDOOR_HAZE if indoor else OUTDOOR_HAZE
        pens = {
            name: Pen(f.w, f.h, light, haze[name], light.sky_bottom, indoor=indoor and name != "sky")
            for name in LAYER_NAMES
        }
        pens["sky"].rect(-1, -1, f.w + 2, f.h + 2, light.sky_bottom, glow=True)  # the far layer has no holes
        return cls(f, pal, light, np.random.default_rng(seed), indoor, time, pens)

    @property
    def sky(self) -> Pen:
        return self.pens["sky"]

    @property
    def far(self) -> Pen:
        return self.pens["far"]

    @property
    def mid(self) -> Pen:
        return self.pens["mid"]

    @property
    def near(self) -> Pen:
        return self.pens["near"]
