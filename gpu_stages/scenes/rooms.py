"""Everyday interiors: home, kitchen, classroom and office."""

from __future__ import annotations

import skia

from gpu_stages.scenes.buildings import bunting
from gpu_stages.scenes.interior import chair, curtains, desk, lamp_glow, picture, potted_plant, room
from gpu_stages.scenes.palette import mix, rgb, shade
from gpu_stages.scenes.sketch import Sketch

ARCHES = {"middle_eastern": "pointed", "indian": "round"}


def home(k: Sketch) -> None:
    f, pal = k.f, k.pal
    ww, wh = f.u * 0.3, f.u * 0.34
    wx, wy = f.x(0.62) if not f.portrait else f.x(0.5) - ww / 2, f.horizon - f.u * 0.52
    fl = room(k, pal.wall, pal.wood, [(wx, wy, ww, wh)], arch=ARCHES.get(pal.culture, ""))
    if pal.culture == "east_asian":  # shoji lattice over the window
        for i in range(1, 4):
            k.far.line(wx + ww * i / 4, wy, wx + ww * i / 4, wy + wh, max(1.0, f.u * 0.004), pal.wood)
            k.far.line(wx, wy + wh * i / 4, wx + ww, wy + wh * i / 4, max(1.0, f.u * 0.004), pal.wood)
    else:
        curtains(k.far, wx, wy, ww, wh, pal.cloth[1] if pal.culture != "western" else pal.secondary)
    if pal.culture == "indian":
        bunting(
            k.far,
            wx - ww * 0.1,
            wx + ww * 1.1,
            wy - f.u * 0.05,
            f.u * 0.02,
            pal.cloth,
            f.u * 0.035,
            marigold=True,
        )
    # something on the wall that says whose home this is
    px = f.x(0.2) if not f.portrait else f.x(0.15)
    if pal.culture == "east_asian":
        k.far.rect(px, fl - f.u * 0.58, f.u * 0.12, f.u * 0.3, "#f3ead8")
        k.far.poly(
            [
                (px + f.u * 0.02, fl - f.u * 0.36),
                (px + f.u * 0.06, fl - f.u * 0.48),
                (px + f.u * 0.1, fl - f.u * 0.36),
            ],
            "#444444",
        )
        k.far.rect(px - f.u * 0.01, fl - f.u * 0.59, f.u * 0.14, f.u * 0.015, pal.wood)
    elif pal.culture == "african":
        for i, c in enumerate(("#f2c12e", "#2e8b57", "#c0392b", "#1b1b1b", "#f2c12e", "#2e8b57")):
            k.far.rect(px, fl - f.u * 0.56 + i * f.u * 0.04, f.u * 0.18, f.u * 0.04, c)  # kente cloth
        for j in range(4):
            k.far.rect(px + j * f.u * 0.05, fl - f.u * 0.56, f.u * 0.02, f.u * 0.24, "#1b1b1b", alpha=0.5)
    else:
        picture(k.far, px, fl - f.u * 0.5, f.u * 0.18, f.u * 0.14, pal.wood, (k.light.sky_mid, pal.foliage))
    # sofa with cushions
    sx, sw = (f.x(0.08), f.u * 0.62) if not f.portrait else (f.x(0.06), f.w * 0.88)
    sy, sh = fl - f.u * 0.02, f.u * 0.2
    sofa = shade(rgb(pal.cloth[0]), 0.9)
    k.mid.shadow(sx + sw / 2, sy + sh * 0.55, sw, sh)
    k.mid.rect(sx, sy - sh * 0.5, sw, sh * 0.7, sofa, r=sh * 0.15)
    k.mid.rect(sx - sw * 0.03, sy - sh * 0.1, sw * 1.06, sh * 0.55, shade(sofa, 0.85), r=sh * 0.12)
    k.mid.rect(sx + sw * 0.05, sy - sh * 0.15, sw * 0.9, sh * 0.16, shade(sofa, 1.1), r=sh * 0.05)
    for i in range(2):
        k.mid.rect(
            sx + sw * (0.12 + 0.6 * i), sy - sh * 0.38, sw * 0.16, sh * 0.26, pal.cloth[2 + i], r=sh * 0.05
        )
    k.mid.rect(sx + sw * 0.04, sy + sh * 0.45, sw * 0.03, sh * 0.12, "#3a2a1f")
    k.mid.rect(sx + sw * 0.93, sy + sh * 0.45, sw * 0.03, sh * 0.12, "#3a2a1f")
    # rug and a low table
    k.far.ellipse(
        f.x(0.5), fl + (f.h - fl) * 0.55, f.w * 0.35, (f.h - fl) * 0.25, pal.cloth[4 % len(pal.cloth)]
    )
    k.far.ellipse(
        f.x(0.5),
        fl + (f.h - fl) * 0.55,
        f.w * 0.3,
        (f.h - fl) * 0.2,
        mix(rgb(pal.cloth[3]), rgb("#ffffff"), 0.3),
    )
    tx = f.x(0.38) if not f.portrait else f.x(0.3)
    desk(k.mid, tx, fl + (f.h - fl) * 0.45, f.u * 0.26, f.u * 0.08, pal.wood)
    k.mid.rect(
        tx + f.u * 0.05, fl + (f.h - fl) * 0.45 - f.u * 0.03, f.u * 0.05, f.u * 0.03, "#f4f1ea", r=f.u * 0.005
    )
    # floor lamp
    lx = f.x(0.9) if not f.portrait else f.x(0.88)
    k.mid.rect(lx - f.u * 0.006, fl - f.u * 0.35, f.u * 0.012, f.u * 0.38, "#2e2a28")
    k.mid.poly(
        [
            (lx - f.u * 0.06, fl - f.u * 0.33),
            (lx + f.u * 0.06, fl - f.u * 0.33),
            (lx + f.u * 0.04, fl - f.u * 0.42),
            (lx - f.u * 0.04, fl - f.u * 0.42),
        ],
        "#f6e7c1",
        glow=k.light.windows_lit > 0.3,
    )
    lamp_glow(k, lx, fl - f.u * 0.36, f.u * 0.4)
    potted_plant(k.near, f.x(0.04), f.h, f.u * 0.3, pal.foliage, pal.primary)


