"""Houses, shop fronts and city blocks, each in the architecture of a culture."""

from __future__ import annotations

import numpy as np
import skia

from gpu_stages.scenes.palette import RGB, Palette, mix, rgb, shade
from gpu_stages.scenes.pen import Colour, Pen, arch_path

WINDOW_LIGHT = "#ffd27a"


def window(
    pen: Pen,
    x: float,
    y: float,
    w: float,
    h: float,
    lit: bool,
    frame: Colour,
    arch: str = "",
    panes: bool = True,
) -> None:
    """A window glowing warm when lit, otherwise reflecting the sky."""
    light = pen.light
    glass: Colour = WINDOW_LIGHT if lit else mix(rgb(light.sky_mid), rgb("#1b2435"), 0.45)
    path = arch_path(x, y, w, h, pointed=arch == "pointed") if arch else None
    if path is not None:
        pen.path(path, glass, glow=lit)
    else:
        pen.rect(x, y, w, h, glass, glow=lit)
    if lit:
        pen.glow(x + w / 2, y + h / 2, max(w, h) * 1.1, WINDOW_LIGHT, 0.25)
    if panes:
        pen.line(x + w / 2, y + (w / 2 if arch else 0), x + w / 2, y + h, max(1.0, w * 0.07), frame)
        pen.line(x, y + h * 0.55, x + w, y + h * 0.55, max(1.0, w * 0.07), frame)


def window_row(
    pen: Pen,
    rng: np.random.Generator,
    x: float,
    y: float,
    w: float,
    h: float,
    cols: int,
    rows: int,
    frame: Colour,
    arch: str = "",
) -> None:
    """A grid of windows on a facade, some lit according to the time of day."""
    cw, rh = w / cols, h / rows
    for r in range(rows):
        for c in range(cols):
            lit = bool(rng.random() < pen.light.windows_lit)
            window(pen, x + c * cw + cw * 0.22, y + r * rh + rh * 0.2, cw * 0.56, rh * 0.6, lit, frame, arch)


def eave_roof(x: float, y: float, w: float, h: float, flare: float = 0.18) -> skia.Path:
    """An East Asian roof: concave slopes ending in upturned eaves; (x, y) is the eave line's left end."""
    p = skia.Path()
    over = w * flare
    p.moveTo(x - over, y - h * 0.35)
    p.quadTo(x + w * 0.12, y, x + w * 0.2, y - h * 0.05)
    p.lineTo(x + w * 0.8, y - h * 0.05)
    p.quadTo(x + w * 0.88, y, x + w + over, y - h * 0.35)
    p.quadTo(x + w * 0.72, y - h * 0.45, x + w * 0.62, y - h)
    p.lineTo(x + w * 0.38, y - h)
    p.quadTo(x + w * 0.28, y - h * 0.45, x - over, y - h * 0.35)
    p.close()
    return p


