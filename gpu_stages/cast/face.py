"""The face: head shape, ears, nose, eyes and eyebrows per expression, glasses, and the blink layer."""

from __future__ import annotations

import math
from dataclasses import dataclass

from gpu_stages.cast.canvas import Canvas, Point, arc, bezier
from gpu_stages.cast.colors import RGB, line_colour, mix, shade, tint
from gpu_stages.cast.figure import Figure

EXPRESSIONS = ("neutral", "happy", "sad", "angry", "surprised")
EXPRESSION_FOR_EMOTION = {
    "neutral": "neutral", "happy": "happy", "sad": "sad", "angry": "angry", "surprised": "surprised",
    "calm": "neutral", "excited": "happy",
}  # fmt: skip
"""Which body to show for a line's emotion (the schema has two emotions without their own body)."""

IRIS = (58, 36, 28)
SCLERA = (255, 255, 255)
BLUSH = (236, 96, 96, 60)


@dataclass(frozen=True)
class Expression:
    """How brows and eyelids sit: offsets in units (negative = up) and lid cuts as eye fractions."""

    brow_inner: float
    brow_outer: float
    brow_arch: float
    eye_scale: float
    lid_inner: float
    lid_outer: float
    smile_eyes: bool = False


SHAPES: dict[str, Expression] = {
    "neutral": Expression(0.0, 0.0, 0.45, 1.0, 0.12, 0.12),
    "happy": Expression(-0.55, -0.35, 0.8, 1.0, 0.0, 0.0, smile_eyes=True),
    "sad": Expression(-1.0, 0.55, 0.1, 1.0, 0.05, 0.45),
    "angry": Expression(0.75, -0.55, -0.05, 1.0, 0.5, 0.1),
    "surprised": Expression(-1.5, -1.3, 1.0, 1.2, 0.0, 0.0),
}


def head_outline(fig: Figure, scale: float = 1.0) -> list[Point]:
    """The head: round on top, tapering to a soft chin."""
    pts: list[Point] = []
    for i in range(72):
        a = 2 * math.pi * i / 72
        s = math.sin(a)  # > 0 is the lower half
        taper = 1 - 0.2 * max(0.0, s) ** 2.2
        pts.append(
            (
                fig.head_cx + fig.head_rx * scale * math.cos(a) * taper,
                fig.head_cy + fig.head_ry * scale * s * (0.97 if s > 0 else 1.0),
            )
        )
    return pts


def draw_head(c: Canvas, fig: Figure, skin: RGB, *, ears: bool = True) -> None:
    """Neck shadow, ears and the head itself."""
    if ears:
        for side in (-1, 1):
            ex = fig.head_cx + side * fig.head_rx * 0.96
            c.ellipse((ex, fig.eye_y + 1.0), 1.25, 1.9, shade(skin, 0.06))
            c.ellipse((ex + side * 0.1, fig.eye_y + 1.0), 0.6, 1.1, shade(skin, 0.16))
    c.polygon(head_outline(fig), skin)


def draw_neck(c: Canvas, fig: Figure, skin: RGB) -> None:
    x0, x1 = fig.head_cx - fig.neck_half, fig.head_cx + fig.neck_half
    c.rect((x0, fig.head_cy + fig.head_ry * 0.5), (x1, fig.shoulder_y + 2.0), skin)
    # Shadow under the chin reads as depth in flat illustration.
    c.polygon(arc((fig.head_cx, fig.chin_y - 0.6), fig.neck_half, 1.6, 0, 180), shade(skin, 0.14))


def draw_face_details(c: Canvas, fig: Figure, skin: RGB, *, senior: bool) -> None:
    """Nose, cheeks and (for seniors) a few soft wrinkles; expression-independent."""
    ink = line_colour(skin)
    cx = fig.head_cx
    c.line(
        bezier(
            (cx - 0.55, fig.nose_y - 0.1), (cx, fig.nose_y + 0.55), (cx + 0.55, fig.nose_y - 0.1), steps=8
        ),
        shade(skin, 0.28),
        0.32,
    )
    c.ellipse((cx - 0.25, fig.nose_y - 1.4), 0.35, 1.2, tint(skin, 0.12))
    for side in (-1, 1):
        c.ellipse((cx + side * fig.head_rx * 0.55, fig.nose_y + 0.3), 1.3, 0.8, BLUSH)
    if senior:
        for k in (0, 1):
            y = fig.brow_y - 1.6 - k * 0.7
            c.line(
                bezier((cx - 2.2, y + 0.2), (cx, y - 0.25), (cx + 2.2, y + 0.2), steps=8),
                mix(skin, ink, 0.35),
                0.18,
            )
        for side in (-1, 1):
            x = cx + side * fig.head_rx * 0.62
            c.line([(x, fig.eye_y + 0.9), (x + side * 0.25, fig.eye_y + 1.5)], mix(skin, ink, 0.35), 0.16)


def _eye_centre(fig: Figure, side: int) -> Point:
    return (fig.head_cx + side * fig.eye_dx, fig.eye_y)


