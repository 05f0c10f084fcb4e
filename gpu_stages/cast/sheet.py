"""A contact sheet of drawn characters: a row of looks, then one character's expressions and mouths."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from gpu_stages.cast.draw import DrawnCharacter, draw_character
from schemas.media import CharacterLook

BACKGROUND = (226, 233, 240, 255)


def _with_mouth(drawn: DrawnCharacter, expression: str, viseme: str, blink: bool = False) -> Image.Image:
    body = drawn.bodies[expression].copy()
    mouth = drawn.mouths[viseme]
    ax, ay = drawn.mouth_anchor
    body.alpha_composite(mouth, (ax - mouth.width // 2, ay - mouth.height // 2))
    if blink:
        body.alpha_composite(drawn.blink)
    return body


def contact_sheet(looks: Sequence[CharacterLook], focus: CharacterLook, height: int = 300) -> Image.Image:
    """Row one: every look standing; row two: the focus look's faces per expression and per viseme."""
    cast = [draw_character(look, height, 3) for look in looks]
    w, h = cast[0].size
    star = draw_character(focus, height * 2, 3)
    sw, _ = star.size
    face_box = (int(sw * 0.27), int(height * 2 * 0.02), int(sw * 0.73), int(height * 2 * 0.25))
    faces = [_with_mouth(star, e, "rest") for e in star.bodies]
    faces.append(_with_mouth(star, "neutral", "rest", blink=True))
    faces += [_with_mouth(star, "neutral", v) for v in star.mouths]
    labels = [*star.bodies, "blink", *star.mouths]
    crops = [f.crop(face_box) for f in faces]
    fw, fh = crops[0].size
    per_row = max(1, (w * len(cast)) // fw)
    rows = (len(crops) + per_row - 1) // per_row
    sheet = Image.new("RGBA", (max(w * len(cast), fw * per_row), h + rows * (fh + 16)), BACKGROUND)
    for i, drawn in enumerate(cast):
        sheet.alpha_composite(_with_mouth(drawn, "neutral", "rest"), (i * w, 0))
    pen = ImageDraw.Draw(sheet)
    for i, (crop, label) in enumerate(zip(crops, labels, strict=True)):
        x, y = (i % per_row) * fw, h + (i // per_row) * (fh + 16)
        sheet.alpha_composite(crop, (x, y))
        pen.text((x + 4, y + fh + 2), label, fill=(40, 40, 60, 255))
    return sheet