def house(
    pen: Pen,
    pal: Palette,
    rng: np.random.Generator,
    x: float,
    ground: float,
    w: float,
    h: float,
    wall: Colour | None = None,
    huts: bool = True,
) -> None:
    """A dwelling in the culture's style on `ground`, left edge at x; `huts` allows round huts."""
    wall_c: RGB = rgb(wall) if isinstance(wall, str) else (wall or rgb(pal.wall))
    dark = shade(wall_c, 0.72)
    pen.shadow(x + w / 2, ground, w * 1.05, h * 0.6)
    culture = pal.culture
    if culture == "african" and huts and rng.random() < 0.6:
        # round mud hut with a conical thatched roof
        pen.rect(x + w * 0.1, ground - h * 0.55, w * 0.8, h * 0.55, wall_c, r=w * 0.05)
        pen.poly(
            [
                (x - w * 0.05, ground - h * 0.5),
                (x + w / 2, ground - h * 1.25),
                (x + w * 1.05, ground - h * 0.5),
            ],
            pal.roof,
        )
        for k in range(1, 5):
            yy = ground - h * (0.5 + 0.15 * k)
            half = w * 0.55 * (1 - 0.2 * k)
            pen.line(
                x + w / 2 - half, yy, x + w / 2 + half, yy, max(1.0, w * 0.015), shade(rgb(pal.roof), 0.8)
            )
        pen.rect(x + w * 0.4, ground - h * 0.35, w * 0.2, h * 0.35, shade(wall_c, 0.4), r=w * 0.04)
        pen.rect(x + w * 0.1, ground - h * 0.2, w * 0.8, h * 0.05, pal.primary)
        return
    pen.rect(x, ground - h, w, h, wall_c)
    pen.rect(x + w * 0.8, ground - h, w * 0.2, h, dark, alpha=0.35)  # the side in shade
    door_w = w * 0.2
    if culture == "western":
        pen.poly(
            [(x - w * 0.06, ground - h), (x + w / 2, ground - h - w * 0.38), (x + w * 1.06, ground - h)],
            pal.roof,
        )
        pen.rect(x + w * 0.68, ground - h - w * 0.34, w * 0.1, w * 0.2, shade(rgb(pal.primary), 0.9))
        pen.rect(x + w * 0.4, ground - h * 0.45, door_w, h * 0.45, pal.secondary)
        window_row(pen, rng, x + w * 0.05, ground - h * 0.9, w * 0.3, h * 0.4, 1, 1, "#f4f1ea")
        window_row(pen, rng, x + w * 0.65, ground - h * 0.9, w * 0.3, h * 0.4, 1, 1, "#f4f1ea")
    elif culture == "east_asian":
        pen.path(eave_roof(x, ground - h, w, w * 0.32), pal.roof)
        pen.rect(x, ground - h, w, h * 0.08, pal.primary)
        for post in (0.08, 0.92):
            pen.rect(x + w * post - w * 0.03, ground - h, w * 0.06, h, pal.primary)
        lit = bool(rng.random() < pen.light.windows_lit)
        pen.rect(
            x + w * 0.2, ground - h * 0.75, w * 0.6, h * 0.55, WINDOW_LIGHT if lit else "#f3ead8", glow=lit
        )
        for k in range(1, 4):
            pen.line(
                x + w * (0.2 + 0.15 * k),
                ground - h * 0.75,
                x + w * (0.2 + 0.15 * k),
                ground - h * 0.2,
                max(1.0, w * 0.012),
                pal.wood,
            )
    else:
        # flat roofs with a parapet: India, the Middle East and West African towns
        pen.rect(x - w * 0.03, ground - h - h * 0.08, w * 1.06, h * 0.1, shade(wall_c, 0.85))
        arch = "pointed" if culture == "middle_eastern" else "round"
        frame_c = pal.accent if culture == "indian" else pal.primary
        pen.path(
            arch_path(x + w * 0.4, ground - h * 0.5, door_w, h * 0.5, pointed=arch == "pointed"), frame_c
        )
        pen.path(
            arch_path(x + w * 0.43, ground - h * 0.45, door_w * 0.7, h * 0.45, pointed=arch == "pointed"),
            shade(wall_c, 0.35),
        )
        window_row(pen, rng, x + w * 0.02, ground - h * 0.9, w * 0.34, h * 0.45, 1, 1, frame_c, arch)
        window_row(pen, rng, x + w * 0.64, ground - h * 0.9, w * 0.34, h * 0.45, 1, 1, frame_c, arch)
        if culture == "indian":
            pen.rect(x, ground - h * 0.98, w, h * 0.05, pal.primary)  # painted band under the parapet
        if culture == "middle_eastern" and rng.random() < 0.4:  # a small dome on the roof
            dome = skia.Path()
            dome.addArc(
                skia.Rect.MakeXYWH(x + w * 0.3, ground - h - h * 0.08 - w * 0.2, w * 0.4, w * 0.4), 180, 180
            )
            dome.close()
            pen.path(dome, shade(wall_c, 0.95))
        if culture == "african":
            for k in range(5):
                pen.line(
                    x + w * (0.1 + 0.2 * k),
                    ground - h * 0.82,
                    x + w * (0.1 + 0.2 * k) + w * 0.06,
                    ground - h * 0.82,
                    max(1.0, w * 0.025),
                    pal.wood,
                )


def tower_block(
    pen: Pen,
    rng: np.random.Generator,
    x: float,
    ground: float,
    w: float,
    h: float,
    colour: Colour,
    frame: Colour,
) -> None:
    """A city building: a plain block with a grid of windows, lit at night."""
    c = rgb(colour) if isinstance(colour, str) else colour
    pen.rect(x, ground - h, w, h, c)
    pen.rect(x + w * 0.75, ground - h, w * 0.25, h, shade(c, 0.8))
    pen.rect(x - w * 0.02, ground - h - w * 0.04, w * 1.04, w * 0.05, shade(c, 0.7))
    cols = max(2, int(w / (h * 0.12 + 1) + 2))
    rows = max(3, int(h / (w / cols) * 0.8))
    for r in range(rows - 1):
        for k in range(cols):
            lit = rng.random() < pen.light.windows_lit
            cw = w / cols
            rh = h / rows
            wx, wy = x + k * cw + cw * 0.25, ground - h + r * rh + rh * 0.3
            pen.rect(wx, wy, cw * 0.5, rh * 0.5, WINDOW_LIGHT if lit else frame, glow=lit)


def awning(pen: Pen, x: float, y: float, w: float, h: float, a: Colour, b: Colour) -> None:
    """A striped shop awning with a scalloped edge."""
    stripes = 6
    sw = w / stripes
    for i in range(stripes):
        pen.poly(
            [
                (x + i * sw, y),
                (x + (i + 1) * sw, y),
                (x + (i + 1) * sw + sw * 0.15, y + h),
                (x + i * sw + sw * 0.15, y + h),
            ],
            a if i % 2 == 0 else b,
        )
        pen.circle(x + i * sw + sw * 0.65, y + h, sw * 0.5, a if i % 2 == 0 else b)


def bunting(
    pen: Pen,
    x0: float,
    x1: float,
    y: float,
    sag: float,
    colours: tuple[str, ...],
    size: float,
    marigold: bool = False,
) -> None:
    """A string of flags (or marigold garlands for Indian scenes) hung between two points."""
    n = max(4, int((x1 - x0) / (size * 1.3)))
    path = skia.Path()
    path.moveTo(x0, y)
    path.quadTo((x0 + x1) / 2, y + sag * 2, x1, y)
    pen.stroke(path, max(1.0, size * 0.06), "#3b2f2a")
    for i in range(n + 1):
        t = i / n
        px = x0 + (x1 - x0) * t
        py = y + sag * 4 * t * (1 - t)
        c = colours[i % len(colours)]
        if marigold:
            for k in range(4):
                pen.circle(px, py + k * size * 0.32, size * 0.2, "#f7a21b" if k % 2 else "#f26b0f")
        else:
            pen.poly([(px - size * 0.4, py), (px + size * 0.4, py), (px, py + size * 0.9)], c)
