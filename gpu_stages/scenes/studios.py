"""Performance spaces: a podcast studio and a theatre stage."""

from __future__ import annotations

import skia

from gpu_stages.scenes.buildings import bunting
from gpu_stages.scenes.interior import desk
from gpu_stages.scenes.palette import RGB, mix, rgb, shade
from gpu_stages.scenes.pen import Pen
from gpu_stages.scenes.sketch import Sketch


def podcast_studio(k: Sketch) -> None:
    f, pal = k.f, k.pal
    fl = f.horizon + f.u * 0.05
    wall = mix(rgb(pal.secondary), rgb("#2a2f3d"), 0.7)
    k.sky.rect(0, 0, f.w, f.h, wall)
    k.far.vgradient(0, 0, f.w, fl, [shade(wall, 0.8), wall])
    # acoustic foam: square panels of small pyramids, in two palette colours
    tile = f.u * 0.045
    per = 3
    panel = tile * per
    gap = tile * 0.6
    cols = max(2, int((f.w * 0.9) / (panel + gap)))
    rows = max(2, int((fl - f.u * 0.3) / (panel + gap)))
    x0 = (f.w - cols * (panel + gap) + gap) / 2
    y0 = f.u * 0.12
    for r in range(rows):
        for c in range(cols):
            base = rgb(pal.primary) if (r + c) % 2 else rgb(pal.accent)
            foam = mix(base, wall, 0.3)
            px, py = x0 + c * (panel + gap), y0 + r * (panel + gap)
            for i in range(per):
                for j in range(per):
                    foam_pyramid(k.far, px + i * tile, py + j * tile, tile, foam)
    k.far.rect(0, fl, f.w, f.h - fl, shade(wall, 0.6))
    # an ON AIR sign glowing red
    sx, sy = f.x(0.5) - f.u * 0.1, f.u * 0.025
    k.far.rect(sx, sy, f.u * 0.2, f.u * 0.06, "#1a1a1a", r=f.u * 0.01)
    k.far.rect(sx + f.u * 0.01, sy + f.u * 0.01, f.u * 0.18, f.u * 0.04, "#ff3b3b", glow=True, r=f.u * 0.008)
    k.far.glow(sx + f.u * 0.1, sy + f.u * 0.03, f.u * 0.2, "#ff3b3b", 0.35)
    font = skia.Font(skia.Typeface("DejaVu Sans"), f.u * 0.03)
    font.setEmbolden(True)
    text_w = font.measureText("ON AIR")
    k.far.canvas.drawString(
        "ON AIR",
        sx + f.u * 0.1 - text_w / 2,
        sy + f.u * 0.041,
        font,
        skia.Paint(AntiAlias=True, Color=skia.ColorWHITE),
    )
    k.far.rect(0, fl - f.u * 0.015, f.w, f.u * 0.008, "#7fd1ff", glow=True)  # LED strip
    k.far.glow(f.w / 2, fl, f.w * 0.6, "#7fd1ff", 0.1)
    # the desk with two microphones on boom arms, headphones and a laptop
    dx, dw = f.x(0.1), f.w * 0.8
    dtop = fl + f.u * 0.08
    desk(k.mid, dx, dtop, dw, f.u * 0.2, mix(rgb(pal.wood), rgb("#d8c8b0"), 0.3))
    for mx, lean in ((dx + dw * 0.2, -1), (dx + dw * 0.8, 1)):
        microphone(k.mid, mx, dtop, f.u * 0.26, lean)
    lx = dx + dw * 0.5 - f.u * 0.07
    k.mid.rect(lx, dtop - f.u * 0.012, f.u * 0.14, f.u * 0.012, "#b0b4bb", r=f.u * 0.003)
    k.mid.poly(
        [
            (lx + f.u * 0.01, dtop - f.u * 0.012),
            (lx + f.u * 0.03, dtop - f.u * 0.1),
            (lx + f.u * 0.14, dtop - f.u * 0.1),
            (lx + f.u * 0.13, dtop - f.u * 0.012),
        ],
        "#c8ccd2",
    )
    k.mid.circle(lx + f.u * 0.085, dtop - f.u * 0.056, f.u * 0.012, "#f4f4f4")
    headphones(k.mid, dx + dw * 0.33, dtop, f.u * 0.05)
    k.mid.rect(dx + dw * 0.64, dtop - f.u * 0.05, f.u * 0.035, f.u * 0.05, pal.primary, r=f.u * 0.006)  # mug
    for px in (f.x(0.3), f.x(0.7)):  # pendant lamps
        k.near.line(px, 0, px, f.u * 0.08, max(1.0, f.u * 0.004), "#222222")
        k.near.poly(
            [
                (px - f.u * 0.05, f.u * 0.12),
                (px - f.u * 0.015, f.u * 0.08),
                (px + f.u * 0.015, f.u * 0.08),
                (px + f.u * 0.05, f.u * 0.12),
            ],
            "#222222",
        )
        k.near.glow(px, f.u * 0.125, f.u * 0.12, "#ffd27a", 0.5)
    microphone(k.near, f.w - f.u * 0.12, f.h + f.u * 0.12, f.u * 0.45, 1)


