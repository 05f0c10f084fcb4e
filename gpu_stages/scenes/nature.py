"""Land, water and plants drawn as flat silhouettes."""

from __future__ import annotations

import math

import numpy as np
import skia

from gpu_stages.scenes.frame import Frame
from gpu_stages.scenes.palette import RGB, mix, rgb, shade
from gpu_stages.scenes.pen import Colour, Pen


def ridge(
    f: Frame, rng: np.random.Generator, base: float, height: float, peaks: int, jagged: float = 0.0
) -> skia.Path:
    """A smooth (jagged=0) or rocky skyline closed to the bottom of the layer."""
    p = skia.Path()
    p.moveTo(-10, f.h)
    n = peaks * 2 + 1
    xs = np.linspace(-0.05 * f.w, 1.05 * f.w, n)
    ys = [
        base - height * (float(rng.uniform(0.55, 1.0)) if i % 2 else float(rng.uniform(0.0, 0.35)))
        for i in range(n)
    ]
    p.lineTo(float(xs[0]), ys[0])
    for i in range(1, n):
        if jagged > 0:
            # rocky: straight slopes with a notch halfway
            mx = float(xs[i - 1] + xs[i]) / 2 + float(rng.uniform(-0.1, 0.1)) * (xs[1] - xs[0])
            my = (ys[i - 1] + ys[i]) / 2 + height * jagged * float(rng.uniform(-0.15, 0.15))
            p.lineTo(mx, my)
            p.lineTo(float(xs[i]), ys[i])
        else:
            cx = float(xs[i - 1] + xs[i]) / 2
            p.cubicTo(cx, ys[i - 1], cx, ys[i], float(xs[i]), ys[i])
    p.lineTo(f.w + 10, f.h)
    p.close()
    return p


def mountains(
    pen: Pen,
    f: Frame,
    rng: np.random.Generator,
    base: float,
    height: float,
    colour: Colour,
    snow: bool = True,
    peaks: int = 4,
) -> None:
    """A rocky range with shaded flanks and snow caps on the tallest peaks."""
    n = peaks * 2 + 1
    xs = np.linspace(-0.08 * f.w, 1.08 * f.w, n)
    tops = [(float(xs[i]), base - height * float(rng.uniform(0.6, 1.0))) for i in range(1, n, 2)]
    col = rgb(colour) if isinstance(colour, str) else colour
    for x, y in tops:
        half = (base - y) * float(rng.uniform(1.0, 1.5))
        pen.poly([(x - half, base + 2), (x, y), (x + half, base + 2)], col)
        pen.poly([(x, y), (x + half, base + 2), (x + half * 0.15, base + 2)], shade(col, 0.8))
        if snow:
            s = (base - y) * 0.22
            k = s / (base - y) * half
            pen.poly(
                [
                    (x - k, y + s),
                    (x, y),
                    (x + k, y + s),
                    (x + k * 0.3, y + s * 0.75),
                    (x - k * 0.2, y + s * 1.1),
                ],
                "#f4f6fa",
            )
    pen.rect(-10, base, f.w + 20, f.h - base, col)


def hills(
    pen: Pen, f: Frame, rng: np.random.Generator, base: float, height: float, colour: Colour, peaks: int = 3
) -> None:
    pen.path(ridge(f, rng, base, height, peaks), colour)


def round_tree(
    pen: Pen, x: float, ground: float, size: float, leaf: Colour, trunk: Colour = "#6b4a2e"
) -> None:
    """A deciduous tree: trunk and three overlapping crown discs, lighter on the sun side."""
    leaf_rgb = rgb(leaf) if isinstance(leaf, str) else leaf
    pen.shadow(x, ground, size * 0.9, size)
    pen.rect(x - size * 0.05, ground - size * 0.7, size * 0.1, size * 0.7, trunk)
    pen.circle(x - size * 0.22, ground - size * 0.78, size * 0.3, shade(leaf_rgb, 0.85))
    pen.circle(x + size * 0.22, ground - size * 0.8, size * 0.28, shade(leaf_rgb, 0.85))
    pen.circle(x, ground - size * 1.02, size * 0.36, leaf_rgb)
    pen.circle(x - size * 0.1, ground - size * 1.1, size * 0.18, shade(leaf_rgb, 1.12), 0.8)


def pine(pen: Pen, x: float, ground: float, size: float, leaf: Colour) -> None:
    """A conifer of three stacked triangles."""
    leaf_rgb = rgb(leaf) if isinstance(leaf, str) else leaf
    pen.rect(x - size * 0.04, ground - size * 0.2, size * 0.08, size * 0.2, "#5a3d26")
    for i, (w, top) in enumerate([(0.42, 0.55), (0.34, 0.85), (0.25, 1.15)]):
        base_y = ground - size * (0.15 + i * 0.3)
        c = shade(leaf_rgb, 1.0 - 0.06 * (2 - i))
        pen.poly([(x - size * w, base_y), (x, ground - size * top - 0.1 * size), (x + size * w, base_y)], c)
        pen.poly([(x, ground - size * top - 0.1 * size), (x + size * w, base_y), (x, base_y)], shade(c, 0.85))


