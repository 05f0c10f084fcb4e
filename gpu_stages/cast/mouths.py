"""Mouth layers, one per viseme, drawn on a small canvas centred on the mouth anchor."""

from __future__ import annotations

from gpu_stages.cast.canvas import Canvas, Point, bezier
from gpu_stages.cast.colors import RGB, line_colour, mix, shade

VISEMES = ("rest", "closed", "open", "wide", "round", "narrow", "teeth")

INSIDE = (74, 22, 30)
TONGUE = (214, 98, 108)
TEETH = (252, 252, 250)


def lip_colour(skin: RGB, female: bool) -> RGB:
    return shade(mix(skin, (196, 72, 84), 0.42 if female else 0.22), 0.12)


def _opening(half_w: float, top: float, bottom: float, cy: float = 0.0) -> list[Point]:
    """A mouth opening: an upper and a lower curve meeting at the corners (units, centre at 0)."""
    upper = bezier((-half_w, cy), (0.0, cy + top * 2.0), (half_w, cy), steps=16)
    lower = bezier((half_w, cy), (0.0, cy + bottom * 2.0), (-half_w, cy), steps=16)
    return upper + lower[1:]


def draw_mouth(c: Canvas, centre: Point, viseme: str, skin: RGB, width: float, *, female: bool) -> None:
    """Draw one viseme with its centre at `centre`; `width` is the resting mouth width in units."""
    ink = line_colour(skin)
    lip = lip_colour(skin, female)
    hw = width / 2
    x0, y0 = centre

    def at(points: list[Point]) -> list[Point]:
        return [(x0 + x, y0 + y) for x, y in points]

    def open_mouth(
        half_w: float, top: float, bottom: float, *, upper_teeth: float, lower_teeth: float, tongue: bool
    ) -> None:
        shape = _opening(half_w, top, bottom)
        upper, lower = shape[:17], shape[16:][::-1]  # both run left to right at the same x samples
        c.polygon(at(shape), INSIDE)
        if upper_teeth > 0:
            edge = [(x, min(y + upper_teeth, ly)) for (x, y), (_, ly) in zip(upper, lower, strict=True)]
            c.polygon(at(upper + edge[::-1]), TEETH)
        if lower_teeth > 0:
            edge = [(x, max(ly - lower_teeth, y)) for (x, y), (_, ly) in zip(upper, lower, strict=True)]
            c.polygon(at(lower + edge[::-1]), TEETH)
        if tongue:
            c.ellipse((x0, y0 + bottom * 0.85), half_w * 0.55, bottom * 0.32, TONGUE)
        c.line(at([*shape, shape[0]]), lip, 0.42)

    if viseme == "rest":
        c.line(at(bezier((-hw * 0.8, -0.1), (0.0, 0.6), (hw * 0.8, -0.1), steps=14)), ink, 0.42)
        c.line(
            at(bezier((-hw * 0.35, 0.75), (0.0, 0.95), (hw * 0.35, 0.75), steps=8)), mix(skin, lip, 0.5), 0.3
        )
    elif viseme == "closed":
        c.line(at([(-hw * 0.8, 0.1), (0.0, 0.22), (hw * 0.8, 0.1)]), ink, 0.45)
        c.line(at(bezier((-hw * 0.5, 0.55), (0.0, 0.95), (hw * 0.5, 0.55), steps=8)), lip, 0.45)
    elif viseme == "open":
        open_mouth(hw * 0.78, -0.75, 2.9, upper_teeth=0.55, lower_teeth=0.0, tongue=True)
    elif viseme == "wide":
        open_mouth(hw * 1.02, -0.45, 1.45, upper_teeth=0.5, lower_teeth=0.3, tongue=False)
    elif viseme == "round":
        c.ellipse((x0, y0 + 0.45), hw * 0.52, 1.25, lip)
        c.ellipse((x0, y0 + 0.45), hw * 0.3, 0.85, INSIDE)
    elif viseme == "narrow":
        open_mouth(hw * 0.7, -0.2, 0.75, upper_teeth=0.35, lower_teeth=0.0, tongue=False)
    elif viseme == "teeth":
        open_mouth(hw * 0.8, -0.4, 0.9, upper_teeth=0.75, lower_teeth=0.0, tongue=False)
        c.line(at(bezier((-hw * 0.7, 0.95), (0.0, 1.55), (hw * 0.7, 0.95), steps=10)), lip, 0.6)
    else:
        raise ValueError(f"unknown viseme {viseme!r}; expected one of {', '.join(VISEMES)}")
