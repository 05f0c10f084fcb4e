"""Backdrops from a creator's own picture: checked, cover-fitted to the layers, optional soft foreground."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from gpu_stages.scenes.frame import layer_size

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_PIXELS = 60_000_000
"""Refuse decompression bombs: a small file that would expand to gigabytes of pixels."""


class BackdropRejected(ValueError):
    """An uploaded background cannot be used; the message says why and what to upload instead."""


def _open_checked(image_bytes: bytes) -> Image.Image:
    if not image_bytes:
        raise BackdropRejected("the uploaded background is empty; upload a JPEG, PNG or WebP picture")
    if len(image_bytes) > MAX_UPLOAD_BYTES:
        raise BackdropRejected(
            f"the uploaded background is {len(image_bytes) / 1e6:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB - export a smaller JPEG or PNG"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(image_bytes))
            if probe.width * probe.height > MAX_UPLOAD_PIXELS:
                raise BackdropRejected(
                    f"the uploaded background is {probe.width}x{probe.height} pixels; "
                    "upload a picture under 60 megapixels"
                )
            probe.verify()  # catches truncated and corrupt files before decoding them
            image = Image.open(io.BytesIO(image_bytes))
            image.load()
    except BackdropRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BackdropRejected(
            "the uploaded background is not a picture we can read; upload a JPEG, PNG or WebP image"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise BackdropRejected(
            f"the uploaded background looks damaged ({exc}); re-export it as JPEG or PNG and upload again"
        ) from exc
    return image


def backdrop_from_upload(
    image_bytes: bytes, width: int, height: int, soft_near: bool = False
) -> list[Image.Image]:
    """The picture cover-fitted (centre crop, no bars) to `layer_size(width, height)`, far to near.

    With `soft_near`, a second layer holds a blurred copy of the bottom of the picture fading in
    towards the lower edge, which reads as an out-of-focus foreground when the camera moves.
    """
    image = ImageOps.exif_transpose(_open_checked(image_bytes))
    rgba = image.convert("RGBA")
    opaque = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
    opaque.alpha_composite(rgba)  # transparent PNGs sit on black rather than leaving holes
    size = layer_size(width, height)
    back = ImageOps.fit(opaque, size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    layers = [back]
    if soft_near:
        blurred = back.filter(ImageFilter.GaussianBlur(radius=max(2.0, size[1] * 0.012)))
        ramp = np.clip((np.linspace(0.0, 1.0, size[1]) - 0.72) / 0.28, 0.0, 1.0) * 200
        alpha = np.repeat(ramp.astype(np.uint8)[:, None], size[0], axis=1)
        blurred.putalpha(Image.fromarray(alpha, "L"))
        layers.append(blurred)
    return layers
