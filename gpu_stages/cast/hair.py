"""Hair styles and head coverings, split into a back part (behind the body) and a front part."""

from __future__ import annotations

import math

from gpu_stages.cast.canvas import Canvas, Point, arc, bezier
from gpu_stages.cast.colors import RGB, shade, tint
from gpu_stages.cast.figure import Figure

HAIR_STYLES = ("short", "long", "bun", "braid", "bald", "curly")
HEADWEAR = ("hijab", "turban", "ghutra")


def _cap(fig: Figure, fringe: str, side_drop: float) -> list[Point]:
    """Hair over the top of the head with a hairline; `fringe` is 'swept', 'part' or 'high'."""
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    outer = arc((cx, cy + 0.02 * ry), rx * 1.07, ry * 1.06, 180, 360, steps=36)
    right_side = (cx + rx * 1.07, cy + side_drop * ry)
    left_side = (cx - rx * 1.07, cy + side_drop * ry)
    temple_r = (cx + rx * 0.9, cy - 0.05 * ry)
    temple_l = (cx - rx * 0.9, cy - 0.05 * ry)
    if fringe == "swept":
        line = bezier(
            temple_r,
            (cx + rx * 0.55, cy - 0.75 * ry),
            (cx - rx * 0.1, cy - 0.6 * ry),
            (cx - rx * 0.65, cy - 0.2 * ry),
            steps=18,
        )
        line += bezier(line[-1], (cx - rx * 0.85, cy - 0.15 * ry), temple_l, steps=6)
    elif fringe == "part":
        line = bezier(temple_r, (cx + rx * 0.6, cy - 0.68 * ry), (cx + 0.05, cy - 0.62 * ry), steps=12)
        line += bezier((cx - 0.05, cy - 0.62 * ry), (cx - rx * 0.6, cy - 0.68 * ry), temple_l, steps=12)
    else:
        line = bezier(temple_r, (cx, cy - 1.05 * ry), temple_l, steps=20)
    return [*outer, right_side, *line, left_side]


def draw_hair_back(c: Canvas, fig: Figure, style: str, hair: RGB) -> None:
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    dark = shade(hair, 0.18)
    if style == "long":
        bottom = fig.chest_y + (2.0 if fig.age != "child" else 0.0)
        c.polygon(
            [
                *arc((cx, cy), rx * 1.12, ry * 1.08, 180, 360, steps=30),
                (cx + rx * 1.25, bottom - 2),
                *bezier(
                    (cx + rx * 1.25, bottom - 2), (cx, bottom + 2), (cx - rx * 1.25, bottom - 2), steps=12
                ),
            ],
            dark,
        )
    elif style == "bun":
        c.circle((cx, cy - ry * 1.02), rx * 0.42, hair)
        c.ellipse((cx, cy - ry * 0.86), rx * 0.3, 0.35, shade(hair, 0.3))
    elif style == "curly":
        _curls(c, fig, hair, back=True)


