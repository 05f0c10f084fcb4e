"""Where things go: layer size with pan margin, horizon and scale for wide and tall frames."""

from __future__ import annotations

import math
from dataclasses import dataclass

OVERSCAN = 1.08
"""Layers are this much larger than the frame on each axis so a camera can pan and push in."""


def layer_size(width: int, height: int) -> tuple[int, int]:
    """Pixel size of every backdrop layer for a frame of width x height (centred on the frame)."""
    return (math.ceil(width * OVERSCAN / 2) * 2, math.ceil(height * OVERSCAN / 2) * 2)


@dataclass(frozen=True)
class Frame:
    """Composition geometry on a layer: fractions of the layer become pixels."""

    w: int  # layer width in pixels
    h: int  # layer height in pixels

    @classmethod
    def for_output(cls, width: int, height: int) -> Frame:
        w, h = layer_size(width, height)
        return cls(w, h)

    @property
    def portrait(self) -> bool:
        return self.h > self.w * 1.1

    @property
    def u(self) -> float:
        """The size unit: the short side, so objects keep their proportions in any aspect."""
        return float(min(self.w, self.h))

    @property
    def horizon(self) -> float:
        """Tall frames put the horizon lower and stack scenery above it."""
        if self.portrait:
            return self.h * 0.66
        return self.h * (0.6 if self.w > self.h * 1.2 else 0.62)

    @property
    def lift(self) -> float:
        """Height multiplier for upright things (towers, trees) so tall frames fill their sky."""
        return 1.45 if self.portrait else 1.0

    def x(self, t: float) -> float:
        return self.w * t

    def y(self, t: float) -> float:
        return self.h * t

    def across(self, spacing: float, margin: float = 0.0) -> list[float]:
        """Evenly spaced x positions (pixels) covering the width, `spacing` in size units."""
        step = max(1.0, spacing * self.u)
        n = max(1, int((self.w + 2 * margin * self.u) / step) + 1)
        start = -margin * self.u + (self.w + 2 * margin * self.u - (n - 1) * step) / 2
        return [start + i * step for i in range(n)]
