"""Colour arithmetic for the drawn cast: parse hex, shade, tint and derive accent colours."""

from __future__ import annotations

import colorsys

RGB = tuple[int, int, int]


class InvalidColour(ValueError):
    """A look names a colour that is not `#rrggbb`."""


def parse_hex(value: str) -> RGB:
    """`#rrggbb` (or `rrggbb`, or `#rgb`) to an RGB triple."""
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise InvalidColour(f"colour {value!r} is not a hex colour like '#c68642'")
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError as exc:
        raise InvalidColour(f"colour {value!r} is not a hex colour like '#c68642'") from exc


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend from a (t=0) to b (t=1)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(rgb: RGB, amount: float) -> RGB:
    """Darken towards black by `amount` in [0, 1]."""
    return mix(rgb, (0, 0, 0), amount)


def tint(rgb: RGB, amount: float) -> RGB:
    """Lighten towards white by `amount` in [0, 1]."""
    return mix(rgb, (255, 255, 255), amount)


def luminance(rgb: RGB) -> float:
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255.0


def rotate_hue(rgb: RGB, degrees: float, saturation: float | None = None, value: float | None = None) -> RGB:
    """The same colour with its hue turned; optionally with a set saturation and value."""
    h, s, v = colorsys.rgb_to_hsv(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)
    h = (h + degrees / 360.0) % 1.0
    s = s if saturation is None else saturation
    v = v if value is None else value
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return (round(r * 255), round(g * 255), round(b * 255))


def accent(rgb: RGB) -> RGB:
    """A contrasting trim colour (borders, obi, collar) that stays readable on the main colour."""
    if luminance(rgb) > 0.8:  # white robes get a gold trim
        return (201, 162, 39)
    _, s, v = colorsys.rgb_to_hsv(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)
    if s < 0.15:  # greys and blacks: a muted jewel tone reads as trim
        return (176, 58, 72) if v < 0.5 else (44, 84, 140)
    # An analogous hue in a contrasting lightness stays harmonious (no neon complements).
    return rotate_hue(rgb, 40, saturation=min(s, 0.6), value=0.88 if luminance(rgb) < 0.45 else 0.42)


def line_colour(skin: RGB) -> RGB:
    """Outline and facial-line colour that suits a skin tone."""
    return shade(mix(skin, (60, 25, 20), 0.5), 0.45)
