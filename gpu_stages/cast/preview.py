"""A character's preview picture for the cast editor: the neutral sprite with its resting mouth, as a PNG."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import Image

from gpu_stages.cast.draw import draw_character
from gpu_stages.cast.photo import sprites_from_photo
from gpu_stages.contract import LocalArtifactStore
from schemas.media import CharacterLook

BACKGROUND = (226, 233, 240, 255)


def _png(image: Image.Image) -> bytes:
    framed = Image.new("RGBA", image.size, BACKGROUND)
    framed.alpha_composite(image)
    buffer = io.BytesIO()
    framed.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _with_mouth(body: Image.Image, mouth: Image.Image, anchor: tuple[int, int]) -> Image.Image:
    out = body.copy()
    out.alpha_composite(mouth, (anchor[0] - mouth.width // 2, anchor[1] - mouth.height // 2))
    return out


def preview_png(look: CharacterLook, photo: bytes | None = None, height: int = 400) -> bytes:
    """The drawn look (or the photo's portrait sprite) at `height` pixels; raises what the cast code raises."""
    if photo is None:
        drawn = draw_character(look, height, 2)
        return _png(_with_mouth(drawn.bodies["neutral"], drawn.mouths["rest"], drawn.mouth_anchor))
    with tempfile.TemporaryDirectory(prefix="preview-") as folder:
        store = LocalArtifactStore(Path(folder))
        sprites = sprites_from_photo(photo, look.character_id, store, height=height, look=look)
        body = Image.open(store.path(sprites.bodies["neutral"])).convert("RGBA")
        mouth = Image.open(store.path(sprites.mouths["rest"])).convert("RGBA")
        return _png(_with_mouth(body, mouth, sprites.mouth_anchor))