def foam_pyramid(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    """One pyramid of acoustic foam: four faces lit from above."""
    cx, cy = x + s / 2, y + s / 2
    faces = (
        ((x, y), (x + s, y), 1.15),
        ((x + s, y), (x + s, y + s), 0.8),
        ((x + s, y + s), (x, y + s), 0.6),
        ((x, y + s), (x, y), 0.95),
    )
    for a, b, light in faces:
        pen.poly([a, b, (cx, cy)], shade(colour, light))


def microphone(pen: Pen, x: float, base: float, s: float, lean: int) -> None:
    """A broadcast microphone on a boom arm clamped to the desk, with a pop filter."""
    arm = skia.Path()
    arm.moveTo(x - lean * s * 0.3, base)
    arm.lineTo(x - lean * s * 0.3, base - s * 0.6)
    arm.lineTo(x, base - s * 0.9)
    pen.stroke(arm, max(1.0, s * 0.035), "#2a2a2e")
    pen.rect(x - s * 0.09, base - s * 1.15, s * 0.18, s * 0.36, "#1f1f23", r=s * 0.09)
    for i in range(4):
        pen.line(
            x - s * 0.07,
            base - s * (1.08 - 0.06 * i),
            x + s * 0.07,
            base - s * (1.08 - 0.06 * i),
            max(1.0, s * 0.012),
            "#55555c",
        )
    pen.circle(x + lean * s * 0.28, base - s * 1.0, s * 0.13, "#2a2a2e", alpha=0.55)  # pop filter
    pen.circle(x + lean * s * 0.28, base - s * 1.0, s * 0.115, "#56565e", alpha=0.35)


def headphones(pen: Pen, x: float, base: float, s: float) -> None:
    band = skia.Path()
    band.addArc(skia.Rect.MakeXYWH(x - s, base - s * 1.6, s * 2, s * 2), 180, 180)
    pen.stroke(band, max(1.0, s * 0.12), "#2a2a2e")
    pen.rect(x - s * 1.1, base - s * 0.7, s * 0.3, s * 0.7, "#2a2a2e", r=s * 0.1)
    pen.rect(x + s * 0.8, base - s * 0.7, s * 0.3, s * 0.7, "#2a2a2e", r=s * 0.1)


def stage(k: Sketch) -> None:
    f, pal = k.f, k.pal
    fl = f.horizon + f.u * 0.06
    velvet = mix(rgb("#8b1a1a"), rgb(pal.primary), 0.4)
    k.sky.rect(0, 0, f.w, f.h, "#120c10")
    # the back curtain: vertical folds
    folds = max(8, int(f.w / (f.u * 0.08)))
    fw = f.w / folds
    for i in range(folds):
        k.far.rect(i * fw, 0, fw, fl, shade(velvet, 0.65))
        k.far.vgradient(i * fw + fw * 0.2, 0, fw * 0.45, fl, [shade(velvet, 0.85), shade(velvet, 1.05)])
    # wooden stage floor and its front edge
    k.far.vgradient(0, fl, f.w, f.h - fl, [shade(rgb("#8a5a32"), 0.8), "#a06a3a"])
    for i in range(-12, 13):
        k.far.line(
            f.w / 2 + i * f.u * 0.06, fl, f.w / 2 + i * f.u * 0.25, f.h, max(1.0, f.u * 0.003), "#5d3b20", 0.6
        )
    # spotlight beams and pools of light
    for sx in (0.5,) if f.portrait else (0.3, 0.7):
        x = f.x(sx)
        beam = skia.Path()
        beam.moveTo(x - f.u * 0.03, 0)
        beam.lineTo(x + f.u * 0.03, 0)
        beam.lineTo(x + f.u * 0.22, fl + f.u * 0.12)
        beam.lineTo(x - f.u * 0.22, fl + f.u * 0.12)
        beam.close()
        k.mid.path(beam, "#fff2c4", alpha=0.16, glow=True, blur=f.u * 0.02)
        k.mid.ellipse(x, fl + f.u * 0.12, f.u * 0.24, f.u * 0.05, "#fff2c4", alpha=0.0)
        k.far.canvas.drawOval(
            skia.Rect.MakeXYWH(x - f.u * 0.24, fl + f.u * 0.07, f.u * 0.48, f.u * 0.1),
            skia.Paint(
                AntiAlias=True,
                Color4f=skia.Color4f(1.0, 0.95, 0.77, 0.35),
                MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, f.u * 0.015),
            ),
        )
    # footlights along the stage edge
    for x in f.across(0.1):
        k.mid.glow(x, f.h - f.u * 0.03, f.u * 0.06, "#ffe08a", 0.6)
        k.mid.rect(x - f.u * 0.02, f.h - f.u * 0.03, f.u * 0.04, f.u * 0.02, "#222222")
    # front valance and side curtains tied back frame the scene
    k.near.rect(-2, 0, f.w + 4, f.u * 0.1, shade(velvet, 0.9))
    for x in f.across(0.1):
        k.near.circle(x, f.u * 0.1, f.u * 0.05, shade(velvet, 0.9))
    k.near.rect(-2, f.u * 0.085, f.w + 4, f.u * 0.012, pal.accent if pal.culture != "western" else "#d4af37")
    for side in (-1, 1):
        x0 = 0 if side < 0 else f.w
        drape = skia.Path()
        drape.moveTo(x0, 0)
        drape.lineTo(x0 - side * f.u * 0.22, 0)
        drape.quadTo(x0 - side * f.u * 0.08, f.h * 0.45, x0 - side * f.u * 0.12, f.h * 0.5)
        drape.quadTo(x0 - side * f.u * 0.06, f.h * 0.75, x0 - side * f.u * 0.14, f.h)
        drape.lineTo(x0, f.h)
        drape.close()
        k.near.path(drape, shade(velvet, 0.8))
        k.near.line(
            x0 - side * f.u * 0.02, f.h * 0.5, x0 - side * f.u * 0.13, f.h * 0.5, f.u * 0.015, "#d4af37"
        )
    if pal.culture == "indian":
        bunting(k.near, 0, f.w, f.u * 0.12, f.u * 0.03, pal.cloth, f.u * 0.05, marigold=True)
    elif pal.culture == "african":
        for i, x in enumerate(f.across(0.04)):  # a kente border along the valance
            k.near.rect(
                x, f.u * 0.06, f.u * 0.04, f.u * 0.025, ("#f2c12e", "#2e8b57", "#c0392b", "#1b1b1b")[i % 4]
            )
    elif pal.culture == "middle_eastern":
        for x in (f.x(0.25), f.x(0.75)):  # brass lanterns hanging over the stage
            k.near.line(x, f.u * 0.1, x, f.u * 0.2, max(1.0, f.u * 0.004), "#6b5a3a")
            k.near.poly(
                [
                    (x - f.u * 0.03, f.u * 0.22),
                    (x, f.u * 0.2),
                    (x + f.u * 0.03, f.u * 0.22),
                    (x + f.u * 0.02, f.u * 0.3),
                    (x - f.u * 0.02, f.u * 0.3),
                ],
                "#d4a63a",
            )
            k.near.glow(x, f.u * 0.26, f.u * 0.1, "#ffcf7a", 0.45)
    elif pal.culture == "east_asian":
        for x in (f.x(0.25), f.x(0.75)):
            k.near.ellipse(x, f.u * 0.2, f.u * 0.04, f.u * 0.05, pal.primary)
            k.near.glow(x, f.u * 0.2, f.u * 0.1, "#ff9a5a", 0.4)
