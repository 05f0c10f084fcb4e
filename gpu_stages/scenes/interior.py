"""The shell of a room (wall, floor, windows onto the sky layer) and furniture shared by rooms."""

from __future__ import annotations

import math

import numpy as np
import skia

from gpu_stages.scenes.buildings import tower_block
from gpu_stages.scenes.nature import hills, round_tree
from gpu_stages.scenes.palette import RGB, mix, rgb, shade
from gpu_stages.scenes.pen import Colour, Pen, arch_path
from gpu_stages.scenes.sketch import Sketch
from gpu_stages.scenes.sky import draw_sky

Box = tuple[float, float, float, float]
"""x, y, width, height in pixels."""


def room(
    k: Sketch,
    wall: Colour,
    floor: Colour,
    windows: list[Box],
    arch: str = "",
    view: str = "garden",
    planks: bool = True,
) -> float:
    """Draw sky and view on the sky layer, the wall with window openings and the floor on `far`.

    Returns the y of the floor line (where the wall meets the floor).
    """
    f, pal = k.f, k.pal
    fl = f.horizon
    draw_sky(k.sky, f, k.rng, clouds=3, bottom=fl)
    if view == "city":
        for x in f.across(0.1, 0.05):
            tower_block(
                k.sky,
                k.rng,
                x,
                fl,
                f.u * float(k.rng.uniform(0.07, 0.11)),
                f.u * float(k.rng.uniform(0.25, 0.55)) * f.lift,
                mix(rgb(k.light.sky_mid), rgb("#59627a"), 0.6),
                "#3b4252",
            )
    elif view == "garden":
        hills(k.sky, f, k.rng, fl - f.u * 0.12, f.u * 0.1, shade(rgb(pal.foliage), 0.85))
        for x in f.across(0.15, 0.05):
            round_tree(k.sky, x, fl - f.u * 0.08, f.u * float(k.rng.uniform(0.15, 0.22)), pal.foliage)
    wall_c = rgb(wall) if isinstance(wall, str) else wall
    k.far.vgradient(0, 0, f.w, fl, [shade(wall_c, 0.88), wall_c])
    for x, y, w, h in windows:
        if arch:
            k.far.cut_path(arch_path(x, y, w, h, pointed=arch == "pointed"))
            k.far.canvas.save()
            frame = skia.Paint(
                AntiAlias=True,
                Color4f=skia.Color4f(*k.far.lit(pal.wood), 1.0),
                StrokeWidth=max(2.0, w * 0.05),
                Style=skia.Paint.kStroke_Style,
            )
            k.far.canvas.drawPath(arch_path(x, y, w, h, pointed=arch == "pointed"), frame)
            k.far.canvas.restore()
        else:
            k.far.cut_rect(x, y, w, h)
            k.far.rect(x - w * 0.04, y + h, w * 1.08, max(3.0, h * 0.05), shade(wall_c, 1.2))  # sill
            k.far.rect(x, y - max(2.0, w * 0.02), w, max(2.0, w * 0.03), pal.wood)
        k.far.line(x + w / 2, y + (w / 2 if arch else 0), x + w / 2, y + h, max(2.0, w * 0.035), "#f4f1ea")
        k.far.line(x, y + h * 0.5, x + w, y + h * 0.5, max(2.0, w * 0.035), "#f4f1ea")
    floor_c = rgb(floor) if isinstance(floor, str) else floor
    k.far.vgradient(0, fl, f.w, f.h - fl, [shade(floor_c, 0.85), floor_c])
    if planks:
        for i in range(1, 8):  # floor boards converge towards a vanishing point
            y = fl + (f.h - fl) * (i / 8) ** 1.5
            k.far.line(0, y, f.w, y, max(1.0, f.u * 0.002), shade(floor_c, 0.8), 0.6)
        for i in range(-8, 9):
            k.far.line(
                f.w / 2 + i * f.u * 0.05,
                fl,
                f.w / 2 + i * f.u * 0.3,
                f.h,
                max(1.0, f.u * 0.002),
                shade(floor_c, 0.8),
                0.5,
            )
    k.far.rect(0, fl - f.u * 0.02, f.w, f.u * 0.02, shade(wall_c, 0.7))  # skirting board
    return fl