def kitchen(k: Sketch) -> None:
    f, pal = k.f, k.pal
    ww, wh = f.u * 0.28, f.u * 0.22
    wx, wy = f.x(0.5) - ww / 2, f.horizon - f.u * 0.52
    fl = room(
        k,
        pal.wall,
        mix(rgb(pal.stone), rgb("#d8d0c0"), 0.5),
        [(wx, wy, ww, wh)],
        arch=ARCHES.get(pal.culture, ""),
    )
    top = fl - f.u * 0.16  # counter top height
    tile = mix(rgb(pal.accent), rgb("#ffffff"), 0.55)
    k.far.rect(0, top - f.u * 0.18, f.w, f.u * 0.18, tile)  # backsplash
    for i, x in enumerate(f.across(0.05)):
        k.far.line(x, top - f.u * 0.18, x, top, max(1.0, f.u * 0.002), "#ffffff", 0.8)
        if i < 4:
            y = top - f.u * 0.045 * (i + 1)
            k.far.line(0, y, f.w, y, max(1.0, f.u * 0.002), "#ffffff", 0.8)
    # open shelves with jars and plates on both sides of the window
    for sx in (f.x(0.05), wx + ww + f.u * 0.06):
        sw = min(f.u * 0.34, f.w - sx - f.u * 0.02) if sx > wx else wx - f.u * 0.06 - sx
        if sw < f.u * 0.1:
            continue
        for r in range(2):
            y = wy + f.u * (0.1 + 0.14 * r)
            k.far.rect(sx, y, sw, f.u * 0.015, pal.wood)
            n = int(sw / (f.u * 0.06))
            for j in range(n):
                jx = sx + (j + 0.5) * sw / n
                if (j + r) % 3 == 0:
                    k.far.circle(jx, y - f.u * 0.035, f.u * 0.03, "#f4f1ea")
                    k.far.circle(jx, y - f.u * 0.035, f.u * 0.018, pal.cloth[j % len(pal.cloth)])
                else:
                    k.far.rect(
                        jx - f.u * 0.018, y - f.u * 0.06, f.u * 0.036, f.u * 0.06, "#cfe3e0", r=f.u * 0.008
                    )
                    k.far.rect(
                        jx - f.u * 0.015,
                        y - f.u * 0.035,
                        f.u * 0.03,
                        f.u * 0.033,
                        ("#e67e22", "#c0392b", "#f1c40f", "#7f5a3a")[(j + r) % 4],
                        r=f.u * 0.006,
                    )
                    k.far.rect(jx - f.u * 0.02, y - f.u * 0.07, f.u * 0.04, f.u * 0.012, pal.wood)
    # counter with cabinets
    k.mid.rect(-2, top, f.w + 4, f.u * 0.03, mix(rgb(pal.stone), rgb("#ffffff"), 0.3))
    k.mid.rect(-2, top + f.u * 0.03, f.w + 4, fl - top + f.u * 0.1, pal.primary)
    for x in f.across(0.16):
        k.mid.rect(
            x - f.u * 0.07,
            top + f.u * 0.05,
            f.u * 0.14,
            fl - top + f.u * 0.03,
            shade(rgb(pal.primary), 1.1),
            r=f.u * 0.01,
        )
        k.mid.rect(x - f.u * 0.02, top + f.u * 0.07, f.u * 0.04, f.u * 0.008, "#d9d4c7", r=f.u * 0.004)
    k.mid.rect(-2, fl + f.u * 0.12, f.w + 4, f.u * 0.015, shade(rgb(pal.primary), 0.6))
    # stove with pots, one steaming
    stx = f.x(0.3 if not f.portrait else 0.25)
    k.mid.rect(stx - f.u * 0.15, top - f.u * 0.01, f.u * 0.3, f.u * 0.015, "#2b2b2b")
    pot(k, stx - f.u * 0.07, top - f.u * 0.01, f.u * 0.11, "#7d7f85", steam=True)
    pot(k, stx + f.u * 0.08, top - f.u * 0.01, f.u * 0.08, "#b87333", steam=False)
    # cutting board with vegetables
    bx = f.x(0.7)
    k.mid.rect(bx - f.u * 0.1, top - f.u * 0.012, f.u * 0.2, f.u * 0.012, "#c8a165", r=f.u * 0.004)
    for j, c in enumerate(("#e74c3c", "#f39c12", "#27ae60")):
        k.mid.circle(bx - f.u * 0.05 + j * f.u * 0.05, top - f.u * 0.03, f.u * 0.02, c)
    # a rail of hanging utensils in the foreground, top of frame
    k.near.line(f.x(0.6), f.u * 0.04, f.w, f.u * 0.04, max(2.0, f.u * 0.008), "#6e6e6e")
    for j, x in enumerate(f.across(0.07)):
        if x < f.x(0.63):
            continue
        k.near.line(x, f.u * 0.04, x, f.u * 0.16, max(1.0, f.u * 0.006), "#8a8a8a")
        if j % 2:
            k.near.ellipse(x, f.u * 0.18, f.u * 0.025, f.u * 0.03, "#8a8a8a")
        else:
            k.near.rect(x - f.u * 0.02, f.u * 0.16, f.u * 0.04, f.u * 0.05, "#b87333", r=f.u * 0.006)


