"""Outdoor settings of open country: village, forest, beach, desert, mountains, garden, night sky."""

from __future__ import annotations

import math

import skia

from gpu_stages.scenes.buildings import house
from gpu_stages.scenes.nature import bush, grass_tufts, hills, mountains, palm, pine, ridge, round_tree, water
from gpu_stages.scenes.palette import mix, rgb, shade
from gpu_stages.scenes.sketch import Sketch
from gpu_stages.scenes.sky import draw_moon, draw_sky, draw_stars


def village(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=4)
    hills(k.far, f, rng, hz, f.u * 0.16, shade(rgb(pal.foliage), 0.9), peaks=3)
    for i in range(4):  # strip fields on the far slope
        y = hz - f.u * 0.02 + i * f.u * 0.015
        k.far.rect(-2, y, f.w + 4, f.u * 0.012, mix(rgb(pal.foliage), rgb("#d8c15a"), 0.3 + 0.15 * (i % 2)))
    k.mid.vgradient(
        -2, hz, f.w + 4, f.h - hz, [mix(rgb(pal.foliage), rgb(pal.ground), 0.3), shade(rgb(pal.foliage), 0.8)]
    )
    path = skia.Path()  # a dirt path winding towards the viewer
    path.moveTo(f.x(0.48), hz)
    path.cubicTo(f.x(0.4), hz + f.u * 0.1, f.x(0.7), f.h * 0.85, f.x(0.45), f.h + 2)
    path.lineTo(f.x(0.75), f.h + 2)
    path.cubicTo(f.x(0.85), f.h * 0.85, f.x(0.5), hz + f.u * 0.1, f.x(0.52), hz)
    path.close()
    k.mid.path(path, pal.ground)
    spots = [0.08, 0.3, 0.62, 0.84] if not f.portrait else [0.05, 0.55]
    for i, sx in enumerate(spots):
        w = f.u * (0.24 if f.portrait else 0.2) * float(rng.uniform(0.9, 1.1))
        house(k.mid, pal, rng, f.x(sx), hz + f.u * 0.03 * (i % 2), w, w * 0.75)
    if f.portrait:  # stack a second row of houses further up the slope
        for sx in (0.3, 0.78):
            w = f.u * 0.13
            house(k.far, pal, rng, f.x(sx), hz, w, w * 0.75)
    round_tree(k.mid, f.x(0.52), hz + f.u * 0.02, f.u * 0.22, pal.foliage)
    for x in f.across(0.08, 0.02):  # fence in the foreground
        k.near.rect(x, f.h - f.u * 0.16, f.u * 0.018, f.u * 0.16, pal.wood)
    k.near.rect(-2, f.h - f.u * 0.13, f.w + 4, f.u * 0.014, pal.wood)
    k.near.rect(-2, f.h - f.u * 0.07, f.w + 4, f.u * 0.014, pal.wood)
    grass_tufts(k.near, f, rng, f.h - f.u * 0.03, shade(rgb(pal.foliage), 0.85), int(20 * f.w / f.u))


