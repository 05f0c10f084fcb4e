"""A supersampled RGBA canvas addressed in figure units (100 units = the sprite's height)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

from gpu_stages.cast.colors import RGB

Point = tuple[float, float]
Fill = RGB | tuple[int, int, int, int]

UNITS_TALL = 100.0


class Canvas:
    """Draws shapes given in units onto an image `supersample` times larger than the sprite."""

    def __init__(
        self,
        size: tuple[int, int],
        supersample: int,
        origin: Point = (0.0, 0.0),
        units_tall: float = UNITS_TALL,
    ) -> None:
        self.size = size
        self.supersample = supersample
        self.origin = origin
        self.scale = size[1] * supersample / units_tall
        self.image = Image.new("RGBA", (size[0] * supersample, size[1] * supersample), (0, 0, 0, 0))
        self._draw = ImageDraw.Draw(self.image)
        self._blend = ImageDraw.Draw(self.image, "RGBA")

    def copy(self) -> Canvas:
        """A new canvas holding a copy of this one's pixels (to draw variants on a shared base)."""
        twin = Canvas.__new__(Canvas)
        twin.size, twin.supersample, twin.origin, twin.scale = (
            self.size,
            self.supersample,
            self.origin,
            self.scale,
        )
        twin.image = self.image.copy()
        twin._draw = ImageDraw.Draw(twin.image)
        twin._blend = ImageDraw.Draw(twin.image, "RGBA")
        return twin

    def px(self, p: Point) -> tuple[float, float]:
        return ((p[0] - self.origin[0]) * self.scale, (p[1] - self.origin[1]) * self.scale)

    def width(self, units: float) -> int:
        return max(1, round(units * self.scale))

    def _pen(self, fill: Fill) -> ImageDraw.ImageDraw:
        return self._blend if len(fill) == 4 else self._draw

    def polygon(self, points: Sequence[Point], fill: Fill) -> None:
        self._pen(fill).polygon([self.px(p) for p in points], fill=fill)

    def ellipse(self, centre: Point, rx: float, ry: float, fill: Fill) -> None:
        x, y = self.px(centre)
        self._pen(fill).ellipse(
            (x - rx * self.scale, y - ry * self.scale, x + rx * self.scale, y + ry * self.scale), fill=fill
        )

    def circle(self, centre: Point, r: float, fill: Fill) -> None:
        self.ellipse(centre, r, r, fill)

    def line(self, points: Sequence[Point], fill: Fill, width: float, *, caps: bool = True) -> None:
        """A polyline with round joints and (unless `caps` is off) round ends."""
        w = self.width(width)
        pts = [self.px(p) for p in points]
        pen = self._pen(fill)
        pen.line(pts, fill=fill, width=w, joint="curve")
        r = w / 2
        for x, y in (pts[0], pts[-1]) if caps else ():
            pen.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def rect(self, top_left: Point, bottom_right: Point, fill: Fill, radius: float = 0.0) -> None:
        a, b = self.px(top_left), self.px(bottom_right)
        box = (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
        pen = self._pen(fill)
        if radius > 0:
            pen.rounded_rectangle(box, radius=radius * self.scale, fill=fill)
        else:
            pen.rectangle(box, fill=fill)

    def finish(self) -> Image.Image:
        """The sprite-sized image, downsampled with a high-quality filter (the anti-aliasing)."""
        return self.image.resize(self.size, Image.Resampling.LANCZOS)


def bezier(p0: Point, p1: Point, p2: Point, p3: Point | None = None, steps: int = 16) -> list[Point]:
    """Points along a quadratic (3 points) or cubic (4 points) Bezier curve."""
    out: list[Point] = []
    for i in range(steps + 1):
        t = i / steps
        if p3 is None:
            x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0]
            y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1]
        else:
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
            x = a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0]
            y = a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]
        out.append((x, y))
    return out


def arc(
    centre: Point, rx: float, ry: float, start_deg: float, end_deg: float, steps: int = 24
) -> list[Point]:
    """Points along an elliptical arc; angles in degrees, 0 = right, 90 = down."""
    out: list[Point] = []
    for i in range(steps + 1):
        a = math.radians(start_deg + (end_deg - start_deg) * i / steps)
        out.append((centre[0] + rx * math.cos(a), centre[1] + ry * math.sin(a)))
    return out


def mirror(points: Sequence[Point], axis_x: float) -> list[Point]:
    """The same points reflected about a vertical axis (for symmetric garments)."""
    return [(2 * axis_x - x, y) for x, y in points]
