"""Places of worship that make a temple scene read at a glance, one per culture, and temple bells."""

from __future__ import annotations

import skia

from gpu_stages.scenes.buildings import eave_roof
from gpu_stages.scenes.palette import Palette, rgb, shade
from gpu_stages.scenes.pen import Pen, arch_path


def shikhara(pen: Pen, pal: Palette, x: float, ground: float, s: float) -> None:
    """A Nagara temple: plinth, pillared hall and a curved beehive tower with amalaka, kalash and flag."""
    stone = rgb(pal.stone)
    pen.shadow(x, ground, s * 1.6, s)
    pen.rect(x - s * 0.8, ground - s * 0.1, s * 1.6, s * 0.1, shade(stone, 0.8))  # plinth
    # mandapa (hall) with a stepped pyramid roof, left of the tower
    hx = x - s * 0.72
    pen.rect(hx, ground - s * 0.45, s * 0.5, s * 0.35, stone)
    for k in range(4):
        pen.rect(
            hx - s * 0.03 + k * s * 0.05,
            ground - s * (0.5 + 0.06 * k),
            s * (0.56 - 0.1 * k),
            s * 0.06,
            shade(stone, 0.92 - 0.04 * k),
        )
    for k in range(4):
        pen.rect(hx + s * (0.04 + 0.12 * k), ground - s * 0.42, s * 0.04, s * 0.32, shade(stone, 0.7))
    # the tower: convex curved flanks rising to the amalaka
    w, h = s * 0.62, s * 1.25
    base = ground - s * 0.1
    tower = skia.Path()
    tower.moveTo(x - w / 2, base)
    tower.cubicTo(x - w * 0.56, base - h * 0.55, x - w * 0.38, base - h * 0.92, x - w * 0.18, base - h)
    tower.lineTo(x + w * 0.18, base - h)
    tower.cubicTo(x + w * 0.38, base - h * 0.92, x + w * 0.56, base - h * 0.55, x + w / 2, base)
    tower.close()
    pen.path(tower, stone)
    shade_side = skia.Path()
    shade_side.moveTo(x + w * 0.12, base)
    shade_side.lineTo(x + w * 0.05, base - h)
    shade_side.lineTo(x + w * 0.18, base - h)
    shade_side.cubicTo(x + w * 0.38, base - h * 0.92, x + w * 0.56, base - h * 0.55, x + w / 2, base)
    shade_side.close()
    pen.path(shade_side, shade(stone, 0.78))
    for k in range(1, 9):  # horizontal courses of the tower
        yy = base - h * k / 9
        t = k / 9
        half = w * (0.5 - 0.32 * t**2)
        pen.line(x - half, yy, x + half, yy, max(1.0, s * 0.008), shade(stone, 0.65))
    pen.line(x, base - h, x, base - s * 0.1, max(1.0, s * 0.02), shade(stone, 0.7))  # central spine
    top = base - h
    pen.ellipse(x, top - s * 0.03, w * 0.26, s * 0.045, shade(stone, 0.9))  # amalaka
    for k in range(-3, 4):
        pen.line(
            x + k * w * 0.07,
            top - s * 0.065,
            x + k * w * 0.07,
            top + s * 0.005,
            max(1.0, s * 0.006),
            shade(stone, 0.65),
        )
    pen.circle(x, top - s * 0.1, s * 0.035, pal.secondary)  # kalash
    pen.line(x, top - s * 0.1, x, top - s * 0.3, max(1.0, s * 0.01), "#4a3526")
    pen.poly([(x, top - s * 0.3), (x + s * 0.16, top - s * 0.25), (x, top - s * 0.2)], pal.primary)  # flag
    door = arch_path(x - s * 0.08, ground - s * 0.38, s * 0.16, s * 0.28)
    pen.path(door, "#2a1a12")
    pen.glow(x, ground - s * 0.2, s * 0.1, "#ffb347", 0.8)  # the lamp inside the sanctum
    for k in range(6):  # marigold string over the doorway
        pen.circle(
            x - s * 0.1 + k * s * 0.04, ground - s * 0.4 + abs(k - 2.5) * -s * 0.008, s * 0.018, pal.secondary
        )


