"""Backdrops from uploaded pictures: cover-fit, optional soft foreground, clear rejections."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from gpu_stages.scenes import MAX_UPLOAD_BYTES, BackdropRejected, backdrop_from_upload, layer_size


def png_bytes(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def halves(w: int, h: int) -> Image.Image:
    """Left half red, right half blue: shows where a fit crops."""
    a = np.zeros((h, w, 3), np.uint8)
    a[:, : w // 2] = (220, 30, 30)
    a[:, w // 2 :] = (30, 30, 220)
    return Image.fromarray(a)


def test_square_picture_is_cover_fitted_to_a_wide_frame_without_bars() -> None:
    layers = backdrop_from_upload(png_bytes(halves(300, 300)), 320, 180)
    assert layers[0].size == layer_size(320, 180)
    px = np.asarray(layers[0].convert("RGB"), dtype=np.int16)
    assert px.sum(axis=2).min() > 200  # no black bars anywhere
    assert px[:, 0, 0].mean() > 200 and px[:, -1, 2].mean() > 200  # both halves still visible, centred
    assert np.asarray(layers[0])[..., 3].min() == 255


def test_wide_picture_is_cover_fitted_to_a_tall_frame_by_cropping_the_sides() -> None:
    layers = backdrop_from_upload(png_bytes(halves(640, 360), "JPEG"), 90, 160)
    assert layers[0].size == layer_size(90, 160)
    px = np.asarray(layers[0].convert("RGB"), dtype=np.int16)
    lw = px.shape[1]
    assert px[:, : lw // 2 - 2, 0].mean() > 180 and px[:, lw // 2 + 2 :, 2].mean() > 180


def test_soft_near_layer_is_a_blurred_fade_at_the_bottom() -> None:
    layers = backdrop_from_upload(png_bytes(halves(400, 300)), 160, 90, soft_near=True)
    assert len(layers) == 2
    alpha = np.asarray(layers[1])[..., 3]
    assert alpha[: alpha.shape[0] // 2].max() == 0
    assert alpha[-1].mean() > 150
    edge = np.asarray(layers[1].convert("RGB"), dtype=np.int16)[-1, :, 0]
    assert np.count_nonzero((edge > 40) & (edge < 200)) > 0  # the red/blue border is blurred


def test_transparent_png_gets_an_opaque_background() -> None:
    img = Image.new("RGBA", (100, 60), (0, 200, 0, 0))
    layers = backdrop_from_upload(png_bytes(img), 160, 90)
    assert np.asarray(layers[0])[..., 3].min() == 255


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"%PDF-1.4 this is a document, not a picture", "not a picture"),
        (b"", "empty"),
        (b"\x00" * (MAX_UPLOAD_BYTES + 1), "10 MB"),
    ],
)
def test_unusable_uploads_are_rejected_with_a_reason(data: bytes, needle: str) -> None:
    with pytest.raises(BackdropRejected) as err:
        backdrop_from_upload(data, 160, 90)
    assert needle in str(err.value)
    assert "upload" in str(err.value) or "export" in str(err.value)


def test_truncated_picture_is_rejected() -> None:
    data = png_bytes(Image.effect_noise((200, 200), 40).convert("RGB"))
    with pytest.raises(BackdropRejected):
        backdrop_from_upload(data[: len(data) // 2], 160, 90)