def pot(k: Sketch, x: float, base: float, w: float, colour: str, steam: bool) -> None:
    k.mid.rect(x - w / 2, base - w * 0.6, w, w * 0.6, colour, r=w * 0.08)
    k.mid.rect(x - w * 0.58, base - w * 0.62, w * 1.16, w * 0.07, shade(rgb(colour), 0.8), r=w * 0.03)
    k.mid.line(x + w / 2, base - w * 0.45, x + w * 0.75, base - w * 0.5, max(1.0, w * 0.06), "#2b2b2b")
    if steam:
        for j in range(3):
            s = skia.Path()
            sx = x - w * 0.25 + j * w * 0.25
            s.moveTo(sx, base - w * 0.7)
            s.cubicTo(sx - w * 0.15, base - w * 0.9, sx + w * 0.15, base - w * 1.0, sx, base - w * 1.25)
            k.mid.stroke(s, max(1.0, w * 0.05), "#ffffff", 0.5)


def classroom(k: Sketch) -> None:
    f, pal = k.f, k.pal
    ww, wh = f.u * 0.16, f.u * 0.3
    windows = [] if f.portrait else [(f.x(0.82), f.horizon - f.u * 0.5, ww, wh)]
    fl = room(
        k,
        mix(rgb(pal.wall), rgb("#dfe8d8"), 0.4),
        mix(rgb(pal.stone), rgb("#c8c0a8"), 0.5),
        windows,
        arch=ARCHES.get(pal.culture, ""),
        planks=False,
    )
    bw = f.w * (0.62 if not f.portrait else 0.86)
    bh = f.u * (0.3 if not f.portrait else 0.42)
    bx, by = f.x(0.08) if not f.portrait else f.x(0.07), fl - f.u * 0.1 - bh - f.u * 0.12
    k.far.rect(bx - f.u * 0.015, by - f.u * 0.015, bw + f.u * 0.03, bh + f.u * 0.03, pal.wood)
    k.far.rect(bx, by, bw, bh, "#2f4f3e")
    k.far.rect(bx, by + bh, bw, f.u * 0.02, shade(rgb(pal.wood), 0.8))  # chalk ledge
    chalk = "#e9efe6"
    font = skia.Font(skia.Typeface("DejaVu Sans"), bh * 0.2)
    paint = skia.Paint(AntiAlias=True, Color4f=skia.Color4f(*k.far.lit(chalk), 0.9))
    k.far.canvas.drawString("2 + 3 = 5", bx + bw * 0.06, by + bh * 0.32, font, paint)
    k.far.canvas.drawString("A  B  C", bx + bw * 0.06, by + bh * 0.68, font, paint)
    tri_x = bx + bw * 0.72  # a geometry sketch on the right of the board
    k.far.stroke(_triangle(tri_x, by + bh * 0.2, bw * 0.18, bh * 0.55), max(1.0, f.u * 0.004), chalk, 0.9)
    k.far.line(
        bx + bw * 0.06, by + bh * 0.85, bx + bw * 0.5, by + bh * 0.85, max(1.0, f.u * 0.004), chalk, 0.7
    )
    # wall clock above the board
    cx, cy = bx + bw / 2, by - f.u * 0.09
    if cy > f.u * 0.06:
        k.far.circle(cx, cy, f.u * 0.045, "#2b2b2b")
        k.far.circle(cx, cy, f.u * 0.038, "#f8f6ef")
        k.far.line(cx, cy, cx, cy - f.u * 0.028, max(1.0, f.u * 0.004), "#2b2b2b")
        k.far.line(cx, cy, cx + f.u * 0.02, cy + f.u * 0.005, max(1.0, f.u * 0.004), "#2b2b2b")
    # the teacher's desk with a globe, and a row of pupils' desks with chairs facing the board
    tx = bx + bw * 0.75 if not f.portrait else f.x(0.62)
    desk(k.mid, tx, fl - f.u * 0.02, f.u * 0.26, f.u * 0.13, pal.wood)
    k.mid.line(
        tx + f.u * 0.2, fl - f.u * 0.02, tx + f.u * 0.2, fl - f.u * 0.07, max(1.0, f.u * 0.006), "#6b5a3a"
    )
    k.mid.circle(tx + f.u * 0.2, fl - f.u * 0.1, f.u * 0.035, "#3a86c8")
    k.mid.circle(tx + f.u * 0.19, fl - f.u * 0.11, f.u * 0.018, "#5fa35a")
    top_wood = mix(rgb(pal.wood), rgb("#e8d8b8"), 0.45)
    dw, dh = f.u * 0.22, f.u * 0.13
    top = fl + (f.h - fl) * 0.42
    for i, x in enumerate(f.across(0.34, -0.12)):
        desk(k.mid, x - dw / 2, top, dw, dh, top_wood)
        if i % 2 == 0:
            k.mid.rect(x - dw * 0.3, top - dh * 0.1, dw * 0.3, dh * 0.1, pal.cloth[i % len(pal.cloth)])
        seat = top + dh * 0.55  # the chair back seen from behind, in front of the desk
        k.mid.rect(x - dw * 0.3, seat, dw * 0.6, dh * 0.45, pal.secondary, r=dh * 0.08)
        k.mid.rect(x - dw * 0.25, seat + dh * 0.45, dw * 0.06, dh * 0.5, shade(rgb(pal.secondary), 0.7))
        k.mid.rect(x + dw * 0.19, seat + dh * 0.45, dw * 0.06, dh * 0.5, shade(rgb(pal.secondary), 0.7))
    # the corner of a desk in the foreground with books and an apple
    k.near.rect(f.w - f.u * 0.3, f.h - f.u * 0.08, f.u * 0.32, f.u * 0.08, pal.wood)
    k.near.rect(f.w - f.u * 0.24, f.h - f.u * 0.12, f.u * 0.14, f.u * 0.04, pal.primary)
    k.near.rect(f.w - f.u * 0.22, f.h - f.u * 0.15, f.u * 0.12, f.u * 0.03, pal.accent)
    k.near.circle(f.w - f.u * 0.05, f.h - f.u * 0.11, f.u * 0.025, "#d63031")


