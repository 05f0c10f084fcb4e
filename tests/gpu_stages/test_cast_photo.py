"""Uploaded photos become sprites: the face is found, the mouth warped per viseme; bad uploads refused."""

from __future__ import annotations

import io
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from gpu_stages.cast.errors import CastRejected
from gpu_stages.cast.mouths import VISEMES
from gpu_stages.cast.photo import CASCADE_DIRS, MAX_PHOTO_BYTES, open_photo, sprites_from_photo
from gpu_stages.contract import LocalArtifactStore


def synthetic_face(size: tuple[int, int] = (480, 600), seed: int = 0) -> Image.Image:
    """A front-facing face on a plain background, blurred and noisy like a photo."""
    w, h = size
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", size, (70, 90, 110))
    d = ImageDraw.Draw(im)
    cx, cy = w // 2, int(h * 0.45)
    fw, fh = int(w * 0.36), int(h * 0.34)
    d.rectangle((cx - fw * 0.55, cy + fh * 0.7, cx + fw * 0.55, h), fill=(200, 150, 120))
    d.ellipse((cx - fw * 2.0, cy + fh * 1.2, cx + fw * 2.0, h + fh * 1.5), fill=(40, 60, 120))
    d.ellipse((cx - fw * 1.05, cy - fh * 1.2, cx + fw * 1.05, cy + fh * 0.6), fill=(40, 28, 20))
    d.ellipse((cx - fw, cy - fh, cx + fw, cy + fh), fill=(224, 176, 140))
    for s in (-1, 1):
        ex, ey = cx + s * fw * 0.42, cy - fh * 0.18
        d.ellipse((ex - fw * 0.3, ey - fh * 0.16, ex + fw * 0.3, ey + fh * 0.14), fill=(170, 120, 95))
        d.ellipse((ex - fw * 0.2, ey - fh * 0.07, ex + fw * 0.2, ey + fh * 0.07), fill=(245, 245, 240))
        d.ellipse((ex - fw * 0.09, ey - fh * 0.07, ex + fw * 0.09, ey + fh * 0.07), fill=(40, 30, 25))
        d.polygon(
            [
                (ex - fw * 0.3, ey - fh * 0.26),
                (ex + fw * 0.3, ey - fh * 0.3),
                (ex + fw * 0.3, ey - fh * 0.22),
                (ex - fw * 0.3, ey - fh * 0.19),
            ],
            fill=(50, 35, 25),
        )
        d.ellipse(
            (cx + s * fw * 0.12 - fw * 0.06, cy + fh * 0.3, cx + s * fw * 0.12 + fw * 0.06, cy + fh * 0.38),
            fill=(120, 70, 60),
        )
    d.polygon(
        [
            (cx - fw * 0.08, cy - fh * 0.1),
            (cx + fw * 0.08, cy - fh * 0.1),
            (cx + fw * 0.14, cy + fh * 0.3),
            (cx - fw * 0.14, cy + fh * 0.3),
        ],
        fill=(236, 192, 158),
    )
    d.ellipse((cx - fw * 0.4, cy + fh * 0.5, cx + fw * 0.4, cy + fh * 0.68), fill=(150, 60, 60))
    d.line(
        (cx - fw * 0.38, cy + fh * 0.59, cx + fw * 0.38, cy + fh * 0.59),
        fill=(80, 25, 30),
        width=max(2, h // 150),
    )
    im = im.filter(ImageFilter.GaussianBlur(2))
    arr = np.asarray(im).astype(np.int16) + rng.integers(-6, 7, size=(h, w, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


HAVE_DETECTOR = hasattr(cv2, "CascadeClassifier") and any(
    (Path(d) / "haarcascade_frontalface_default.xml").exists() for d in CASCADE_DIRS
)
needs_detector = pytest.mark.skipif(
    not HAVE_DETECTOR,
    reason="no face detector: needs opencv-contrib-python-headless (CascadeClassifier) and opencv-data",
)


def _dark_rows(layer: Image.Image) -> int:
    """Opening height: rows with dark, reddish mouth-interior pixels near the layer's centre (the anchor)."""
    px = np.asarray(layer.convert("RGBA"), dtype=np.float32)
    h, w = px.shape[:2]
    px = px[h // 4 : h * 3 // 4, w // 4 : w * 3 // 4]
    luma = 0.299 * px[..., 0] + 0.587 * px[..., 1] + 0.114 * px[..., 2]
    rows = np.flatnonzero(((px[..., 3] > 200) & (luma < 70) & (px[..., 0] > px[..., 2])).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


@needs_detector
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_face_photo_becomes_a_sprite_set(tmp_path: Path, fmt: str) -> None:
    store = LocalArtifactStore(tmp_path)
    start = time.perf_counter()
    sprites = sprites_from_photo(encoded(synthetic_face(), fmt), "me", store, height=400)
    print(f"photo sprites ({fmt}) in {time.perf_counter() - start:.2f} s")
    assert set(VISEMES) <= set(sprites.mouths)
    assert sprites.size[1] == 400
    body = Image.open(store.path(sprites.bodies["neutral"]))
    assert body.size == sprites.size and body.mode == "RGBA"
    # The synthetic face's lips sit at 45 % + 0.34 * 0.59 of its height: the anchor must be near them.
    ax, ay = sprites.mouth_anchor
    assert abs(ax - sprites.size[0] / 2) < sprites.size[0] * 0.05
    lips = np.asarray(body.convert("RGB"))[ay - 4 : ay + 5, ax - 3 : ax + 4].astype(int)
    assert (lips[..., 0] - lips[..., 1]).max() > 50, "the anchor is not on the (red) lips"
    mouths = {v: Image.open(store.path(sprites.mouths[v])) for v in VISEMES}
    assert len({m.tobytes() for m in mouths.values()}) == len(VISEMES)
    rows = {v: _dark_rows(m) for v, m in mouths.items()}
    print("photo mouth opening rows:", rows)
    assert rows["closed"] < rows["open"]
    assert _dark_rows(mouths["open"]) > 8
    assert Image.open(store.path(sprites.blink)).getchannel("A").getextrema()[1] == 255


def test_a_file_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(CastRejected, match="not an image"):
        open_photo(b"%PDF-1.4 this is a document")


def test_a_photo_over_10_mb_is_refused() -> None:
    with pytest.raises(CastRejected, match="10 MB"):
        open_photo(b"\xff\xd8" + b"0" * MAX_PHOTO_BYTES)


def test_other_image_formats_are_refused() -> None:
    with pytest.raises(CastRejected, match="GIF"):
        open_photo(encoded(synthetic_face((120, 150)), "GIF"))


@needs_detector
def test_a_photo_without_a_face_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    landscape = Image.fromarray((rng.random((300, 400, 3)) * 40 + 100).astype(np.uint8))
    with pytest.raises(CastRejected, match="no face"):
        sprites_from_photo(encoded(landscape, "PNG"), "me", LocalArtifactStore(tmp_path))
