"""The farthest layer outdoors: graded sky, sun or moon and stars, flat clouds."""

from __future__ import annotations

import numpy as np
import skia

from gpu_stages.scenes.frame import Frame
from gpu_stages.scenes.palette import rgb, shade
from gpu_stages.scenes.pen import Pen


def draw_sky(
    pen: Pen, f: Frame, rng: np.random.Generator, clouds: int = 4, bottom: float | None = None
) -> None:
    """Fill the layer with the sky of the pen's light, down to `bottom` (default the horizon)."""
    light = pen.light
    low = f.horizon if bottom is None else bottom
    pen.vgradient(0, 0, f.w, low * 0.55, [light.sky_top, light.sky_mid], lit=False)
    pen.vgradient(0, low * 0.55 - 1, f.w, low * 0.45 + 2, [light.sky_mid, light.sky_bottom], lit=False)
    pen.rect(0, low, f.w, f.h - low, light.sky_bottom, glow=True)
    sx, sy = f.x(light.sun_x), low * light.sun_y
    if light.stars:
        draw_stars(pen, f, rng, low * 0.85, 180)
        draw_moon(pen, sx, sy, f.u * 0.045)
    else:
        pen.glow(sx, sy, f.u * 0.5, light.sun, 0.35)
        pen.glow(sx, sy, f.u * 0.14, light.sun, 0.6)
        pen.circle(sx, sy, f.u * 0.05, light.sun, glow=True)
    draw_clouds(pen, f, rng, clouds, low)


def draw_stars(pen: Pen, f: Frame, rng: np.random.Generator, bottom: float, count: int) -> None:
    """Pin-prick stars, a few bright ones, thinning towards the horizon."""
    n = int(count * f.w * f.h / (2000 * 1100)) + 40
    xs = rng.uniform(0, f.w, n)
    ys = bottom * rng.power(0.7, n)  # denser near the top of the sky
    sizes = rng.choice([0.6, 0.9, 1.3, 2.0], size=n, p=[0.45, 0.3, 0.18, 0.07]) * f.u / 700
    alphas = rng.uniform(0.5, 1.0, n)
    for x, y, s, a in zip(xs, ys, sizes, alphas, strict=True):
        pen.circle(float(x), float(y), float(s), "#fffbea", float(a), glow=True)
        if s > 2.5 * f.u / 700 * 0.7:
            pen.glow(float(x), float(y), float(s) * 5, "#dfe8ff", 0.3)


def draw_moon(pen: Pen, x: float, y: float, r: float) -> None:
    """A crescent moon with a halo (the crescent is cut by a sky-coloured disc)."""
    pen.glow(x, y, r * 7, "#c9d6ff", 0.22)
    disc, bite = skia.Path(), skia.Path()
    disc.addCircle(x, y, r)
    bite.addCircle(x + r * 0.45, y - r * 0.2, r * 0.86)
    crescent = skia.Op(disc, bite, skia.PathOp.kDifference_PathOp)
    pen.circle(x, y, r, "#9aa6c8", alpha=0.12, glow=True)  # the dark side faintly visible (earthshine)
    pen.path(crescent if crescent is not None else disc, "#f4f1dc", glow=True)


def cloud_path(x: float, y: float, w: float) -> skia.Path:
    """A flat illustrated cloud: a row of puffs on a flat base."""
    p = skia.Path()
    h = w * 0.16
    p.addRoundRect(skia.Rect.MakeXYWH(x, y - h, w, h), h / 2, h / 2)
    p.addCircle(x + w * 0.3, y - h, w * 0.16)
    p.addCircle(x + w * 0.55, y - h * 1.2, w * 0.2)
    p.addCircle(x + w * 0.76, y - h * 0.9, w * 0.13)
    return p


def draw_clouds(pen: Pen, f: Frame, rng: np.random.Generator, count: int, low: float) -> None:
    """Flat clouds lit from below at dawn and dusk, dim at night."""
    light = pen.light
    base = {"dawn": "#ffd6c4", "day": "#ffffff", "dusk": "#ffb8a0", "night": "#3a4775"}[light.time]
    under = {"dawn": "#c98aa0", "day": "#dbe9f5", "dusk": "#b8557a", "night": "#27325c"}[light.time]
    alpha = 0.55 if light.time == "night" else 0.9
    if f.portrait:
        count += 2
    for _ in range(count):
        w = float(rng.uniform(0.25, 0.5)) * f.u
        x = float(rng.uniform(-0.1, 1.0)) * f.w - w / 2
        y = float(rng.uniform(0.15, 0.62)) * low
        pen.path(cloud_path(x, y + w * 0.02, w), shade(rgb(under), 1.0), alpha, glow=True)
        pen.path(cloud_path(x, y, w), base, alpha, glow=True)
