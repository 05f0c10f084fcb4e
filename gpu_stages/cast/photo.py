"""A character from an uploaded photo: find the face, cut a portrait, warp the mouth per viseme."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, UnidentifiedImageError

from gpu_stages.cast.errors import CastRejected, FaceDetectorUnavailable
from gpu_stages.cast.face import EXPRESSIONS
from gpu_stages.cast.mouths import INSIDE, TEETH, VISEMES
from gpu_stages.cast.photo_warp import LIP_POINTS, lip_targets, warp_patch
from gpu_stages.contract import ArtifactStore
from schemas.media import CharacterLook, CharacterSprites

MAX_PHOTO_BYTES = 10 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP"}
CASCADE_DIRS = ("/usr/share/opencv4/haarcascades", "/usr/share/opencv/haarcascades")
CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml")


@dataclass(frozen=True)
class FaceBox:
    """A detected face in image pixels."""

    x: int
    y: int
    w: int
    h: int


def open_photo(image_bytes: bytes) -> Image.Image:
    """The upload as RGB, or `CastRejected` saying why it cannot be used."""
    if len(image_bytes) > MAX_PHOTO_BYTES:
        raise CastRejected(
            f"the photo is {len(image_bytes) / 1_048_576:.1f} MB; upload a JPG, PNG or WEBP of at most 10 MB"
        )
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise CastRejected("the upload is not an image; upload a JPG, PNG or WEBP photo of a face") from exc
    if image.format not in FORMATS:
        raise CastRejected(f"{image.format} images are not accepted; upload a JPG, PNG or WEBP photo")
    return image.convert("RGB")


def _cascades(cascade_dir: Path | None) -> list[cv2.CascadeClassifier]:
    if not hasattr(cv2, "CascadeClassifier"):
        raise FaceDetectorUnavailable(
            "face detection needs opencv-contrib-python-headless (OpenCV 5 moved Haar cascades to contrib)"
        )
    dirs = [cascade_dir] if cascade_dir is not None else [Path(d) for d in CASCADE_DIRS]
    found = [cv2.CascadeClassifier(str(d / name)) for d in dirs for name in CASCADES if (d / name).exists()]
    if not found:
        raise FaceDetectorUnavailable("Haar face cascades not found; install the Debian package opencv-data")
    return found


def find_face(image: Image.Image, cascade_dir: Path | None = None) -> FaceBox:
    """The largest frontal face, or `CastRejected` if there is none."""
    grey = cv2.equalizeHist(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY))
    scale = min(1.0, 900 / max(grey.shape))  # detection on big photos is slow and gains nothing
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    min_side = max(40, int(min(small.shape) * 0.15))
    for cascade in _cascades(cascade_dir):
        faces = cascade.detectMultiScale(
            small, scaleFactor=1.08, minNeighbors=5, minSize=(min_side, min_side)
        )
        if len(faces):
            x, y, w, h = max(faces, key=lambda f: int(f[2]) * int(f[3]))
            return FaceBox(int(x / scale), int(y / scale), int(w / scale), int(h / scale))
    raise CastRejected("no face found in the photo; upload a well-lit, front-facing photo with one face")


def _lip_line(rgb: NDArray[np.uint8], face: FaceBox) -> int:
    """The darkest row in the lower face: the line between the lips (refines the proportional guess)."""
    y0, y1 = face.y + int(face.h * 0.68), face.y + int(face.h * 0.9)
    x0, x1 = face.x + int(face.w * 0.35), face.x + int(face.w * 0.65)
    region = rgb[y0:y1, x0:x1].astype(np.float32)
    if region.size == 0:
        return face.y + int(face.h * 0.78)
    rows = region.mean(axis=(1, 2))
    rows = np.convolve(rows, np.ones(3) / 3, mode="same")
    return y0 + int(np.argmin(rows[1:-1]) + 1) if len(rows) > 2 else face.y + int(face.h * 0.78)


def _feather(size: tuple[int, int], inset: float, blur: float) -> Image.Image:
    w, h = size
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse((w * inset, h * inset, w * (1 - inset), h * (1 - inset)), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(blur))


def sprites_from_photo(
    image_bytes: bytes,
    character_id: str,
    artifacts: ArtifactStore,
    *,
    height: int = 600,
    look: CharacterLook | None = None,
    cascade_dir: Path | None = None,
) -> CharacterSprites:
    """Sprites from a face photo: one portrait body (all expressions), warped mouths, a blink layer."""
    image = open_photo(image_bytes)
    face = find_face(image, cascade_dir)
    rgb = np.asarray(image)
    lip_y = _lip_line(rgb, face)

    # A head-and-shoulders portrait: the face in the upper part, cut out with a soft oval.
    crop_w, crop_h = int(face.w * 2.0), int(face.w * 2.6)
    left, top = face.x + face.w // 2 - crop_w // 2, face.y - int(face.h * 0.45)
    padded = Image.new("RGB", (crop_w, crop_h), tuple(int(v) for v in rgb[min(face.y, rgb.shape[0] - 1), 0]))
    padded.paste(
        image.crop(
            (max(left, 0), max(top, 0), min(left + crop_w, image.width), min(top + crop_h, image.height))
        ),
        (max(-left, 0), max(-top, 0)),
    )
    scale = height / crop_h
    size = (round(crop_w * scale), height)
    portrait = padded.resize(size, Image.Resampling.LANCZOS)

    def to_sprite(x: float, y: float) -> tuple[float, float]:
        return ((x - left) * scale, (y - top) * scale)

    body = portrait.convert("RGBA")
    body.putalpha(_feather(size, 0.02, size[0] * 0.03))

    mouth_cx, mouth_cy = to_sprite(face.x + face.w / 2, lip_y)
    half_w, half_h = face.w * 0.17 * scale, face.h * 0.06 * scale
    pw, ph = int(half_w * 4.2) // 2 * 2, int(half_h * 11) // 2 * 2
    anchor = (round(mouth_cx), round(mouth_cy))
    px0, py0 = anchor[0] - pw // 2, anchor[1] - ph // 3  # the patch reaches further down, for the jaw
    patch = np.asarray(portrait.crop((px0, py0, px0 + pw, py0 + ph)))
    source = LIP_POINTS * np.array([half_w, half_h], dtype=np.float32) + np.array(
        [anchor[0] - px0, anchor[1] - py0], dtype=np.float32
    )
    feather = _feather((pw, ph), 0.08, min(pw, ph) * 0.08)

    mouths: dict[str, str] = {}
    for viseme in VISEMES:
        target = lip_targets(source, viseme, half_h)
        warped = Image.fromarray(warp_patch(patch, source, target)).convert("RGBA")
        _paint_inside(warped, target, viseme)
        # Each mouth layer is centred on the anchor like the drawn ones: pad the patch accordingly.
        layer = Image.new("RGBA", (pw, (ph * 4 // 3 + 1) // 2 * 2 + 2), (0, 0, 0, 0))
        offset_y = layer.height // 2 - (anchor[1] - py0)
        warped.putalpha(feather)
        layer.alpha_composite(warped, (0, offset_y))
        mouths[viseme] = put_png(artifacts, layer)

    blink = Image.new("RGBA", size, (0, 0, 0, 0))
    cheek = rgb[min(face.y + int(face.h * 0.6), rgb.shape[0] - 1), face.x + int(face.w * 0.3)]
    draw = ImageDraw.Draw(blink)
    for fx in (0.3, 0.7):
        ex, ey = to_sprite(face.x + face.w * fx, face.y + face.h * 0.4)
        rx, ry = face.w * 0.13 * scale, face.h * 0.075 * scale
        draw.ellipse((ex - rx, ey - ry, ex + rx, ey + ry), fill=(*(int(v) for v in cheek), 255))
        draw.arc(
            (ex - rx * 0.9, ey - ry * 1.2, ex + rx * 0.9, ey + ry * 0.6),
            20,
            160,
            fill=(50, 35, 30, 255),
            width=max(2, int(ry * 0.25)),
        )
    blink = blink.filter(ImageFilter.GaussianBlur(max(1.0, size[0] * 0.003)))

    body_key = put_png(artifacts, body)
    return CharacterSprites(
        character_id=character_id,
        look=look or CharacterLook(character_id=character_id, attire="shirt", uploaded_image=None),
        bodies=dict.fromkeys(EXPRESSIONS, body_key),
        mouths=mouths,
        blink=put_png(artifacts, blink),
        size=size,
        mouth_anchor=anchor,
    )


def _paint_inside(patch: Image.Image, target: NDArray[np.float32], viseme: str) -> None:
    """Fill the gap between the moved lips with the inside of a mouth (and teeth where they show)."""
    upper, lower = target[3], target[4]
    gap = float(lower[1] - upper[1])
    if gap < 2.0 or viseme in ("rest", "closed"):
        return
    left, right = target[0], target[1]
    draw = ImageDraw.Draw(patch)
    inset = (right[0] - left[0]) * 0.08
    box = (left[0] + inset, upper[1], right[0] - inset, lower[1])
    draw.ellipse(box, fill=(*INSIDE, 255))
    if viseme in ("open", "wide", "teeth", "narrow"):
        teeth_h = gap * (0.55 if viseme == "teeth" else 0.28)
        draw.chord(
            (box[0] + inset, box[1] - teeth_h * 0.3, box[2] - inset, box[1] + teeth_h * 1.4),
            180,
            360,
            fill=(*TEETH, 255),
        )


def put_png(artifacts: ArtifactStore, image: Image.Image) -> str:
    """Store an image as a content-addressed PNG artifact."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return artifacts.put_bytes(buffer.getvalue(), ".png")