def draw_hair_front(c: Canvas, fig: Figure, style: str, hair: RGB, *, female: bool) -> None:
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    shine = tint(hair, 0.18)
    if style == "short":
        if female:  # a bob that frames the face down to the jaw
            c.polygon(_cap(fig, "swept", 0.55), hair)
            for side in (-1, 1):
                c.polygon(
                    [
                        (cx + side * rx * 1.07, cy),
                        (cx + side * rx * 1.12, cy + ry * 0.55),
                        (cx + side * rx * 0.86, cy + ry * 0.58),
                        (cx + side * rx * 0.88, cy),
                    ],
                    hair,
                )
        else:
            c.polygon(_cap(fig, "swept", 0.0), hair)
    elif style == "long":
        c.polygon(_cap(fig, "part", 0.2), hair)
        for side in (-1, 1):
            x_out, x_in = cx + side * rx * 1.12, cx + side * rx * 0.84
            c.polygon(
                [
                    (x_in, cy - 0.1 * ry),
                    (x_out, cy - 0.3 * ry),
                    *bezier(
                        (x_out, cy),
                        (x_out + side * 1.2, fig.shoulder_y),
                        (x_out + side * 0.6, fig.chest_y),
                        steps=10,
                    ),
                    (x_in + side * 0.8, fig.chest_y - 1.0),
                    *bezier(
                        (x_in + side * 0.6, fig.chest_y - 1.5), (x_in, fig.shoulder_y), (x_in, cy), steps=8
                    ),
                ],
                hair,
            )
    elif style == "bun":
        c.polygon(_cap(fig, "high", 0.05), hair)
    elif style == "braid":
        c.polygon(_cap(fig, "part", 0.15), hair)
        x, y = cx + rx * 0.95, cy + ry * 0.4
        for i in range(7):
            bx = x + 1.2 + math.sin(i * 0.6) * 0.3
            c.ellipse((bx, y + i * 2.1), 1.45 - i * 0.05, 1.25, hair)
            c.line([(bx - 1.0, y + i * 2.1 + 0.4), (bx + 0.9, y + i * 2.1 - 0.3)], shade(hair, 0.3), 0.2)
        c.circle((x + 1.2, y + 7 * 2.1 - 0.4), 0.55, (200, 60, 80))
        c.polygon([(x + 0.6, y + 7 * 2.1), (x + 1.8, y + 7 * 2.1), (x + 1.2, y + 7 * 2.1 + 1.6)], hair)
    elif style == "bald":
        # A horseshoe of hair low around the sides; the crown keeps a little shine.
        for side in (-1, 1):
            c.polygon(
                [*arc((cx + side * rx * 0.9, cy + ry * 0.05), rx * 0.2, ry * 0.28, 90, 270, steps=10)]
                if side < 0
                else arc((cx + side * rx * 0.9, cy + ry * 0.05), rx * 0.2, ry * 0.28, -90, 90, steps=10),
                hair,
            )
        return
    elif style == "curly":
        _curls(c, fig, hair, back=False)
        return
    # A highlight stroke gives the hair some volume.
    c.line(arc((cx, cy), rx * 0.75, ry * 0.8, 220, 250, steps=8), shine, 0.45)


def _curls(c: Canvas, fig: Figure, hair: RGB, *, back: bool) -> None:
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    r = rx * 0.34
    if back:
        low = 0.55 if fig.gender == "female" else 0.05
        for ring, grow in ((0, 1.22), (1, 1.05)):
            steps = 15 - ring * 3
            for i in range(steps + 1):
                a = math.radians(170 + (370 - 170) * i / steps)
                c.circle(
                    (cx + rx * grow * math.cos(a), cy - 0.1 * ry + ry * grow * math.sin(a)),
                    r,
                    shade(hair, 0.1),
                )
        for side in (-1, 1):
            for k in range(3):
                c.circle((cx + side * rx * 1.05, cy + ry * low * k / 2), r * 0.95, shade(hair, 0.1))
        return
    c.polygon(_cap(fig, "high", 0.0), hair)
    for i in range(9):
        a = math.radians(200 + 140 * i / 8)
        c.circle((cx + rx * 0.86 * math.cos(a), cy - 0.12 * ry + ry * 0.78 * math.sin(a)), r * 0.85, hair)
        px, py = cx + rx * 0.86 * math.cos(a), cy - 0.12 * ry + ry * 0.78 * math.sin(a)
        c.line(arc((px, py), r * 0.55, r * 0.55, 200, 290, steps=6), tint(hair, 0.16), 0.22)


def draw_headwear_back(c: Canvas, fig: Figure, kind: str, colour: RGB) -> None:
    """Cloth that falls behind and over the shoulders (hijab, ghutra)."""
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    if kind == "hijab":
        drape_y = fig.chest_y + 1.5
        c.polygon(
            [
                *arc((cx, cy - 0.05 * ry), rx * 1.22, ry * 1.12, 180, 360, steps=30),
                (cx + rx * 1.25, cy + ry * 0.6),
                (cx + fig.shoulder_half * 0.95, fig.shoulder_y + 1.5),
                *bezier(
                    (cx + fig.shoulder_half * 0.95, drape_y - 3),
                    (cx, drape_y + 3),
                    (cx - fig.shoulder_half * 0.95, drape_y - 3),
                    steps=14,
                ),
                (cx - fig.shoulder_half * 0.95, fig.shoulder_y + 1.5),
                (cx - rx * 1.25, cy + ry * 0.6),
            ],
            colour,
        )
    elif kind == "ghutra":
        c.polygon(
            [
                *arc((cx, cy - 0.1 * ry), rx * 1.25, ry * 1.12, 180, 360, steps=30),
                (cx + rx * 1.35, cy + ry * 0.4),
                (cx + fig.shoulder_half * 1.02, fig.chest_y + 2.0),
                (cx + fig.shoulder_half * 0.55, fig.chest_y + 3.0),
                (cx + rx * 0.7, cy + ry * 0.9),
                (cx - rx * 0.7, cy + ry * 0.9),
                (cx - fig.shoulder_half * 0.55, fig.chest_y + 3.0),
                (cx - fig.shoulder_half * 1.02, fig.chest_y + 2.0),
                (cx - rx * 1.35, cy + ry * 0.4),
            ],
            colour,
        )


