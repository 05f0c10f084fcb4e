"""Garments: each attire draws legs, torso and arms of a figure in its colours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gpu_stages.cast.canvas import Canvas, Point, arc, bezier
from gpu_stages.cast.colors import RGB, accent, mix, rotate_hue, shade, tint
from gpu_stages.cast.figure import Figure

GOLD = (212, 164, 40)
WHITE_CLOTH = (246, 244, 238)
CREAM = (240, 232, 210)


@dataclass(frozen=True)
class Palette:
    """Colours one outfit uses: main, trim, a second garment colour, skin."""

    main: RGB
    trim: RGB
    second: RGB
    skin: RGB


def palette_for(main: RGB, skin: RGB) -> Palette:
    return Palette(
        main=main, trim=accent(main), second=rotate_hue(main, 200, saturation=0.35, value=0.35), skin=skin
    )


# --- parts ----------------------------------------------------------------------------------------


def _arm_path(fig: Figure, side: int) -> list[Point]:
    cx = fig.head_cx
    top = (cx + side * (fig.shoulder_half - fig.arm_width * 0.45), fig.shoulder_y + fig.arm_width * 0.45)
    wrist_x = cx + side * (max(fig.shoulder_half, fig.hip_half + fig.arm_width * 0.5) + 0.4)
    elbow = (cx + side * (fig.shoulder_half + 0.35), (top[1] + fig.wrist_y) / 2)
    return [top, elbow, (wrist_x, fig.wrist_y)]


def _along(path: list[Point], t: float) -> list[Point]:
    """The first fraction `t` of a two-segment polyline."""
    (x0, y0), (x1, y1), (x2, y2) = path
    if t <= 0.5:
        u = t / 0.5
        return [(x0, y0), (x0 + (x1 - x0) * u, y0 + (y1 - y0) * u)]
    u = (t - 0.5) / 0.5
    return [(x0, y0), (x1, y1), (x1 + (x2 - x1) * u, y1 + (y2 - y1) * u)]


def arms(
    c: Canvas,
    fig: Figure,
    sleeve: RGB,
    skin: RGB,
    sleeve_len: float,
    *,
    wide: float = 0.0,
    cuff: RGB | None = None,
) -> None:
    """Both arms hanging relaxed; `sleeve_len` is the covered fraction (0 bare, 1 to the wrist)."""
    for side in (-1, 1):
        path = _arm_path(fig, side)
        c.line(path, shade(skin, 0.25), fig.arm_width * 0.86 + 0.35)
        c.line(path, skin, fig.arm_width * 0.86)
        hand = (path[-1][0] + side * 0.1, path[-1][1] + fig.hand_r * 0.9)
        c.circle(hand, fig.hand_r + 0.18, shade(skin, 0.25))
        c.circle(hand, fig.hand_r, skin)
        if sleeve_len > 0:
            part = _along(path, sleeve_len)
            sleeve_w = fig.arm_width + wide
            c.circle(part[0], (sleeve_w + 0.35) / 2, shade(sleeve, 0.3))
            c.line(part, shade(sleeve, 0.3), sleeve_w + 0.35, caps=False)
            c.circle(part[0], sleeve_w / 2, sleeve)
            c.line(part, sleeve, sleeve_w, caps=False)
            if cuff is not None:
                (ax, ay), (bx, by) = part[-2], part[-1]
                length = max(1e-6, ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5)
                back = (bx - (bx - ax) / length * 0.8, by - (by - ay) / length * 0.8)
                c.line([back, (bx, by)], cuff, sleeve_w, caps=False)


def torso(fig: Figure, hem_y: float, hem_half: float) -> list[Point]:
    """Outline of an upper garment from the shoulders to a hem."""
    cx, sy = fig.head_cx, fig.shoulder_y
    sh = fig.shoulder_half
    left = [
        (cx - fig.neck_half * 1.2, sy - 0.9),
        *bezier(
            (cx - fig.neck_half * 1.2, sy - 0.9), (cx - sh * 0.9, sy - 0.8), (cx - sh, sy + 2.2), steps=8
        ),
        (cx - sh + 0.4, fig.chest_y),
        (cx - fig.waist_half, fig.waist_y),
        (cx - max(fig.waist_half, min(hem_half, fig.hip_half)), min(hem_y, fig.hip_y)),
        (cx - hem_half, hem_y),
    ]
    right = [(2 * cx - x, y) for x, y in reversed(left)]
    return left + right


def skirt(c: Canvas, fig: Figure, colour: RGB, top_y: float, hem_y: float, hem_half: float) -> None:
    cx = fig.head_cx
    c.polygon(
        [
            (cx - fig.waist_half, top_y),
            (cx + fig.waist_half, top_y),
            (cx + fig.hip_half, fig.hip_y),
            (cx + hem_half, hem_y),
            *bezier((cx + hem_half, hem_y), (cx, hem_y + 1.2), (cx - hem_half, hem_y), steps=10),
            (cx - fig.hip_half, fig.hip_y),
        ],
        colour,
    )


def legs(c: Canvas, fig: Figure, colour: RGB, top_y: float, bottom_y: float, *, width: float = 1.0) -> None:
    """Two legs (trousers, or skin when bare) from `top_y` down to `bottom_y`."""
    cx = fig.head_cx
    half = fig.hip_half * width
    c.polygon(
        [
            (cx - half, top_y),
            (cx + half, top_y),
            (cx + half * 0.92, bottom_y),
            (cx + 0.5, bottom_y),
            (cx + 0.4, fig.crotch_y),
            (cx - 0.4, fig.crotch_y),
            (cx - 0.5, bottom_y),
            (cx - half * 0.92, bottom_y),
        ],
        colour,
    )
    c.line([(cx, fig.crotch_y), (cx, bottom_y)], shade(colour, 0.25), 0.3)


def shoes(c: Canvas, fig: Figure, colour: RGB, *, sandal_skin: RGB | None = None) -> None:
    cx = fig.head_cx
    for side in (-1, 1):
        x = cx + side * fig.hip_half * 0.5
        if sandal_skin is not None:
            c.ellipse((x + side * 0.6, fig.feet_y - 1.0), 2.6, 1.1, sandal_skin)
            c.rect(
                (x - 2.4 + side * 0.6, fig.feet_y - 0.4),
                (x + 2.6 + side * 0.6, fig.feet_y + 0.2),
                colour,
                0.3,
            )
        else:
            c.polygon(
                [
                    *arc((x + side * 0.7, fig.feet_y - 0.4), 2.8, 1.8, 180, 360, steps=12),
                    (x + side * 0.7 + 2.8, fig.feet_y + 0.3),
                    (x + side * 0.7 - 2.8, fig.feet_y + 0.3),
                ],
                colour,
            )


def bare_legs(c: Canvas, fig: Figure, skin: RGB, top_y: float) -> None:
    cx = fig.head_cx
    for side in (-1, 1):
        x = cx + side * fig.hip_half * 0.48
        c.rect((x - 1.6, top_y), (x + 1.6, fig.feet_y - 0.5), skin, 0.5)


def collar_v(c: Canvas, fig: Figure, colour: RGB, depth: float) -> None:
    cx, sy = fig.head_cx, fig.shoulder_y
    c.polygon(
        [(cx - fig.neck_half * 1.15, sy - 0.9), (cx + fig.neck_half * 1.15, sy - 0.9), (cx, sy + depth)],
        colour,
    )


def buttons(c: Canvas, fig: Figure, colour: RGB, y0: float, y1: float, n: int) -> None:
    for i in range(n):
        c.circle((fig.head_cx + 0.1, y0 + (y1 - y0) * i / max(1, n - 1)), 0.32, colour)


# --- garments -------------------------------------------------------------------------------------


def shirt(c: Canvas, fig: Figure, p: Palette) -> None:
    trousers = (58, 66, 86) if p.main[2] < 150 else (120, 98, 72)
    legs(c, fig, trousers, fig.waist_y, fig.ankle_y + 1.5)
    shoes(c, fig, (92, 58, 40))
    c.polygon(torso(fig, fig.hip_y + 1.5, fig.hip_half + 0.4), p.main)
    collar_v(c, fig, p.skin, 3.2)
    cx, sy = fig.head_cx, fig.shoulder_y
    collar = tint(p.main, 0.55)
    for side in (-1, 1):
        c.polygon(
            [
                (cx + side * fig.neck_half * 1.25, sy - 1.1),
                (cx + side * 0.3, sy + 3.0),
                (cx + side * (fig.neck_half + 2.0), sy + 1.2),
            ],
            collar,
        )
    c.line([(cx, sy + 3.2), (cx, fig.hip_y + 1.2)], shade(p.main, 0.2), 0.25)
    buttons(c, fig, tint(p.main, 0.6), sy + 5, fig.hip_y - 1, 4)
    arms(c, fig, p.main, p.skin, 0.92, cuff=shade(p.main, 0.12))


def tshirt(c: Canvas, fig: Figure, p: Palette) -> None:
    legs(c, fig, (70, 104, 160), fig.waist_y, fig.ankle_y + 1.5)
    shoes(c, fig, (245, 245, 245))
    c.polygon(torso(fig, fig.hip_y + 1.0, fig.hip_half + 0.3), p.main)
    c.polygon(arc((fig.head_cx, fig.shoulder_y - 0.9), fig.neck_half * 1.2, 2.0, 0, 180, steps=12), p.skin)
    c.line(
        arc((fig.head_cx, fig.shoulder_y - 0.9), fig.neck_half * 1.2, 2.0, 0, 180, steps=12),
        shade(p.main, 0.25),
        0.4,
    )
    c.circle((fig.head_cx + fig.shoulder_half * 0.45, fig.chest_y + 1.5), 1.6, tint(p.main, 0.45))
    arms(c, fig, p.main, p.skin, 0.3, wide=0.6)


def suit(c: Canvas, fig: Figure, p: Palette) -> None:
    legs(c, fig, p.main, fig.waist_y, fig.ankle_y + 1.5)
    shoes(c, fig, (30, 28, 30))
    c.polygon(torso(fig, fig.hip_y + 2.5, fig.hip_half + 0.6), p.main)
    cx, sy = fig.head_cx, fig.shoulder_y
    c.polygon(
        [
            (cx - fig.neck_half * 1.15, sy - 0.9),
            (cx + fig.neck_half * 1.15, sy - 0.9),
            (cx + 2.2, fig.chest_y + 3),
            (cx - 2.2, fig.chest_y + 3),
        ],
        WHITE_CLOTH,
    )
    c.polygon(
        [
            (cx - 0.55, sy + 0.6),
            (cx + 0.55, sy + 0.6),
            (cx + 0.9, fig.chest_y + 2),
            (cx, fig.chest_y + 3.3),
            (cx - 0.9, fig.chest_y + 2),
        ],
        p.trim,
    )
    c.polygon(
        [(cx - 0.7, sy - 0.4), (cx + 0.7, sy - 0.4), (cx + 0.5, sy + 0.8), (cx - 0.5, sy + 0.8)],
        shade(p.trim, 0.2),
    )
    lapel = shade(p.main, 0.22)
    for side in (-1, 1):
        c.polygon(
            [
                (cx + side * fig.neck_half * 1.2, sy - 0.9),
                (cx + side * 2.3, fig.chest_y + 3.2),
                (cx + side * (fig.neck_half + 2.4), fig.chest_y - 1.0),
                (cx + side * (fig.neck_half + 1.2), sy + 1.0),
            ],
            lapel,
        )
    c.line([(cx + 2.2, fig.chest_y + 3), (cx - 0.6, fig.hip_y + 2.5)], shade(p.main, 0.35), 0.25)
    buttons(c, fig, shade(p.main, 0.45), fig.waist_y - 1.5, fig.waist_y + 1.5, 2)
    arms(c, fig, p.main, p.skin, 0.95, cuff=WHITE_CLOTH)


def dress(c: Canvas, fig: Figure, p: Palette) -> None:
    hem = fig.knee_y + (1.5 if fig.age != "child" else -1.0)
    bare_legs(c, fig, p.skin, fig.hip_y)
    shoes(c, fig, shade(p.trim, 0.2))
    skirt(c, fig, p.main, fig.waist_y, hem, fig.hip_half + 3.8)
    for k in (-2, 0, 2):
        c.line(
            [(fig.head_cx + k * 1.2, fig.hip_y + 2), (fig.head_cx + k * 2.2, hem - 0.3)],
            shade(p.main, 0.12),
            0.3,
        )
    c.polygon(torso(fig, fig.waist_y + 0.5, fig.waist_half), p.main)
    c.polygon(arc((fig.head_cx, fig.shoulder_y - 0.9), fig.neck_half * 1.5, 2.6, 0, 180, steps=12), p.skin)
    c.rect(
        (fig.head_cx - fig.waist_half, fig.waist_y - 0.6),
        (fig.head_cx + fig.waist_half, fig.waist_y + 0.6),
        p.trim,
    )
    arms(c, fig, tint(p.main, 0.1), p.skin, 0.25, wide=1.0)


def sari(c: Canvas, fig: Figure, p: Palette) -> None:
    cx = fig.head_cx
    blouse = shade(mix(GOLD, p.main, 0.2), 0.05)
    shoes(c, fig, GOLD, sandal_skin=p.skin)
    skirt(c, fig, p.main, fig.waist_y, fig.feet_y - 1.2, fig.hip_half + 1.6)
    c.rect((cx - fig.hip_half - 1.6, fig.feet_y - 2.6), (cx + fig.hip_half + 1.6, fig.feet_y - 1.2), GOLD)
    for k in range(5):  # the front pleats fan out from the waist tuck
        x0 = cx - 2.6 + k * 1.1
        c.line([(x0, fig.hip_y), (cx - 4.0 + k * 2.0, fig.feet_y - 2.6)], shade(p.main, 0.16), 0.3)
    c.polygon(torso(fig, fig.waist_y - 2.0, fig.waist_half), blouse)
    c.rect(
        (cx - fig.waist_half + 0.2, fig.waist_y - 2.3), (cx + fig.waist_half - 0.2, fig.waist_y + 0.4), p.skin
    )
    c.polygon(arc((cx, fig.shoulder_y - 0.9), fig.neck_half * 1.4, 2.4, 0, 180, steps=12), p.skin)
    arms(c, fig, blouse, p.skin, 0.28)
    # The pallu: from the waist across the chest, over the left shoulder (viewer's right), hanging behind.
    sh = fig.shoulder_half
    band = [
        (cx - fig.waist_half - 0.3, fig.waist_y + 1.0),
        (cx - fig.waist_half + 3.2, fig.waist_y + 1.8),
        (cx + sh + 0.6, fig.shoulder_y + 1.6),
        (cx + sh - 3.2, fig.shoulder_y - 0.8),
    ]
    c.polygon(band, p.main)
    c.line([band[0], band[3]], GOLD, 0.75)
    c.line([band[1], band[2]], GOLD, 0.75)
    hang = [
        (cx + sh - 1.0, fig.shoulder_y - 0.4),
        (cx + sh + 1.5, fig.shoulder_y + 1.2),
        (cx + sh + 2.6, fig.hip_y + 4.0),
        (cx + sh - 0.2, fig.hip_y + 4.6),
    ]
    c.polygon(hang, shade(p.main, 0.06))
    c.line([hang[2], hang[3]], GOLD, 0.9)
    c.line([hang[1], hang[2]], GOLD, 0.5)


def kurta(c: Canvas, fig: Figure, p: Palette, *, long: bool = True) -> None:
    cx, sy = fig.head_cx, fig.shoulder_y
    hem = fig.knee_y - 1.0 if long else fig.hip_y + 3.0
    legs(c, fig, CREAM, fig.waist_y, fig.ankle_y + 1.3, width=0.85)
    shoes(c, fig, (120, 72, 40), sandal_skin=p.skin)
    c.polygon(torso(fig, hem, fig.hip_half + 1.2), p.main)
    for side in (-1, 1):  # side slits show the trousers
        x = cx + side * (fig.hip_half + 1.2)
        c.polygon([(x, hem), (x - side * 0.1, hem - 4.0), (x - side * 1.6, hem)], CREAM)
    c.rect((cx - fig.neck_half * 1.15, sy - 1.6), (cx + fig.neck_half * 1.15, sy), shade(p.main, 0.12), 0.4)
    c.rect((cx - 0.75, sy), (cx + 0.75, fig.chest_y + 1.5), p.trim, 0.2)
    buttons(c, fig, tint(p.trim, 0.5), sy + 1.0, fig.chest_y + 0.7, 3)
    c.rect((cx - fig.hip_half - 1.0, hem - 1.0), (cx + fig.hip_half + 1.0, hem - 0.4), p.trim)
    arms(c, fig, p.main, p.skin, 0.9 if long else 0.45, cuff=p.trim)


def dhoti(c: Canvas, fig: Figure, p: Palette) -> None:
    cx = fig.head_cx
    bottom = fig.ankle_y - 0.5
    bare_legs(c, fig, p.skin, fig.knee_y)
    shoes(c, fig, (120, 72, 40), sandal_skin=p.skin)
    # Wrapped cloth: full over the hips, split between the legs from the knee down.
    c.polygon(
        [
            (cx - fig.waist_half, fig.waist_y),
            (cx + fig.waist_half, fig.waist_y),
            (cx + fig.hip_half + 1.2, fig.hip_y + 2),
            (cx + fig.hip_half + 0.6, bottom),
            (cx + 1.0, bottom),
            (cx + 0.4, fig.knee_y - 1.0),
            (cx - 0.4, fig.knee_y - 1.0),
            (cx - 1.0, bottom),
            (cx - fig.hip_half - 0.6, bottom),
            (cx - fig.hip_half - 1.2, fig.hip_y + 2),
        ],
        CREAM,
    )
    fold = shade(CREAM, 0.16)
    c.line(
        bezier((cx - 0.3, fig.waist_y + 1), (cx - 1.6, fig.crotch_y), (cx - 0.2, fig.knee_y - 1.0), steps=10),
        fold,
        0.35,
    )
    c.line(
        bezier((cx + 0.6, fig.waist_y + 1), (cx + 2.8, fig.crotch_y + 2), (cx + 1.0, bottom - 0.5), steps=10),
        fold,
        0.3,
    )
    c.line(
        bezier(
            (cx - fig.hip_half, fig.hip_y + 3), (cx - 2.5, fig.crotch_y + 3), (cx - 1.0, bottom), steps=10
        ),
        fold,
        0.3,
    )
    for x0, x1 in ((cx - fig.hip_half - 0.6, cx - 1.0), (cx + 1.0, cx + fig.hip_half + 0.6)):
        c.rect((x0, bottom - 1.0), (x1, bottom), GOLD)
    kurta_top = fig.hip_y + 1.0
    c.polygon(torso(fig, kurta_top, fig.hip_half + 0.6), p.main)
    sy = fig.shoulder_y
    c.rect((cx - fig.neck_half * 1.15, sy - 1.5), (cx + fig.neck_half * 1.15, sy), shade(p.main, 0.12), 0.4)
    buttons(c, fig, tint(p.main, 0.55), sy + 1.0, fig.chest_y, 3)
    # An angavastram (shoulder cloth) over one shoulder.
    c.polygon(
        [
            (cx - fig.shoulder_half + 0.2, fig.shoulder_y - 0.6),
            (cx - fig.shoulder_half + 3.6, fig.shoulder_y - 0.6),
            (cx - fig.shoulder_half + 3.0, fig.waist_y + 3.0),
            (cx - fig.shoulder_half + 0.6, fig.waist_y + 3.0),
        ],
        (196, 96, 36),
    )
    c.line(
        [
            (cx - fig.shoulder_half + 0.6, fig.waist_y + 2.6),
            (cx - fig.shoulder_half + 3.0, fig.waist_y + 2.6),
        ],
        GOLD,
        0.6,
    )
    arms(c, fig, p.main, p.skin, 0.4)


def kimono(c: Canvas, fig: Figure, p: Palette) -> None:
    cx, sy = fig.head_cx, fig.shoulder_y
    shoes(c, fig, (250, 250, 250), sandal_skin=(250, 250, 250))
    c.polygon(torso(fig, fig.feet_y - 1.6, fig.hip_half + 0.4), p.main)
    for i, (fx, fy) in enumerate(((-4, 62), (3, 70), (-2, 80), (5, 86), (-5, 90), (1, 57))):
        y = fig.waist_y + (fy - 50) * (fig.feet_y - fig.waist_y) / 48
        if y < fig.feet_y - 3:
            c.circle((cx + fx * fig.hip_half / 8, y), 0.9 + 0.2 * (i % 2), tint(p.main, 0.35))
    # Left panel over right: the overlap line runs from the viewer's left collar to the right hip.
    c.line([(cx - fig.neck_half, sy), (cx + fig.hip_half * 0.5, fig.feet_y - 1.8)], shade(p.main, 0.25), 0.3)
    c.polygon(
        [(cx - fig.neck_half * 1.1, sy - 0.9), (cx + fig.neck_half * 1.1, sy - 0.9), (cx + 0.2, fig.chest_y)],
        WHITE_CLOTH,
    )
    c.line([(cx + fig.neck_half * 1.1, sy - 0.9), (cx - 0.5, fig.chest_y - 0.3)], tint(p.trim, 0.5), 1.0)
    c.line([(cx - fig.neck_half * 1.1, sy - 0.9), (cx + 2.2, fig.waist_y - 2.0)], tint(p.trim, 0.5), 1.2)
    c.rect(
        (cx - fig.waist_half - 0.6, fig.waist_y - 3.0), (cx + fig.waist_half + 0.6, fig.waist_y + 2.5), GOLD
    )
    c.line(
        [(cx - fig.waist_half - 0.6, fig.waist_y - 0.2), (cx + fig.waist_half + 0.6, fig.waist_y - 0.2)],
        p.trim,
        0.5,
    )
    # Wide hanging sleeves.
    for side in (-1, 1):
        x0 = cx + side * (fig.shoulder_half - 1.0)
        x1 = cx + side * (fig.shoulder_half + 2.6)
        c.polygon(
            [
                (x0, sy + 0.4),
                (x1, sy + 2.5),
                (x1 + side * 0.3, fig.wrist_y + 1.0),
                (x0 - side * 0.4, fig.wrist_y + 1.0),
            ],
            shade(p.main, 0.06),
        )
        c.circle(
            (cx + side * (fig.shoulder_half + 0.4), fig.wrist_y + 1.2 + fig.hand_r * 0.7), fig.hand_r, p.skin
        )


def thobe(c: Canvas, fig: Figure, p: Palette) -> None:
    cx, sy = fig.head_cx, fig.shoulder_y
    shoes(c, fig, (110, 80, 60), sandal_skin=p.skin)
    robe = p.main
    c.polygon(torso(fig, fig.feet_y - 2.4, fig.hip_half + 1.4), robe)
    c.line([(cx - 2.5, fig.hip_y + 6), (cx - 3.0, fig.feet_y - 3.0)], shade(robe, 0.08), 0.3)
    c.line([(cx + 2.5, fig.hip_y + 6), (cx + 3.0, fig.feet_y - 3.0)], shade(robe, 0.08), 0.3)
    c.rect((cx - fig.neck_half * 1.1, sy - 1.2), (cx + fig.neck_half * 1.1, sy + 0.1), shade(robe, 0.1), 0.5)
    c.line([(cx, sy), (cx, fig.chest_y + 2.0)], shade(robe, 0.18), 0.3)
    buttons(c, fig, shade(robe, 0.3), sy + 1.0, fig.chest_y + 1.5, 3)
    arms(c, fig, robe, p.skin, 0.95, cuff=shade(robe, 0.06))


def abaya(c: Canvas, fig: Figure, p: Palette) -> None:
    cx = fig.head_cx
    shoes(c, fig, (25, 25, 28))
    c.polygon(torso(fig, fig.feet_y - 1.2, fig.hip_half + 2.6), p.main)
    c.line([(cx, fig.chest_y), (cx, fig.feet_y - 1.4)], p.trim, 0.45)
    arms(c, fig, p.main, p.skin, 0.97, wide=1.4, cuff=p.trim)


def school_uniform(c: Canvas, fig: Figure, p: Palette) -> None:
    cx, sy = fig.head_cx, fig.shoulder_y
    if fig.gender == "female":
        bare_legs(c, fig, p.skin, fig.hip_y)
        for side in (-1, 1):
            x = cx + side * fig.hip_half * 0.48
            c.rect((x - 1.7, fig.knee_y + 1.5), (x + 1.7, fig.feet_y - 0.8), WHITE_CLOTH, 0.4)
        skirt(c, fig, p.main, fig.waist_y, fig.knee_y - 1.0, fig.hip_half + 2.4)
        for k in range(-3, 4):
            c.line([(cx + k * 1.1, fig.hip_y), (cx + k * 1.6, fig.knee_y - 1.2)], shade(p.main, 0.25), 0.25)
    else:
        legs(c, fig, p.main, fig.waist_y, fig.knee_y if fig.age == "child" else fig.ankle_y + 1.5)
        if fig.age == "child":
            bare_legs(c, fig, p.skin, fig.knee_y - 0.2)
    shoes(c, fig, (30, 28, 30))
    c.polygon(torso(fig, fig.waist_y + 1.0, fig.waist_half), WHITE_CLOTH)
    vest = shade(p.second, 0.2)
    c.polygon(torso(fig, fig.waist_y + 1.0, fig.waist_half)[3:-3], vest)
    collar_v(c, fig, WHITE_CLOTH, 6.0)
    c.polygon(
        [
            (cx - 0.5, sy + 0.4),
            (cx + 0.5, sy + 0.4),
            (cx + 0.8, sy + 5.5),
            (cx, sy + 6.6),
            (cx - 0.8, sy + 5.5),
        ],
        p.trim,
    )
    c.polygon(arc((cx, sy - 0.9), fig.neck_half * 1.1, 1.2, 0, 180, steps=10), p.skin)
    for side in (-1, 1):
        c.polygon(
            [
                (cx + side * fig.neck_half * 1.2, sy - 1.0),
                (cx + side * 0.4, sy + 1.2),
                (cx + side * (fig.neck_half + 1.6), sy + 1.0),
            ],
            tint(WHITE_CLOTH, 0.5),
        )
    arms(c, fig, WHITE_CLOTH, p.skin, 0.3, wide=0.5)


def hijab_outfit(c: Canvas, fig: Figure, p: Palette) -> None:
    tunic = tint(p.second, 0.25)
    cx = fig.head_cx
    shoes(c, fig, (60, 40, 36))
    skirt(c, fig, shade(p.second, 0.1), fig.waist_y, fig.feet_y - 1.0, fig.hip_half + 1.8)
    c.polygon(torso(fig, fig.knee_y - 2.0, fig.hip_half + 1.4), tunic)
    c.line([(cx, fig.chest_y - 2), (cx, fig.knee_y - 2.2)], shade(tunic, 0.18), 0.3)
    arms(c, fig, tunic, p.skin, 0.97, cuff=p.main)


def turban_outfit(c: Canvas, fig: Figure, p: Palette) -> None:
    second = Palette(main=tint(p.second, 0.55), trim=p.main, second=p.second, skin=p.skin)
    kurta(c, fig, second)


@dataclass(frozen=True)
class Attire:
    """A garment's drawing function and what it implies for the head."""

    draw: Callable[[Canvas, Figure, Palette], None]
    headwear: str | None = None


ATTIRES: dict[str, Attire] = {
    "shirt": Attire(shirt),
    "tshirt": Attire(tshirt),
    "suit": Attire(suit),
    "dress": Attire(dress),
    "sari": Attire(sari),
    "kurta": Attire(kurta),
    "dhoti": Attire(dhoti),
    "kimono": Attire(kimono),
    "thobe": Attire(thobe, headwear="ghutra"),
    "abaya": Attire(abaya, headwear="hijab"),
    "school_uniform": Attire(school_uniform),
    "hijab": Attire(hijab_outfit, headwear="hijab"),
    "turban": Attire(turban_outfit, headwear="turban"),
}
ATTIRE_ALIASES = {
    "t-shirt": "tshirt",
    "t_shirt": "tshirt",
    "uniform": "school_uniform",
    "school uniform": "school_uniform",
}
