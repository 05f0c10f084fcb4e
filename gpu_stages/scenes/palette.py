"""Colours of a scene: a cultural palette and the light of a time of day."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.media import Culture, TimeOfDay

RGB = tuple[float, float, float]
"""A colour as three floats in [0, 1]."""


def rgb(hex_colour: str) -> RGB:
    """Parse '#rrggbb' into floats."""
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from a (t=0) to b (t=1)."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def shade(c: RGB, factor: float) -> RGB:
    """Darken (factor < 1) or lighten (factor > 1, towards white) a colour."""
    if factor <= 1:
        return (c[0] * factor, c[1] * factor, c[2] * factor)
    return mix(c, (1.0, 1.0, 1.0), min(1.0, factor - 1))


@dataclass(frozen=True)
class Palette:
    """Colours and architectural flavour of one culture."""

    culture: Culture
    primary: str  # the signature colour (saffron, brick, teal, lacquer red, ochre)
    secondary: str
    accent: str
    wall: str  # plaster of buildings and interior walls
    stone: str
    roof: str
    wood: str
    cloth: tuple[str, ...]  # awnings, flags, textiles
    ground: str  # earth, paving
    foliage: str


PALETTES: dict[Culture, Palette] = {
    "indian": Palette(
        "indian",
        "#f08a0c",
        "#f7b32b",
        "#17a398",
        "#f2d6a2",
        "#d9a066",
        "#b5562d",
        "#8a5230",
        ("#f08a0c", "#f7b32b", "#17a398", "#d6336c", "#b8322a"),
        "#c99a62",
        "#4f8a3c",
    ),
    "western": Palette(
        "western",
        "#a8553a",
        "#2f4b7c",
        "#e0b84a",
        "#ece3d0",
        "#b8b2a7",
        "#4a5568",
        "#7a5634",
        ("#2f4b7c", "#a8553a", "#e9e4d8", "#4f7b4a", "#c94f4f"),
        "#9a9a8e",
        "#4d7a3e",
    ),
    "middle_eastern": Palette(
        "middle_eastern",
        "#1c7c7d",
        "#e2c290",
        "#d4a63a",
        "#f1e6d2",
        "#d8b98a",
        "#c46a3c",
        "#8d5a34",
        ("#1c7c7d", "#c46a3c", "#d4a63a", "#7b2d3b", "#e2c290"),
        "#d9bc8c",
        "#6f8f4a",
    ),
    "east_asian": Palette(
        "east_asian",
        "#c0392b",
        "#222831",
        "#d9a441",
        "#f3ead8",
        "#a9a49a",
        "#343a46",
        "#7a4a28",
        ("#c0392b", "#222831", "#4e9f7d", "#d9a441", "#f3ead8"),
        "#a89f8c",
        "#4e8a5a",
    ),
    "african": Palette(
        "african",
        "#cc8a2e",
        "#8b4a2b",
        "#f2c12e",
        "#c98b58",
        "#a0704a",
        "#c9a25e",
        "#6b3f22",
        ("#f2c12e", "#2e8b57", "#c0392b", "#1b1b1b", "#cc8a2e"),
        "#b07a48",
        "#5b8a3a",
    ),
}


@dataclass(frozen=True)
class Light:
    """The light of a time of day: sky, sun or moon, and how it tints everything it falls on."""

    time: TimeOfDay
    sky_top: str
    sky_mid: str
    sky_bottom: str
    tint: RGB  # multiplied into every lit colour outdoors
    indoor_tint: RGB  # rooms keep some lamp light at night
    sun: str  # disc colour (the moon at night)
    sun_x: float  # fraction of the frame width
    sun_y: float  # fraction of the sky height, 0 = top
    shadow_alpha: float
    shadow_skew: float  # shadows lean away from the sun; long at dawn and dusk
    stars: bool = False
    windows_lit: float = 0.0  # share of windows glowing


LIGHTS: dict[TimeOfDay, Light] = {
    "dawn": Light(
        "dawn",
        "#41507f",
        "#c98aa0",
        "#f8c08e",
        (1.0, 0.88, 0.82),
        (0.97, 0.9, 0.86),
        "#fff1c9",
        0.22,
        0.78,
        0.22,
        -1.6,
        windows_lit=0.25,
    ),
    "day": Light(
        "day",
        "#3f8fdc",
        "#86c1ee",
        "#d4eef8",
        (1.0, 1.0, 1.0),
        (1.0, 1.0, 1.0),
        "#fffbe6",
        0.72,
        0.16,
        0.28,
        0.35,
    ),
    "dusk": Light(
        "dusk",
        "#2b2a5c",
        "#b8557a",
        "#ffb15e",
        (0.92, 0.74, 0.66),
        (0.92, 0.82, 0.74),
        "#ffd08a",
        0.8,
        0.8,
        0.25,
        1.6,
        windows_lit=0.5,
    ),
    "night": Light(
        "night",
        "#070b22",
        "#15204a",
        "#2c3a6b",
        (0.3, 0.35, 0.55),
        (0.45, 0.42, 0.45),
        "#f4f1dc",
        0.76,
        0.2,
        0.12,
        0.0,
        stars=True,
        windows_lit=0.7,
    ),
}