def draw_headwear_front(c: Canvas, fig: Figure, kind: str, colour: RGB) -> None:
    """Cloth over the head in front of the face outline (hijab frame, turban, ghutra with agal)."""
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    fold = shade(colour, 0.14)
    if kind == "hijab":
        # The frame around the face: everything outside a face oval, within the scarf's outline.
        frame = arc((cx, cy - 0.05 * ry), rx * 1.22, ry * 1.12, 180, 360, steps=30)
        c.polygon(
            [
                *frame,
                (cx + rx * 1.25, cy + ry * 0.75),
                (cx + rx * 0.55, fig.chin_y + 1.6),
                (cx - rx * 0.55, fig.chin_y + 1.6),
                (cx - rx * 1.25, cy + ry * 0.75),
            ],
            colour,
        )
        c.line(arc((cx, cy + 0.08 * ry), rx * 0.95, ry * 1.02, 200, 340, steps=20), fold, 0.35)
    elif kind == "turban":
        top = cy - ry * 0.42
        c.polygon(
            [
                *arc((cx, top), rx * 1.14, ry * 0.95, 180, 360, steps=32),
                (cx + rx * 1.1, top + 1.2),
                *bezier((cx + rx * 1.1, top + 1.2), (cx + rx * 0.3, top - 0.2), (cx, top + 0.6), steps=8),
                *bezier((cx, top + 0.6), (cx - rx * 0.3, top - 0.2), (cx - rx * 1.1, top + 1.2), steps=8),
            ],
            colour,
        )
        for k in range(3):
            off = k * 1.7
            c.line(
                bezier(
                    (cx - rx * 1.0, top - 0.5 - off),
                    (cx - rx * 0.2, top - 1.5 - off),
                    (cx + 0.1, top - 0.1 - off * 0.6),
                    steps=10,
                ),
                fold,
                0.3,
            )
            c.line(
                bezier(
                    (cx + rx * 1.0, top - 0.5 - off),
                    (cx + rx * 0.2, top - 1.5 - off),
                    (cx - 0.1, top - 0.1 - off * 0.6),
                    steps=10,
                ),
                fold,
                0.3,
            )
    elif kind == "ghutra":
        c.polygon(
            [
                *arc((cx, cy - 0.1 * ry), rx * 1.25, ry * 1.12, 180, 360, steps=30),
                (cx + rx * 1.3, cy + ry * 0.3),
                (cx + rx * 0.95, cy + ry * 0.2),
                *bezier(
                    (cx + rx * 0.95, cy - ry * 0.1),
                    (cx, cy - ry * 0.75),
                    (cx - rx * 0.95, cy - ry * 0.1),
                    steps=16,
                ),
                (cx - rx * 0.95, cy + ry * 0.2),
                (cx - rx * 1.3, cy + ry * 0.3),
            ],
            colour,
        )
        agal = (30, 30, 34)
        for k in (0, 1):
            c.line(arc((cx, cy - ry * 0.72 - k * 0.9), rx * 1.02, ry * 0.28, 180, 360, steps=24), agal, 0.55)
        c.line(
            bezier(
                (cx - rx * 0.5, cy - ry * 1.0), (cx, cy - ry * 1.12), (cx + rx * 0.5, cy - ry * 1.0), steps=8
            ),
            fold,
            0.25,
        )


def hijab_face(fig: Figure) -> list[Point]:
    """The face opening a hijab leaves; drawn in skin over the scarf."""
    return arc(
        (fig.head_cx, fig.head_cy + 0.08 * fig.head_ry),
        fig.head_rx * 0.86,
        fig.head_ry * 0.93,
        0,
        360,
        steps=48,
    )