def palm(pen: Pen, x: float, ground: float, size: float, lean: float, leaf: Colour) -> None:
    """A coconut palm: curved segmented trunk and drooping fronds."""
    top_x, top_y = x + lean * size, ground - size
    trunk = skia.Path()
    trunk.moveTo(x - size * 0.035, ground)
    trunk.quadTo(x + lean * size * 0.2, ground - size * 0.55, top_x - size * 0.02, top_y)
    trunk.lineTo(top_x + size * 0.02, top_y)
    trunk.quadTo(x + lean * size * 0.2 + size * 0.06, ground - size * 0.55, x + size * 0.035, ground)
    trunk.close()
    pen.shadow(x, ground, size * 0.5, size)
    pen.path(trunk, "#8a6642")
    leaf_rgb = rgb(leaf) if isinstance(leaf, str) else leaf
    for ang in (-170, -140, -105, -75, -40, -10, 200):
        a = math.radians(ang)
        ex, ey = top_x + math.cos(a) * size * 0.45, top_y + math.sin(a) * size * 0.3 + size * 0.12
        fr = skia.Path()
        fr.moveTo(top_x, top_y)
        fr.quadTo((top_x + ex) / 2 + math.sin(a) * size * 0.06, (top_y + ey) / 2 - size * 0.1, ex, ey)
        fr.quadTo((top_x + ex) / 2, (top_y + ey) / 2 - size * 0.02, top_x, top_y + size * 0.02)
        fr.close()
        pen.path(fr, shade(leaf_rgb, 0.85 + 0.15 * math.sin(a) ** 2))
    pen.circle(top_x, top_y + size * 0.03, size * 0.04, "#5c4326")


def bush(
    pen: Pen,
    x: float,
    ground: float,
    size: float,
    leaf: Colour,
    flowers: Colour | None = None,
    rng: np.random.Generator | None = None,
) -> None:
    leaf_rgb = rgb(leaf) if isinstance(leaf, str) else leaf
    pen.circle(x - size * 0.35, ground - size * 0.25, size * 0.35, shade(leaf_rgb, 0.85))
    pen.circle(x + size * 0.35, ground - size * 0.22, size * 0.32, shade(leaf_rgb, 0.9))
    pen.circle(x, ground - size * 0.42, size * 0.42, leaf_rgb)
    pen.rect(x - size * 0.7, ground - size * 0.25, size * 1.4, size * 0.25, shade(leaf_rgb, 0.85))
    if flowers is not None and rng is not None:
        for _ in range(7):
            fx = x + float(rng.uniform(-0.6, 0.6)) * size
            fy = ground - float(rng.uniform(0.15, 0.75)) * size
            pen.circle(fx, fy, size * 0.07, flowers)


def grass_tufts(
    pen: Pen, f: Frame, rng: np.random.Generator, ground: float, colour: Colour, count: int
) -> None:
    """Blades of grass along the bottom edge of the near layer."""
    col = rgb(colour) if isinstance(colour, str) else colour
    for _ in range(count):
        x = float(rng.uniform(0, f.w))
        h = float(rng.uniform(0.03, 0.08)) * f.u
        y = ground + float(rng.uniform(0, 0.04)) * f.u
        for k in (-1, 0, 1):
            pen.poly(
                [
                    (x + k * h * 0.2 - h * 0.05, y),
                    (x + k * h * 0.45, y - h * (1 - 0.2 * abs(k))),
                    (x + k * h * 0.2 + h * 0.05, y),
                ],
                shade(col, 0.9 + 0.1 * k),
            )


def water(
    pen: Pen,
    f: Frame,
    rng: np.random.Generator,
    top: float,
    bottom: float,
    deep: Colour,
    shallow: Colour,
    sparkle: RGB | None = None,
) -> None:
    """Flat water with sky-tinted depth, wave dashes and the sun's (or moon's) glitter path."""
    pen.vgradient(0, top, f.w, bottom - top, [deep, shallow])
    light = pen.light
    glint: RGB = sparkle or rgb(light.sun)
    sx = f.x(light.sun_x)
    for _ in range(int(40 * f.w / 1000)):
        y = float(rng.uniform(top + 4, bottom))
        depth = (y - top) / max(1.0, bottom - top)
        w = (0.02 + 0.05 * depth) * f.u
        x = float(rng.uniform(0, f.w))
        pen.line(
            x,
            y,
            x + w,
            y,
            max(1.0, f.u * 0.003),
            mix(rgb(shallow) if isinstance(shallow, str) else shallow, (1, 1, 1), 0.35),
            0.7,
        )
    for i in range(14):
        y = top + (bottom - top) * (i + 0.5) / 14
        w = f.u * (0.03 + 0.012 * i) * float(rng.uniform(0.6, 1.2))
        pen.line(sx - w / 2, y, sx + w / 2, y, max(1.0, f.u * 0.004), glint, 0.75, glow=True)
