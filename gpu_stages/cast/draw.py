"""Draw one character's full sprite set: a body per expression, a mouth per viseme, a blink layer."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageFilter

from gpu_stages.cast.attire import ATTIRE_ALIASES, ATTIRES, palette_for
from gpu_stages.cast.canvas import Canvas
from gpu_stages.cast.colors import RGB, line_colour, parse_hex, shade
from gpu_stages.cast.face import (
    EXPRESSIONS,
    draw_blink,
    draw_brows,
    draw_eyes,
    draw_face_details,
    draw_glasses,
    draw_head,
    draw_neck,
)
from gpu_stages.cast.figure import WIDTH_UNITS, Figure, figure_for
from gpu_stages.cast.hair import (
    HAIR_STYLES,
    draw_hair_back,
    draw_hair_front,
    draw_headwear_back,
    draw_headwear_front,
    hijab_face,
)
from gpu_stages.cast.mouths import VISEMES, draw_mouth
from schemas.media import CharacterLook

GHUTRA = (248, 248, 246)


class UnknownAttire(ValueError):
    """A look names an attire or hair style the drawer does not know."""


@dataclass(frozen=True)
class DrawnCharacter:
    """The images of one character, before they are stored as artifacts."""

    bodies: dict[str, Image.Image]
    mouths: dict[str, Image.Image]
    blink: Image.Image
    size: tuple[int, int]
    mouth_anchor: tuple[int, int]
    """Mouth layers go at (anchor_x - w // 2, anchor_y - h // 2)."""


def attire_name(attire: str) -> str:
    """The canonical attire name, or `UnknownAttire` saying which names exist."""
    key = attire.strip().lower()
    key = ATTIRE_ALIASES.get(key, key)
    if key not in ATTIRES:
        raise UnknownAttire(f"unknown attire {attire!r}; choose one of {', '.join(sorted(ATTIRES))}")
    return key


def sprite_size(height: int) -> tuple[int, int]:
    return (round(height * WIDTH_UNITS / 100), height)


def draw_character(
    look: CharacterLook, height: int = 600, supersample: int = 3, *, outline: bool = True
) -> DrawnCharacter:
    """Render every layer of a look; the same look always gives the same pixels."""
    if look.hair not in HAIR_STYLES:
        raise UnknownAttire(f"unknown hair style {look.hair!r}; choose one of {', '.join(HAIR_STYLES)}")
    attire = ATTIRES[attire_name(look.attire)]
    fig = figure_for(look.age, look.gender)
    skin, hair, main = parse_hex(look.skin_tone), parse_hex(look.hair_color), parse_hex(look.attire_color)
    headwear = attire.headwear
    if headwear == "ghutra" and fig.age == "child":
        headwear = None
    female = look.gender == "female"
    senior = look.age == "senior"
    size = sprite_size(height)

    base = Canvas(size, supersample)
    if headwear is None:
        draw_hair_back(base, fig, look.hair, hair)
    elif headwear == "turban":
        draw_hair_back(base, fig, "short", hair)
    draw_neck(base, fig, skin)
    attire.draw(base, fig, palette_for(main, skin))
    if headwear == "hijab":
        cloth = shade(main, 0.1) if attire_name(look.attire) == "abaya" else main
        draw_headwear_back(base, fig, "hijab", cloth)
        draw_headwear_front(base, fig, "hijab", cloth)
        base.polygon(hijab_face(fig), skin)
    elif headwear == "ghutra":
        draw_headwear_back(base, fig, "ghutra", GHUTRA)
        draw_head(base, fig, skin, ears=False)
    else:
        draw_head(base, fig, skin)
    draw_face_details(base, fig, skin, senior=senior)
    if headwear == "turban" and not female:
        _beard(base, fig, hair)
    if headwear is None:
        draw_hair_front(base, fig, look.hair, hair, female=female)
    elif headwear in ("turban", "ghutra"):
        draw_headwear_front(base, fig, headwear, main if headwear == "turban" else GHUTRA)

    ink = line_colour(skin)
    bodies: dict[str, Image.Image] = {}
    for expression in EXPRESSIONS:
        layer = base.copy()
        draw_eyes(layer, fig, skin, expression, lashes=female)
        draw_brows(layer, fig, hair, expression)
        if senior:
            draw_glasses(layer, fig)
        image = layer.finish()
        bodies[expression] = _with_outline(image, ink) if outline else image

    blink = Canvas(size, supersample)
    draw_blink(blink, fig, skin, lashes=female, glasses=senior)

    mouths, anchor = _mouth_layers(fig, skin, height, supersample, female=female)
    return DrawnCharacter(bodies=bodies, mouths=mouths, blink=blink.finish(), size=size, mouth_anchor=anchor)


def _beard(c: Canvas, fig: Figure, hair: RGB) -> None:
    cx, cy, rx, ry = fig.head_cx, fig.head_cy, fig.head_rx, fig.head_ry
    beard = shade(hair, 0.05)
    c.polygon(
        [
            (cx - rx * 0.95, cy + ry * 0.15),
            (cx - rx * 0.7, cy + ry * 0.75),
            (cx - rx * 0.3, cy + ry * 1.08),
            (cx, cy + ry * 1.16),
            (cx + rx * 0.3, cy + ry * 1.08),
            (cx + rx * 0.7, cy + ry * 0.75),
            (cx + rx * 0.95, cy + ry * 0.15),
            (cx + rx * 0.72, cy + ry * 0.5),
            (cx + rx * 0.35, cy + ry * 0.55),
            (cx, cy + ry * 0.52),
            (cx - rx * 0.35, cy + ry * 0.55),
            (cx - rx * 0.72, cy + ry * 0.5),
        ],
        beard,
    )


def _mouth_layers(
    fig: Figure, skin: RGB, height: int, supersample: int, *, female: bool
) -> tuple[dict[str, Image.Image], tuple[int, int]]:
    per_unit = height / 100
    anchor = (round(fig.head_cx * per_unit), round(fig.mouth_y * per_unit))
    w = max(8, round(fig.mouth_width * 2.4 * per_unit)) // 2 * 2
    h = max(8, round(fig.mouth_width * 2.0 * per_unit)) // 2 * 2
    # The layer's top-left pixel sits at anchor - (w//2, h//2), so its units origin is that pixel.
    origin = ((anchor[0] - w // 2) / per_unit, (anchor[1] - h // 2) / per_unit)
    mouths: dict[str, Image.Image] = {}
    for viseme in VISEMES:
        c = Canvas((w, h), supersample, origin=origin, units_tall=h / per_unit)
        # The opening hangs below the lip line, so the drawn centre sits a little above the anchor.
        draw_mouth(
            c,
            (fig.head_cx, fig.mouth_y - fig.mouth_width * 0.25),
            viseme,
            skin,
            fig.mouth_width,
            female=female,
        )
        mouths[viseme] = c.finish()
    return mouths, anchor


def _with_outline(image: Image.Image, ink: RGB) -> Image.Image:
    """A thin dark outline around the silhouette so a character reads on any backdrop."""
    alpha = image.getchannel("A")
    grown = alpha.filter(ImageFilter.MaxFilter(3))
    ring = Image.new("RGBA", image.size, (*ink, 255))
    ring.putalpha(grown)
    return Image.alpha_composite(ring, image)