def church(pen: Pen, pal: Palette, x: float, ground: float, s: float) -> None:
    """A stone church: columned portico with pediment, rose window and a spire with a cross."""
    stone = rgb(pal.stone)
    light_stone = shade(stone, 1.15)
    pen.shadow(x, ground, s * 1.6, s)
    # bell tower and spire behind the portico
    pen.rect(x + s * 0.28, ground - s * 1.15, s * 0.26, s * 1.15, stone)
    pen.path(arch_path(x + s * 0.36, ground - s * 1.05, s * 0.1, s * 0.18), shade(stone, 0.4))
    pen.poly(
        [
            (x + s * 0.26, ground - s * 1.15),
            (x + s * 0.41, ground - s * 1.65),
            (x + s * 0.56, ground - s * 1.15),
        ],
        pal.roof,
    )
    pen.line(x + s * 0.41, ground - s * 1.65, x + s * 0.41, ground - s * 1.8, max(1.0, s * 0.015), "#c9a94a")
    pen.line(x + s * 0.36, ground - s * 1.74, x + s * 0.46, ground - s * 1.74, max(1.0, s * 0.015), "#c9a94a")
    # nave
    pen.rect(x - s * 0.6, ground - s * 0.75, s * 1.0, s * 0.75, light_stone)
    pen.poly(
        [
            (x - s * 0.66, ground - s * 0.75),
            (x - s * 0.1, ground - s * 1.05),
            (x + s * 0.46, ground - s * 0.75),
        ],
        pal.roof,
    )
    pen.circle(
        x - s * 0.1,
        ground - s * 0.86,
        s * 0.07,
        "#7a4fa0" if pen.light.windows_lit < 0.5 else "#ffd27a",
        glow=pen.light.windows_lit >= 0.5,
    )
    # portico: pediment, entablature, six columns, steps
    pen.poly(
        [
            (x - s * 0.62, ground - s * 0.58),
            (x - s * 0.1, ground - s * 0.76),
            (x + s * 0.42, ground - s * 0.58),
        ],
        light_stone,
    )
    pen.poly(
        [
            (x - s * 0.52, ground - s * 0.6),
            (x - s * 0.1, ground - s * 0.72),
            (x + s * 0.32, ground - s * 0.6),
        ],
        shade(stone, 0.85),
    )
    pen.rect(x - s * 0.62, ground - s * 0.58, s * 1.04, s * 0.06, light_stone)
    for k in range(6):
        cx = x - s * 0.56 + k * s * 0.184
        pen.rect(cx, ground - s * 0.52, s * 0.06, s * 0.44, light_stone)
        pen.rect(cx + s * 0.04, ground - s * 0.52, s * 0.02, s * 0.44, shade(stone, 0.8))
    pen.path(arch_path(x - s * 0.16, ground - s * 0.4, s * 0.12, s * 0.32), "#3a2a22")
    for k in range(3):
        pen.rect(
            x - s * (0.68 + 0.04 * k),
            ground - s * (0.08 - 0.027 * k),
            s * (1.16 + 0.08 * k),
            s * 0.027,
            shade(stone, 0.95 - 0.05 * k),
        )


def mosque(pen: Pen, pal: Palette, x: float, ground: float, s: float) -> None:
    """A domed mosque with two minarets, pointed arches and a crescent finial."""
    wall = rgb(pal.wall)
    pen.shadow(x, ground, s * 1.8, s)
    for mx in (x - s * 0.78, x + s * 0.66):
        pen.rect(mx, ground - s * 1.45, s * 0.12, s * 1.45, wall)
        pen.rect(mx - s * 0.03, ground - s * 1.1, s * 0.18, s * 0.05, pal.primary)
        pen.rect(mx - s * 0.02, ground - s * 1.4, s * 0.16, s * 0.04, pal.primary)
        pen.poly(
            [
                (mx - s * 0.01, ground - s * 1.45),
                (mx + s * 0.06, ground - s * 1.62),
                (mx + s * 0.13, ground - s * 1.45),
            ],
            pal.accent,
        )
    pen.rect(x - s * 0.6, ground - s * 0.62, s * 1.2, s * 0.62, wall)
    dome = skia.Path()
    dome.moveTo(x - s * 0.36, ground - s * 0.62)
    dome.cubicTo(x - s * 0.44, ground - s * 1.0, x - s * 0.12, ground - s * 1.12, x, ground - s * 1.22)
    dome.cubicTo(
        x + s * 0.12, ground - s * 1.12, x + s * 0.44, ground - s * 1.0, x + s * 0.36, ground - s * 0.62
    )
    dome.close()
    pen.rect(x - s * 0.38, ground - s * 0.72, s * 0.76, s * 0.1, shade(wall, 0.9))
    pen.path(dome, pal.primary)
    pen.line(x, ground - s * 1.22, x, ground - s * 1.32, max(1.0, s * 0.012), pal.accent)
    pen.circle(x, ground - s * 1.36, s * 0.035, pal.accent)
    pen.circle(x + s * 0.015, ground - s * 1.37, s * 0.03, pal.primary)
    for k in range(5):
        ax = x - s * 0.52 + k * s * 0.22
        pen.path(
            arch_path(ax, ground - s * 0.42, s * 0.16, s * 0.42, pointed=True), shade(rgb(pal.primary), 0.55)
        )
    pen.rect(x - s * 0.6, ground - s * 0.6, s * 1.2, s * 0.04, pal.accent)


