"""The optional corner watermark: semi-transparent text drawn once per frame size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gpu_stages.render.images import premultiply

FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
OPACITY = 0.7


def watermark_image(text: str, frame_height: int) -> np.ndarray:
    """Premultiplied BGRA of `text` in white with a soft dark outline, about 3 % of the frame tall."""
    size = max(10, round(frame_height * 0.032))
    font = ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)
    left, top, right, bottom = (int(v) for v in font.getbbox(text, stroke_width=max(1, size // 12)))
    pad = max(2, size // 6)
    image = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
    ImageDraw.Draw(image).text(
        (pad - left, pad - top),
        text,
        font=font,
        fill=(255, 255, 255, round(255 * OPACITY)),
        stroke_width=max(1, size // 12),
        stroke_fill=(0, 0, 0, round(255 * OPACITY * 0.6)),
    )
    return premultiply(np.asarray(image).copy())