def forest(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon - f.u * 0.05
    draw_sky(k.sky, f, rng, clouds=2)
    leaf = rgb(pal.foliage)
    for row, (scale, tone) in enumerate(((0.28, 0.75), (0.36, 0.85))):
        for x in f.across(0.07 + row * 0.03, 0.1):
            s = f.u * scale * float(rng.uniform(0.8, 1.2)) * f.lift
            pine(
                k.far, x + float(rng.uniform(-0.03, 0.03)) * f.u, hz + row * f.u * 0.03, s, shade(leaf, tone)
            )
    k.mid.vgradient(
        -2,
        hz,
        f.w + 4,
        f.h - hz,
        [mix(leaf, rgb("#6b5a3a"), 0.5), shade(mix(leaf, rgb("#4a3a26"), 0.5), 0.8)],
    )
    for x in f.across(0.3, 0.05):
        tx = x + float(rng.uniform(-0.05, 0.05)) * f.u
        if rng.random() < 0.5:
            pine(k.mid, tx, hz + f.u * 0.08, f.u * 0.5 * f.lift, shade(leaf, 0.95))
        else:
            round_tree(k.mid, tx, hz + f.u * 0.08, f.u * 0.36 * f.lift, leaf)
        bush(k.mid, tx + f.u * 0.12, hz + f.u * 0.1, f.u * 0.06, shade(leaf, 1.1))
    # a big trunk and overhanging leaves frame the shot
    k.near.rect(-f.u * 0.02, 0, f.u * 0.1, f.h, "#4a3424")
    k.near.rect(f.u * 0.05, 0, f.u * 0.03, f.h, "#3a281b")
    for x in f.across(0.07, 0.1):
        k.near.circle(x, -f.u * 0.02, f.u * float(rng.uniform(0.07, 0.11)), shade(leaf, 0.7))
    for x in f.across(0.12):  # ferns
        for a in range(-60, 61, 30):
            r = math.radians(a - 90)
            k.near.line(
                x,
                f.h,
                x + math.cos(r) * f.u * 0.1,
                f.h + math.sin(r) * f.u * 0.1,
                f.u * 0.012,
                shade(leaf, 0.75),
            )


def beach(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon - f.u * 0.06
    draw_sky(k.sky, f, rng, clouds=4, bottom=hz)
    headland = skia.Path()  # a distant headland on one side of the bay
    headland.moveTo(f.x(0.62), hz)
    headland.cubicTo(f.x(0.72), hz - f.u * 0.07, f.x(0.85), hz - f.u * 0.09, f.w + 2, hz - f.u * 0.08)
    headland.lineTo(f.w + 2, hz)
    headland.close()
    k.far.path(headland, shade(rgb(pal.foliage), 0.8))
    shore = hz + (f.h - hz) * 0.38
    water(
        k.far,
        f,
        rng,
        hz,
        shore + f.u * 0.05,
        mix(rgb(k.light.sky_top), rgb("#0d5e8a"), 0.6),
        mix(rgb(k.light.sky_bottom), rgb("#3fb5c9"), 0.5),
    )
    sand = skia.Path()
    sand.moveTo(-2, shore)
    sand.cubicTo(f.w * 0.3, shore - f.u * 0.03, f.w * 0.7, shore + f.u * 0.04, f.w + 2, shore)
    sand.lineTo(f.w + 2, f.h)
    sand.lineTo(-2, f.h)
    sand.close()
    k.mid.path(sand, "#e9d3a0")
    foam = skia.Path()
    foam.moveTo(-2, shore)
    foam.cubicTo(f.w * 0.3, shore - f.u * 0.03, f.w * 0.7, shore + f.u * 0.04, f.w + 2, shore)
    k.mid.stroke(foam, f.u * 0.012, "#ffffff", 0.85)
    k.mid.vgradient(-2, shore + f.u * 0.02, f.w + 4, f.h - shore, ["#e9d3a0", "#d9bd84"])
    ux, uy = f.x(0.6 if not f.portrait else 0.7), shore + (f.h - shore) * 0.35
    k.mid.shadow(ux, uy, f.u * 0.2, f.u * 0.2)
    k.mid.line(ux, uy, ux, uy - f.u * 0.22, f.u * 0.008, "#7a6a58")
    umb = skia.Path()
    umb.moveTo(ux - f.u * 0.13, uy - f.u * 0.19)
    umb.quadTo(ux, uy - f.u * 0.32, ux + f.u * 0.13, uy - f.u * 0.19)
    umb.close()
    k.mid.path(umb, pal.cloth[0])
    k.mid.poly(
        [
            (ux - f.u * 0.04, uy - f.u * 0.245),
            (ux, uy - f.u * 0.255),
            (ux, uy - f.u * 0.19),
            (ux - f.u * 0.06, uy - f.u * 0.19),
        ],
        "#f4efe6",
    )
    palm(k.near, f.x(0.05), f.h + f.u * 0.02, f.u * 0.7 * f.lift, 0.25, pal.foliage)
    palm(k.near, f.x(0.97), f.h + f.u * 0.02, f.u * 0.55 * f.lift, -0.3, pal.foliage)
    for _ in range(5):
        sx, sy = float(rng.uniform(0.2, 0.8)) * f.w, f.h - float(rng.uniform(0.01, 0.06)) * f.u
        k.near.ellipse(sx, sy, f.u * 0.012, f.u * 0.008, "#f6e6d0")


def desert(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=1)
    mesa = skia.Path()  # flat-topped mesas far away
    mesa.moveTo(f.x(0.05), hz)
    mesa.lineTo(f.x(0.1), hz - f.u * 0.12)
    mesa.lineTo(f.x(0.28), hz - f.u * 0.12)
    mesa.lineTo(f.x(0.33), hz)
    mesa.moveTo(f.x(0.7), hz)
    mesa.lineTo(f.x(0.73), hz - f.u * 0.08)
    mesa.lineTo(f.x(0.83), hz - f.u * 0.08)
    mesa.lineTo(f.x(0.86), hz)
    k.far.path(mesa, "#b8674a")
    k.far.path(ridge(f, rng, hz + f.u * 0.02, f.u * 0.06, 3), "#e0b07a")
    k.mid.path(ridge(f, rng, hz + f.u * 0.12, f.u * 0.1, 2), "#e8c48e")
    k.mid.path(ridge(f, rng, hz + f.u * 0.25, f.u * 0.08, 2), "#dcb07a")
    dune_light = skia.Path()  # the sunlit crest of the near dune
    dune_light.moveTo(f.x(0.0), f.h)
    dune_light.cubicTo(f.x(0.3), hz + f.u * 0.1, f.x(0.5), hz + f.u * 0.15, f.x(0.75), f.h)
    dune_light.close()
    k.mid.path(dune_light, "#f0d3a2", 0.7)
    if pal.culture in ("middle_eastern", "african", "indian"):
        for j, cx in enumerate((0.3, 0.38, 0.46)):  # a camel caravan along the far dune
            camel(k, f.x(cx) + j * f.u * 0.01, hz + f.u * 0.06, f.u * 0.07)
    else:
        cactus(k, f.x(0.7), hz + f.u * 0.2, f.u * 0.2)
        cactus(k, f.x(0.22), hz + f.u * 0.1, f.u * 0.11)
    for x in (f.x(0.08), f.x(0.92)):
        k.near.poly(
            [
                (x - f.u * 0.12, f.h),
                (x - f.u * 0.06, f.h - f.u * 0.08),
                (x + f.u * 0.04, f.h - f.u * 0.1),
                (x + f.u * 0.12, f.h),
            ],
            "#8a6a4a",
        )
    grass_tufts(k.near, f, rng, f.h - f.u * 0.01, "#a08a4a", int(6 * f.w / f.u))


def camel(k: Sketch, x: float, foot: float, s: float) -> None:
    pen = k.mid
    col = "#6b4a2e"
    for lx in (-0.3, -0.15, 0.25, 0.4):
        pen.line(x + lx * s, foot - s * 0.5, x + lx * s, foot, s * 0.06, col)
    pen.ellipse(x, foot - s * 0.6, s * 0.45, s * 0.18, col)
    pen.circle(x - s * 0.05, foot - s * 0.75, s * 0.17, col)  # hump
    pen.line(x + s * 0.4, foot - s * 0.65, x + s * 0.6, foot - s * 1.0, s * 0.09, col)
    pen.ellipse(x + s * 0.66, foot - s * 1.0, s * 0.1, s * 0.06, col)


def cactus(k: Sketch, x: float, foot: float, s: float) -> None:
    pen = k.mid
    col = "#4f7b4a"
    pen.rect(x - s * 0.08, foot - s, s * 0.16, s, col, r=s * 0.08)
    pen.rect(x - s * 0.3, foot - s * 0.7, s * 0.12, s * 0.35, col, r=s * 0.06)
    pen.rect(x - s * 0.3, foot - s * 0.45, s * 0.3, s * 0.1, col, r=s * 0.05)
    pen.rect(x + s * 0.18, foot - s * 0.85, s * 0.12, s * 0.4, col, r=s * 0.06)
    pen.rect(x, foot - s * 0.55, s * 0.3, s * 0.1, col, r=s * 0.05)
    pen.shadow(x, foot, s * 0.4, s)


def mountains_view(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=3)
    mountains(k.far, f, rng, hz, f.u * 0.45 * f.lift, "#7d8aa6", snow=True, peaks=3)
    k.mid.path(ridge(f, rng, hz + f.u * 0.08, f.u * 0.18, 3, jagged=1.0), shade(rgb(pal.foliage), 0.75))
    for x in f.across(0.1, 0.05):
        pine(
            k.mid,
            x + float(rng.uniform(-0.04, 0.04)) * f.u,
            hz + f.u * float(rng.uniform(0.12, 0.2)),
            f.u * float(rng.uniform(0.12, 0.2)),
            shade(rgb(pal.foliage), 0.6),
        )
    k.mid.vgradient(-2, hz + f.u * 0.18, f.w + 4, f.h, [pal.foliage, shade(rgb(pal.foliage), 0.75)])
    for x in (f.x(0.1), f.x(0.88)):
        rock = skia.Path()
        rock.moveTo(x - f.u * 0.15, f.h)
        rock.lineTo(x - f.u * 0.1, f.h - f.u * 0.1)
        rock.lineTo(x + f.u * 0.02, f.h - f.u * 0.14)
        rock.lineTo(x + f.u * 0.14, f.h - f.u * 0.05)
        rock.lineTo(x + f.u * 0.16, f.h)
        rock.close()
        k.near.path(rock, "#6e6a66")
        k.near.poly(
            [
                (x + f.u * 0.02, f.h - f.u * 0.14),
                (x + f.u * 0.14, f.h - f.u * 0.05),
                (x + f.u * 0.16, f.h),
                (x + f.u * 0.03, f.h),
            ],
            "#55524f",
        )
    grass_tufts(k.near, f, rng, f.h - f.u * 0.01, shade(rgb(pal.foliage), 0.8), int(12 * f.w / f.u))


def garden(k: Sketch) -> None:
    f, pal, rng = k.f, k.pal, k.rng
    hz = f.horizon
    draw_sky(k.sky, f, rng, clouds=4)
    leaf = rgb(pal.foliage)
    for x in f.across(0.16, 0.1):
        round_tree(
            k.far, x, hz - f.u * 0.04, f.u * float(rng.uniform(0.18, 0.26)) * f.lift, shade(leaf, 0.85)
        )
    k.far.rect(-2, hz - f.u * 0.1, f.w + 4, f.u * 0.12, shade(leaf, 0.7), r=f.u * 0.03)  # clipped hedge
    k.mid.vgradient(-2, hz, f.w + 4, f.h - hz, [shade(leaf, 1.1), shade(leaf, 0.9)])
    walk = skia.Path()
    walk.moveTo(f.x(0.46), hz)
    walk.lineTo(f.x(0.54), hz)
    walk.lineTo(f.x(0.75), f.h + 2)
    walk.lineTo(f.x(0.25), f.h + 2)
    walk.close()
    k.mid.path(walk, mix(rgb(pal.stone), rgb("#e8dcc0"), 0.5))
    cx, cy = f.x(0.5), hz + (f.h - hz) * 0.3
    if pal.culture == "east_asian":  # a pond with an arched red bridge
        k.mid.ellipse(cx, cy, f.u * 0.3, f.u * 0.07, mix(rgb(k.light.sky_mid), rgb("#2c6e7a"), 0.6))
        arc = skia.Path()
        arc.moveTo(cx - f.u * 0.22, cy)
        arc.quadTo(cx, cy - f.u * 0.2, cx + f.u * 0.22, cy)
        k.mid.stroke(arc, f.u * 0.025, pal.primary)
        for t in (0.2, 0.4, 0.6, 0.8):
            px = cx - f.u * 0.22 + t * f.u * 0.44
            py = cy - f.u * 0.2 * 2 * t * (1 - t) * 2 * 0.5
            k.mid.line(px, py, px, py - f.u * 0.05, f.u * 0.008, pal.primary)
    else:  # a fountain: basin, column, bowl and jet
        k.mid.shadow(cx, cy, f.u * 0.3, f.u * 0.15)
        k.mid.ellipse(cx, cy, f.u * 0.16, f.u * 0.04, shade(rgb(pal.stone), 0.8))
        k.mid.rect(cx - f.u * 0.16, cy - f.u * 0.06, f.u * 0.32, f.u * 0.06, pal.stone)
        k.mid.ellipse(
            cx, cy - f.u * 0.06, f.u * 0.16, f.u * 0.035, mix(rgb(k.light.sky_mid), rgb("#3a8ca0"), 0.5)
        )
        k.mid.rect(cx - f.u * 0.015, cy - f.u * 0.2, f.u * 0.03, f.u * 0.14, pal.stone)
        k.mid.ellipse(
            cx, cy - f.u * 0.2, f.u * 0.07, f.u * 0.018, pal.accent if pal.culture != "western" else pal.stone
        )
        k.mid.line(cx, cy - f.u * 0.2, cx, cy - f.u * 0.3, f.u * 0.01, "#dff3ff", 0.8)
    flower_cols = ("#e84a5f", "#f7b32b", "#f4f1ea", "#9b59b6", pal.primary)
    for i, x in enumerate(f.across(0.2)):
        bush(k.mid, x, hz + f.u * 0.04, f.u * 0.08, leaf, flower_cols[i % len(flower_cols)], rng)
    bush(k.near, f.x(0.02), f.h, f.u * 0.22, shade(leaf, 0.9), flower_cols[0], rng)
    bush(k.near, f.x(0.98), f.h, f.u * 0.2, shade(leaf, 0.9), flower_cols[1], rng)
    for x in f.across(0.06, 0.05):  # a vine along the top edge
        k.near.circle(x, float(rng.uniform(-0.01, 0.03)) * f.u, f.u * 0.04, shade(leaf, 0.8))
        if rng.random() < 0.4:
            k.near.circle(x, f.u * 0.05, f.u * 0.012, flower_cols[int(rng.integers(0, 5))])


def night_sky(k: Sketch) -> None:
    """A starry sky over low hills: always night, but dawn and dusk keep a glow on the horizon."""
    f, rng = k.f, k.rng
    hz = f.horizon + f.u * 0.05
    k.sky.vgradient(0, 0, f.w, hz, ["#03051a", "#0d1640", "#24306a"], lit=False)
    k.sky.rect(0, hz, f.w, f.h - hz, "#24306a", glow=True)
    band = skia.Path()  # the Milky Way: a soft diagonal band
    band.moveTo(-f.w * 0.1, hz * 0.9)
    band.cubicTo(f.w * 0.3, hz * 0.5, f.w * 0.6, hz * 0.2, f.w * 1.1, -hz * 0.05)
    band_paint = skia.Paint(
        AntiAlias=True, Color4f=skia.Color4f(0.75, 0.78, 1.0, 0.22), StrokeWidth=f.u * 0.16
    )
    band_paint.setStyle(skia.Paint.kStroke_Style)
    band_paint.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, f.u * 0.06))
    k.sky.canvas.drawPath(band, band_paint)
    draw_stars(k.sky, f, rng, hz * 0.95, 600)
    if k.time in ("dawn", "dusk"):
        glow = "#ff9a6a" if k.time == "dusk" else "#ffc3a0"
        k.sky.glow(f.x(0.85 if k.time == "dusk" else 0.15), hz, f.u * 0.6, glow, 0.45)
    draw_moon(k.sky, f.x(0.75), hz * 0.22, f.u * 0.06)
    hills(k.far, f, rng, hz, f.u * 0.1, "#1b2446", peaks=3)
    k.mid.path(ridge(f, rng, hz + f.u * 0.08, f.u * 0.07, 2), "#10152b")
    tx = f.x(0.25)
    round_tree(k.mid, tx, hz + f.u * 0.06, f.u * 0.3, "#0b0f20", trunk="#0b0f20")
    k.near.vgradient(-2, f.h - f.u * 0.05, f.w + 4, f.u * 0.05, ["#0a0d1c", "#05070f"])
    grass_tufts(k.near, f, rng, f.h - f.u * 0.04, "#0a0d1c", int(30 * f.w / f.u))