def curtains(pen: Pen, x: float, y: float, w: float, h: float, colour: Colour) -> None:
    """Two drapes gathered at the sides of a window."""
    c = rgb(colour) if isinstance(colour, str) else colour
    pen.rect(x - w * 0.12, y - h * 0.06, w * 1.24, h * 0.04, "#5a4634", r=h * 0.02)
    for side in (-1, 1):
        cx = x if side < 0 else x + w
        drape = skia.Path()
        drape.moveTo(cx - side * w * 0.12, y - h * 0.04)
        drape.lineTo(cx + side * w * 0.1, y - h * 0.04)
        drape.quadTo(cx + side * w * 0.02, y + h * 0.6, cx + side * w * 0.12, y + h * 1.05)
        drape.lineTo(cx - side * w * 0.12, y + h * 1.05)
        drape.close()
        pen.path(drape, c)
        pen.line(cx - side * w * 0.02, y, cx, y + h, max(1.0, w * 0.015), shade(c, 0.8), 0.7)


def lamp_glow(k: Sketch, x: float, y: float, r: float) -> None:
    """Warm lamp light that matters when the day outside is dim."""
    strength = 0.15 + 0.45 * k.light.windows_lit
    k.mid.glow(x, y, r, "#ffd27a", strength)


def picture(pen: Pen, x: float, y: float, w: float, h: float, frame: Colour, art: tuple[str, str]) -> None:
    """A framed picture: a little landscape of two colours."""
    pen.rect(x, y, w, h, frame)
    pen.rect(x + w * 0.08, y + h * 0.08, w * 0.84, h * 0.84, art[0])
    pen.poly(
        [
            (x + w * 0.08, y + h * 0.92),
            (x + w * 0.4, y + h * 0.4),
            (x + w * 0.65, y + h * 0.75),
            (x + w * 0.75, y + h * 0.6),
            (x + w * 0.92, y + h * 0.92),
        ],
        art[1],
    )


def potted_plant(pen: Pen, x: float, foot: float, s: float, leaf: Colour, pot: Colour) -> None:
    leaf_c = rgb(leaf) if isinstance(leaf, str) else leaf
    for i, a in enumerate(range(-80, 81, 20)):
        r = math.radians(a - 90)
        length = s * (0.7 + 0.3 * math.cos(math.radians(a)))
        ex, ey = x + math.cos(r) * length * 0.6, foot - s * 0.4 + math.sin(r) * length
        blade = skia.Path()
        blade.moveTo(x - s * 0.03, foot - s * 0.4)
        blade.quadTo((x + ex) / 2 - s * 0.08, (foot - s * 0.4 + ey) / 2, ex, ey)
        blade.quadTo((x + ex) / 2 + s * 0.08, (foot - s * 0.4 + ey) / 2, x + s * 0.03, foot - s * 0.4)
        pen.path(blade, shade(leaf_c, 0.8 + 0.05 * (i % 3)))
    pen.poly(
        [
            (x - s * 0.22, foot - s * 0.42),
            (x + s * 0.22, foot - s * 0.42),
            (x + s * 0.16, foot),
            (x - s * 0.16, foot),
        ],
        pot,
    )
    pen.shadow(x, foot, s * 0.4, s * 0.3)


def desk(pen: Pen, x: float, top: float, w: float, h: float, wood: Colour) -> None:
    """A table or desk: top slab and legs, standing on the floor at top + h."""
    c: RGB = rgb(wood) if isinstance(wood, str) else wood
    pen.shadow(x + w / 2, top + h, w, h)
    pen.rect(x + w * 0.04, top, w * 0.05, h, shade(c, 0.75))
    pen.rect(x + w * 0.91, top, w * 0.05, h, shade(c, 0.75))
    pen.rect(x, top, w, h * 0.12, c)
    pen.rect(x, top + h * 0.12, w, h * 0.04, shade(c, 0.7))


def chair(pen: Pen, x: float, floor: float, s: float, colour: Colour, facing: int = 1) -> None:
    """A simple chair seen from the side (facing +1 right, -1 left)."""
    c = rgb(colour) if isinstance(colour, str) else colour
    seat = floor - s * 0.45
    pen.rect(x - s * 0.2, seat, s * 0.4, s * 0.06, c)
    back_x = x - facing * s * 0.2 - (s * 0.05 if facing > 0 else 0)
    pen.rect(back_x, seat - s * 0.45, s * 0.05, s * 0.45, c)
    pen.rect(x - s * 0.18, seat, s * 0.04, s * 0.45, shade(c, 0.7))
    pen.rect(x + s * 0.14, seat, s * 0.04, s * 0.45, shade(c, 0.7))


def scatter(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))