def _triangle(x: float, y: float, w: float, h: float) -> skia.Path:
    p = skia.Path()
    p.moveTo(x, y + h)
    p.lineTo(x + w, y + h)
    p.lineTo(x + w * 0.3, y)
    p.close()
    return p


def office(k: Sketch) -> None:
    f, pal = k.f, k.pal
    panes = 3 if not f.portrait else 2
    fl0 = f.horizon
    win_top, win_h = f.u * 0.08, fl0 - f.u * 0.2
    span = f.w * 0.8
    pw = span / panes
    windows = [(f.x(0.1) + i * pw + f.u * 0.01, win_top, pw - f.u * 0.02, win_h) for i in range(panes)]
    fl = room(
        k,
        mix(rgb(pal.wall), rgb("#e4e6ea"), 0.6),
        mix(rgb("#8a8f98"), rgb(pal.wood), 0.3),
        windows,
        view="city",
        planks=False,
    )
    # desk with monitor, keyboard, mug and lamp
    dx, dw = (f.x(0.3), f.u * 0.7) if not f.portrait else (f.x(0.08), f.w * 0.84)
    dtop = fl + f.u * 0.02
    desk(k.mid, dx, dtop, dw, f.u * 0.24, mix(rgb(pal.wood), rgb("#e8e4dc"), 0.5))
    mx = dx + dw * 0.5
    k.mid.rect(mx - f.u * 0.015, dtop - f.u * 0.08, f.u * 0.03, f.u * 0.08, "#2b2d33")
    k.mid.rect(mx - f.u * 0.08, dtop - f.u * 0.012, f.u * 0.16, f.u * 0.012, "#2b2d33", r=f.u * 0.004)
    k.mid.rect(mx - f.u * 0.17, dtop - f.u * 0.27, f.u * 0.34, f.u * 0.2, "#1f2228", r=f.u * 0.01)
    k.mid.rect(mx - f.u * 0.155, dtop - f.u * 0.257, f.u * 0.31, f.u * 0.175, "#4a90d9", glow=True)
    k.mid.glow(mx, dtop - f.u * 0.17, f.u * 0.3, "#8cc4ff", 0.15 + 0.25 * k.light.windows_lit)
    for j in range(4):  # a chart on the screen
        k.mid.rect(
            mx - f.u * 0.12 + j * f.u * 0.06,
            dtop - f.u * (0.12 + 0.025 * j),
            f.u * 0.035,
            f.u * (0.025 + 0.025 * j),
            "#f7f7f7",
            glow=True,
        )
    k.mid.rect(mx - f.u * 0.12, dtop - f.u * 0.01, f.u * 0.24, f.u * 0.012, "#3a3d44", r=f.u * 0.003)
    k.mid.rect(dx + dw * 0.85, dtop - f.u * 0.05, f.u * 0.035, f.u * 0.05, pal.primary, r=f.u * 0.006)
    k.mid.line(dx + dw * 0.08, dtop, dx + dw * 0.12, dtop - f.u * 0.18, max(1.0, f.u * 0.008), "#2b2d33")
    k.mid.poly(
        [
            (dx + dw * 0.1, dtop - f.u * 0.2),
            (dx + dw * 0.2, dtop - f.u * 0.15),
            (dx + dw * 0.16, dtop - f.u * 0.13),
        ],
        "#2b2d33",
    )
    chair(k.mid, mx + f.u * 0.05, fl + f.u * 0.3, f.u * 0.34, "#2b2d33", facing=1)
    # shelf with binders on the side wall segment
    sx = f.x(0.03) if not f.portrait else f.x(0.7)
    k.far.rect(sx, fl - f.u * 0.4, f.u * 0.2, f.u * 0.4, shade(rgb(pal.wood), 1.1))
    for r in range(3):
        for j in range(5):
            k.far.rect(
                sx + f.u * (0.015 + j * 0.036),
                fl - f.u * (0.37 - r * 0.13),
                f.u * 0.03,
                f.u * 0.1,
                pal.cloth[(j + r) % len(pal.cloth)],
            )
    potted_plant(k.near, f.w - f.u * 0.08, f.h, f.u * 0.4, pal.foliage, "#e8e4dc")
