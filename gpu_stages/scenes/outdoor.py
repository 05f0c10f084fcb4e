"""Outdoor settings: each draws sky, far scenery, the ground characters stand on and a foreground."""

from __future__ import annotations

import skia

from gpu_stages.scenes.buildings import awning, bunting, house, tower_block
from gpu_stages.scenes.landmarks import LANDMARK_HEIGHT, LANDMARKS, temple_bell
from gpu_stages.scenes.nature import bush, grass_tufts, hills, round_tree, water
from gpu_stages.scenes.palette import mix, rgb, shade
from gpu_stages.scenes.pen import Colour
from gpu_stages.scenes.sketch import Sketch
from gpu_stages.scenes.sky import draw_sky


def ground(k: Sketch, top: float, near: Colour, far: Colour | None = None) -> None:
    """The ground plane of the mid layer, darker towards the viewer."""
    k.mid.vgradient(
        -2,
        top,
        k.f.w + 4,
        k.f.h - top,
        [far or near, shade(rgb(near) if isinstance(near, str) else near, 0.82)],
    )


def temple(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=3)
    hills(k.far, f, rng, hz, f.u * 0.12, pal.foliage, peaks=3)
    for x in f.across(0.22, 0.1):
        round_tree(
            k.far,
            x + float(rng.uniform(-30, 30)),
            hz + f.u * 0.01,
            f.u * float(rng.uniform(0.1, 0.16)),
            shade(rgb(pal.foliage), 0.9),
        )
    ground(k, hz, pal.ground, mix(rgb(pal.ground), rgb(pal.stone), 0.5))
    for i in range(1, 7):  # courtyard flagstones converge to the building
        y = hz + (f.h - hz) * (i / 7) ** 1.6
        k.mid.line(0, y, f.w, y, max(1.0, f.u * 0.003), shade(rgb(pal.ground), 0.8), 0.6)
    cx = f.x(0.5 if f.portrait else 0.55)
    base = hz + f.u * 0.06
    # as large as the frame allows: the tallest part (spire, flag, finial) stays inside the top margin
    size = min(f.u * (0.52 if f.portrait else 0.44), (base - f.h * 0.09) / LANDMARK_HEIGHT[pal.culture])
    LANDMARKS[pal.culture](k.mid, pal, cx, base, size)
    side = f.x(0.12 if not f.portrait else 0.1)
    round_tree(k.mid, side, hz + f.u * 0.06, f.u * 0.3 * f.lift, pal.foliage)
    if not f.portrait:
        round_tree(k.mid, f.x(0.92), hz + f.u * 0.07, f.u * 0.26, pal.foliage)
    if pal.culture == "indian":
        # a lintel of hanging bells and marigold garlands across the top of the frame
        k.near.rect(-2, 0, f.w + 4, f.u * 0.035, pal.wood)
        bunting(k.near, 0, f.w, f.u * 0.035, f.u * 0.03, pal.cloth, f.u * 0.05, marigold=True)
        for x in (f.x(0.2), f.x(0.8)) if f.portrait else (f.x(0.1), f.x(0.3), f.x(0.75), f.x(0.92)):
            temple_bell(k.near, x, f.u * 0.03, f.u * 0.12)
        for x in f.across(0.18):  # oil lamps along the bottom edge
            y = f.h - f.u * 0.05
            k.near.ellipse(x, y, f.u * 0.025, f.u * 0.01, "#a0522d")
            k.near.glow(x, y - f.u * 0.02, f.u * 0.05, "#ffb347", 0.7)
            k.near.circle(x, y - f.u * 0.02, f.u * 0.007, "#fff2b0", glow=True)
    elif pal.culture == "east_asian":
        for x in (f.x(0.08), f.x(0.92)):
            k.near.line(x, 0, x, f.u * 0.12, max(1.0, f.u * 0.004), "#333333")
            k.near.ellipse(x, f.u * 0.17, f.u * 0.04, f.u * 0.055, pal.primary)
            k.near.glow(x, f.u * 0.17, f.u * 0.09, "#ff9a5a", 0.3 + 0.4 * k.light.windows_lit)
    else:
        bush(k.near, f.x(0.03), f.h, f.u * 0.16, pal.foliage, pal.cloth[0], rng)
        bush(k.near, f.x(0.97), f.h, f.u * 0.14, pal.foliage, pal.cloth[1], rng)