def pagoda(pen: Pen, pal: Palette, x: float, ground: float, s: float) -> None:
    """A five-storey pagoda: red posts, dark upturned roofs and a spire."""
    pen.shadow(x, ground, s * 1.0, s)
    y = ground
    w = s * 0.6
    pen.rect(x - w * 0.6, ground - s * 0.05, w * 1.2, s * 0.05, pal.stone)
    y -= s * 0.05
    for k in range(5):
        body = s * (0.22 if k == 0 else 0.16)
        pen.rect(x - w / 2, y - body, w, body, pal.primary)
        pen.rect(
            x - w * 0.15,
            y - body * 0.85,
            w * 0.3,
            body * 0.7,
            "#f3ead8" if pen.light.windows_lit < 0.5 else "#ffd27a",
            glow=pen.light.windows_lit >= 0.5,
        )
        y -= body
        pen.path(eave_roof(x - w / 2 - w * 0.05, y, w * 1.1, s * 0.1, flare=0.22), pal.roof)
        y -= s * 0.07
        w *= 0.82
    pen.line(x, y, x, y - s * 0.28, max(1.0, s * 0.02), pal.accent)
    for k in range(4):
        pen.ellipse(x, y - s * 0.05 - k * s * 0.05, s * 0.03, s * 0.01, pal.accent)


def mud_mosque(pen: Pen, pal: Palette, x: float, ground: float, s: float) -> None:
    """A Sahel mud-brick mosque: buttress towers topped with cones and protruding palm beams."""
    mud = rgb(pal.wall)
    pen.shadow(x, ground, s * 1.8, s)
    pen.poly(
        [
            (x - s * 0.8, ground),
            (x - s * 0.74, ground - s * 0.55),
            (x + s * 0.74, ground - s * 0.55),
            (x + s * 0.8, ground),
        ],
        mud,
    )
    for k, hgt in enumerate((0.85, 0.75, 1.15, 0.75, 0.85)):
        tx = x - s * 0.7 + k * s * 0.35
        tw = s * (0.18 if k == 2 else 0.12)
        pen.poly(
            [
                (tx - tw / 2, ground),
                (tx - tw * 0.4, ground - s * hgt),
                (tx + tw * 0.4, ground - s * hgt),
                (tx + tw / 2, ground),
            ],
            shade(mud, 1.05),
        )
        pen.poly(
            [
                (tx - tw * 0.4, ground - s * hgt),
                (tx, ground - s * (hgt + 0.12)),
                (tx + tw * 0.4, ground - s * hgt),
            ],
            shade(mud, 1.05),
        )
        pen.circle(tx, ground - s * (hgt + 0.13), s * 0.02, "#f4efe6")
        for r in range(int(hgt * 6)):
            yy = ground - s * (0.12 + r * 0.14)
            pen.line(tx - tw * 0.7, yy, tx + tw * 0.7, yy, max(1.0, s * 0.012), pal.wood)
    pen.path(arch_path(x - s * 0.08, ground - s * 0.36, s * 0.16, s * 0.36), shade(mud, 0.35))
    pen.rect(x - s * 0.8, ground - s * 0.08, s * 1.6, s * 0.03, pal.primary)


def temple_bell(pen: Pen, x: float, top: float, s: float, brass: str = "#d9a441") -> None:
    """A brass temple bell hanging on a chain from `top`."""
    pen.line(x, top, x, top + s * 0.8, max(1.0, s * 0.04), "#5b4630")
    bell = skia.Path()
    y = top + s * 0.8
    bell.moveTo(x - s * 0.12, y)
    bell.cubicTo(x - s * 0.2, y + s * 0.2, x - s * 0.18, y + s * 0.4, x - s * 0.32, y + s * 0.5)
    bell.lineTo(x + s * 0.32, y + s * 0.5)
    bell.cubicTo(x + s * 0.18, y + s * 0.4, x + s * 0.2, y + s * 0.2, x + s * 0.12, y)
    bell.close()
    pen.path(bell, brass)
    pen.rect(x - s * 0.32, y + s * 0.46, s * 0.64, s * 0.06, shade(rgb(brass), 0.75), r=s * 0.03)
    pen.circle(x, y + s * 0.56, s * 0.06, shade(rgb(brass), 0.6))
    pen.line(
        x - s * 0.08,
        y + s * 0.08,
        x - s * 0.14,
        y + s * 0.4,
        max(1.0, s * 0.04),
        shade(rgb(brass), 1.35),
        0.8,
    )


LANDMARKS = {
    "indian": shikhara,
    "western": church,
    "middle_eastern": mosque,
    "east_asian": pagoda,
    "african": mud_mosque,
}

LANDMARK_HEIGHT = {
    "indian": 1.62,
    "western": 1.8,
    "middle_eastern": 1.62,
    "east_asian": 1.6,
    "african": 1.3,
}
"""Height of each landmark above its ground line, in units of its size argument."""