def draw_eyes(c: Canvas, fig: Figure, skin: RGB, expression: str, *, lashes: bool) -> None:
    """Open eyes with lids shaped by the expression."""
    shape = SHAPES[expression]
    ink = line_colour(skin)
    rx, ry = fig.eye_rx * shape.eye_scale, fig.eye_ry * shape.eye_scale
    for side in (-1, 1):
        ex, ey = _eye_centre(fig, side)
        if shape.smile_eyes:
            # Smiling eyes: a thick upward arc, the classic flat-illustration "happy" eye.
            c.line(arc((ex, ey + ry * 0.45), rx * 1.05, ry * 0.95, 200, 340, steps=14), ink, 0.55)
            continue
        c.ellipse((ex, ey), rx, ry, SCLERA)
        iris_r = ry * (0.62 if expression == "surprised" else 0.78)
        c.circle((ex, ey + ry * 0.08), iris_r, IRIS)
        c.circle((ex, ey + ry * 0.08), iris_r * 0.45, (10, 8, 8))
        c.circle((ex - side * iris_r * 0.1 + iris_r * 0.3, ey - iris_r * 0.3), iris_r * 0.28, SCLERA)
        # Lids: skin drawn over the top of the eye along a slanted line, then the lid line.
        inner_x, outer_x = ex - side * rx * 1.15, ex + side * rx * 1.15
        inner_y = ey - ry + 2 * ry * shape.lid_inner
        outer_y = ey - ry + 2 * ry * shape.lid_outer
        c.polygon(
            [(inner_x, ey - ry * 1.6), (outer_x, ey - ry * 1.6), (outer_x, outer_y), (inner_x, inner_y)], skin
        )
        # Tidy the sides of the eye so the lid line does not float.
        ring = arc((ex, ey), rx, ry, 0, 360, steps=40)
        lid = [(inner_x, inner_y), (outer_x, outer_y)]
        c.line(_clip_lid(ring, lid, ey), ink, 0.45)
        if lashes:
            c.line(
                [(outer_x - side * rx * 0.25, outer_y + 0.05), (outer_x + side * 0.45, outer_y - 0.55)],
                ink,
                0.3,
            )
        c.line(arc((ex, ey), rx, ry, 20, 160, steps=12), mix(skin, ink, 0.35), 0.16)


def _clip_lid(ring: list[Point], lid: list[Point], ey: float) -> list[Point]:
    """The upper part of the eye outline lying below the lid line (that is the visible lid edge)."""
    (x0, y0), (x1, y1) = lid
    out: list[Point] = []
    for x, y in ring:
        if y > ey:
            continue
        t = (x - x0) / (x1 - x0) if x1 != x0 else 0.0
        lid_y = y0 + (y1 - y0) * t
        out.append((x, max(y, lid_y)))
    out.sort(key=lambda p: p[0])
    return out or list(lid)


def draw_brows(c: Canvas, fig: Figure, hair: RGB, expression: str) -> None:
    shape = SHAPES[expression]
    width = 0.62 if fig.gender == "male" else 0.45
    colour = shade(hair, 0.1)
    for side in (-1, 1):
        ex = fig.head_cx + side * fig.eye_dx
        inner = (ex - side * fig.eye_rx * 1.3, fig.brow_y + shape.brow_inner)
        outer = (ex + side * fig.eye_rx * 1.45, fig.brow_y + shape.brow_outer + 0.2)
        mid = ((inner[0] + outer[0]) / 2, (inner[1] + outer[1]) / 2 - shape.brow_arch)
        c.line(bezier(inner, mid, outer, steps=10), colour, width)


def draw_glasses(c: Canvas, fig: Figure) -> None:
    frame = (70, 60, 58)
    r = fig.eye_rx * 1.75
    for side in (-1, 1):
        ex, ey = _eye_centre(fig, side)
        c.ellipse((ex, ey), r, r * 0.9, (220, 235, 245, 55))
        c.line(arc((ex, ey), r, r * 0.9, 0, 360, steps=40), frame, 0.3)
        c.line([(ex + side * r, ey - 0.2), (fig.head_cx + side * fig.head_rx * 0.98, ey - 0.5)], frame, 0.3)
    c.line(
        bezier(
            (fig.head_cx - fig.eye_dx + r, fig.eye_y - 0.3),
            (fig.head_cx, fig.eye_y - 1.0),
            (fig.head_cx + fig.eye_dx - r, fig.eye_y - 0.3),
            steps=8,
        ),
        frame,
        0.3,
    )


def draw_blink(c: Canvas, fig: Figure, skin: RGB, *, lashes: bool, glasses: bool) -> None:
    """Closed eyes: skin patches big enough to hide any open eye, with a downward lid curve."""
    ink = line_colour(skin)
    rx, ry = fig.eye_rx * 1.3, fig.eye_ry * 1.28
    for side in (-1, 1):
        ex, ey = _eye_centre(fig, side)
        c.ellipse((ex, ey), rx, ry, skin)
        c.line(arc((ex, ey - ry * 0.1), fig.eye_rx * 1.05, fig.eye_ry * 0.7, 15, 165, steps=14), ink, 0.45)
        if lashes:
            c.line(
                [(ex + side * fig.eye_rx * 1.0, ey + 0.15), (ex + side * (fig.eye_rx + 0.5), ey + 0.45)],
                ink,
                0.28,
            )
    if glasses:
        draw_glasses(c, fig)