def riverbank(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon - f.u * 0.08
    draw_sky(k.sky, f, rng, clouds=4, bottom=hz)
    hills(k.far, f, rng, hz, f.u * 0.14, shade(rgb(pal.foliage), 0.8), peaks=2)
    for x in f.across(0.09, 0.05):
        round_tree(k.far, x, hz + f.u * 0.02, f.u * float(rng.uniform(0.07, 0.12)), pal.foliage)
    k.far.rect(-2, hz + f.u * 0.015, f.w + 4, f.u * 0.01, shade(rgb(pal.ground), 0.9))
    bank = hz + (f.h - hz) * 0.5
    water(
        k.mid,
        f,
        rng,
        hz + f.u * 0.02,
        bank + f.u * 0.04,
        mix(rgb(k.light.sky_mid), rgb("#1d5b6e"), 0.6),
        mix(rgb(k.light.sky_bottom), rgb("#3a8ca0"), 0.5),
    )
    boat = skia.Path()  # a small rowing boat on the water
    bx, by, bw = f.x(0.35), hz + (bank - hz) * 0.45, f.u * 0.16
    boat.moveTo(bx - bw / 2, by)
    boat.lineTo(bx + bw / 2, by)
    boat.quadTo(bx + bw * 0.4, by + bw * 0.18, bx + bw * 0.3, by + bw * 0.18)
    boat.lineTo(bx - bw * 0.3, by + bw * 0.18)
    boat.quadTo(bx - bw * 0.4, by + bw * 0.18, bx - bw / 2, by)
    k.mid.path(boat, pal.wood)
    bank_path = skia.Path()
    bank_path.moveTo(-2, f.h)
    bank_path.lineTo(-2, bank)
    bank_path.cubicTo(f.w * 0.3, bank - f.u * 0.03, f.w * 0.6, bank + f.u * 0.05, f.w + 2, bank)
    bank_path.lineTo(f.w + 2, f.h)
    bank_path.close()
    k.mid.path(bank_path, pal.foliage)
    if pal.culture == "indian":  # ghat steps down to the water
        for i in range(4):
            y = bank + i * f.u * 0.03
            k.mid.rect(
                f.x(0.55) - i * f.u * 0.03,
                y,
                f.x(0.4) + i * f.u * 0.06,
                f.u * 0.03,
                shade(rgb(pal.stone), 1.0 - 0.05 * i),
            )
    round_tree(k.mid, f.x(0.85), bank + f.u * 0.02, f.u * 0.3 * f.lift, pal.foliage)
    grass_tufts(k.near, f, rng, f.h - f.u * 0.06, shade(rgb(pal.foliage), 0.8), int(30 * f.w / f.u))
    for x in (f.x(0.04), f.x(0.1)):  # reeds with seed heads
        for j in range(5):
            rx = x + j * f.u * 0.012
            top = f.h - f.u * float(rng.uniform(0.2, 0.32))
            k.near.line(rx, f.h, rx + f.u * 0.01, top, max(1.0, f.u * 0.005), "#5f7d3a")
            k.near.ellipse(rx + f.u * 0.01, top, f.u * 0.007, f.u * 0.025, "#7a5230")


def city_street(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=2)
    grey = mix(rgb(k.light.sky_mid), rgb("#6c7488"), 0.5)
    for x in f.across(0.12, 0.05):
        tower_block(
            k.far,
            rng,
            x - f.u * 0.05,
            hz,
            f.u * float(rng.uniform(0.08, 0.13)),
            f.u * float(rng.uniform(0.3, 0.6)) * f.lift,
            shade(grey, float(rng.uniform(0.85, 1.1))),
            shade(grey, 0.7),
        )
    road = hz + (f.h - hz) * 0.45
    k.mid.rect(-2, hz, f.w + 4, road - hz, mix(rgb(pal.stone), rgb("#9a9a9a"), 0.5))  # pavement
    k.mid.rect(-2, road, f.w + 4, f.h - road, "#4b4f58")  # road
    for x in f.across(0.2):
        k.mid.rect(x - f.u * 0.05, road + (f.h - road) * 0.45, f.u * 0.1, f.u * 0.012, "#e8e2cc")
    k.mid.rect(-2, road - f.u * 0.012, f.w + 4, f.u * 0.012, shade(rgb(pal.stone), 0.7))
    x = -f.u * 0.05
    i = 0
    while x < f.w:
        w = f.u * float(rng.uniform(0.24, 0.32))
        h = f.u * float(rng.uniform(0.3, 0.42)) * f.lift
        house(
            k.mid,
            pal,
            rng,
            x,
            hz,
            w,
            h,
            mix(rgb(pal.cloth[i % len(pal.cloth)]), rgb(pal.wall), 0.65),
            huts=False,
        )
        x += w + f.u * 0.02
        i += 1
    for lx in f.across(0.45):
        lamp_post(k, lx + f.u * 0.1, road - f.u * 0.01, f.u * 0.34 * f.lift)
    lamp_post(k, f.x(0.95), f.h - f.u * 0.02, f.u * 0.75, near=True)


def lamp_post(k: Sketch, x: float, foot: float, h: float, near: bool = False) -> None:
    pen = k.near if near else k.mid
    pen.rect(x - h * 0.012, foot - h, h * 0.024, h, "#2e3138")
    pen.line(x, foot - h, x - h * 0.12, foot - h, max(1.0, h * 0.02), "#2e3138")
    on = k.light.windows_lit > 0.3
    pen.rect(x - h * 0.16, foot - h, h * 0.08, h * 0.04, "#ffe6a0" if on else "#c9ced6", glow=on)
    if on:
        pen.glow(x - h * 0.12, foot - h + h * 0.05, h * 0.35, "#ffd27a", 0.45)


def market(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=3)
    x = -f.u * 0.1
    while x < f.w:
        w = f.u * float(rng.uniform(0.22, 0.3))
        house(k.far, pal, rng, x, hz, w, f.u * float(rng.uniform(0.25, 0.4)) * f.lift)
        x += w
    ground(k, hz, pal.ground)
    stall_w = f.u * (0.34 if f.portrait else 0.3)
    n = max(2, int(f.w / (stall_w * 1.1)))
    gap = (f.w - n * stall_w) / (n + 1)
    top = hz - f.u * 0.2 * f.lift
    for i in range(n):
        sx = gap + i * (stall_w + gap)
        a, b = pal.cloth[i % len(pal.cloth)], pal.cloth[(i + 2) % len(pal.cloth)]
        k.mid.shadow(sx + stall_w / 2, hz + f.u * 0.12, stall_w, f.u * 0.2)
        for px in (sx + stall_w * 0.04, sx + stall_w * 0.92):
            k.mid.rect(px, top, stall_w * 0.04, hz + f.u * 0.12 - top, pal.wood)
        awning(k.mid, sx - stall_w * 0.04, top, stall_w * 1.08, f.u * 0.07, a, b if b != a else "#f4efe6")
        table_y = hz + f.u * 0.02
        k.mid.rect(sx, table_y, stall_w, f.u * 0.1, shade(rgb(pal.wood), 1.1))
        k.mid.rect(sx, table_y, stall_w, f.u * 0.02, shade(rgb(pal.wood), 1.3))
        fruit = ("#e8452c", "#f7b32b", "#6ab04c", "#8e44ad", "#f39c12")
        for j in range(3):  # heaps of produce
            hx = sx + stall_w * (0.2 + 0.3 * j)
            col = fruit[(i * 3 + j) % len(fruit)]
            for r in range(3):
                for c in range(3 - r):
                    k.mid.circle(
                        hx + (c - (2 - r) / 2) * f.u * 0.024,
                        table_y - f.u * (0.012 + 0.02 * r),
                        f.u * 0.013,
                        col,
                    )
    bunting(
        k.near,
        -f.u * 0.05,
        f.w + f.u * 0.05,
        f.u * 0.02,
        f.u * 0.05,
        pal.cloth,
        f.u * 0.045,
        marigold=pal.culture == "indian",
    )
    for bx in (f.x(0.06), f.x(0.94)):
        basket(k, bx, f.h - f.u * 0.02, f.u * 0.18)


def basket(k: Sketch, x: float, foot: float, w: float) -> None:
    """A woven basket heaped with fruit in the foreground."""
    pen = k.near
    pen.poly(
        [
            (x - w / 2, foot - w * 0.45),
            (x + w / 2, foot - w * 0.45),
            (x + w * 0.4, foot),
            (x - w * 0.4, foot),
        ],
        "#b07a3a",
    )
    for i in range(4):
        y = foot - w * 0.4 + i * w * 0.1
        pen.line(x - w * 0.45, y, x + w * 0.45, y, max(1.0, w * 0.015), "#8a5a2a")
    for j in range(5):
        pen.circle(x - w * 0.36 + j * w * 0.18, foot - w * 0.5, w * 0.1, "#f08a0c" if j % 2 else "#e8452c")
