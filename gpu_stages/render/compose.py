"""Frame compositing in numpy/OpenCV: parallax backdrop, animated characters, transitions, watermark.

Everything is premultiplied BGRA until it lands on the BGR frame. Only the region a layer covers
is warped (cv2.warpAffine, bilinear, so sub-pixel camera moves glide instead of snapping) and
blended, which keeps a 1080p frame in the tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gpu_stages.render.animate import (
    Animator,
    IdleMotion,
    camera_at,
    dimming_at,
    emphasis_at,
    idle_motion,
    is_blinking,
)
from gpu_stages.render.blend import over_at, warp_over
from gpu_stages.render.images import BoundedCache, ImageLibrary
from gpu_stages.render.parallax import BackdropPainter
from gpu_stages.render.shots import Camera, Placement, Shot, ShotList
from schemas.media import Backdrops, Cast, CharacterSprites

SPRITE_CACHE_BYTES = 128 << 20
"""Composed character sprites (body + blink + mouth) kept for reuse; a mouth shape recurs often."""
EMPHASIS_SCALE = 0.06
DIM = 0.16
"""How much darker a listener is than the speaker."""
STILL = IdleMotion(0.0, 0.0, 1.0)
FEATHER = 0.18
"""Share of a stacked sprite's height that fades out at its bottom edge."""


@dataclass(frozen=True)
class SpriteTransform:
    """A character sprite's size before the warp, its scale and shift into the frame, its brightness."""

    width: int
    height: int
    sx: float
    sy: float
    tx: float
    ty: float
    brightness: float


class Compositor:
    """Builds frame `i` of the film as an H x W x 3 BGR uint8 array; safe to call from threads."""

    def __init__(
        self,
        size: tuple[int, int],
        shots: ShotList,
        cast: Cast,
        backdrops: Backdrops,
        library: ImageLibrary,
        animator: Animator,
        watermark: np.ndarray | None = None,
    ) -> None:
        self.width, self.height = size
        self.shots, self.library, self.animator = shots, library, animator
        self.sprites: dict[str, CharacterSprites] = {c.character_id: c for c in cast.characters}
        self.backdrop = BackdropPainter(size, backdrops, library)
        self.watermark = watermark
        self._sprites = BoundedCache(SPRITE_CACHE_BYTES)

    # --- frame ------------------------------------------------------------------------------

    def frame(self, index: int) -> np.ndarray:
        t = index / self.animator.fps
        visible = self.shots.weights_at(t)
        if not visible:
            out: np.ndarray = np.zeros((self.height, self.width, 3), np.uint8)
        elif len(visible) == 1:
            shot, weight = visible[0]
            out = self.shot_frame(shot, t, index)
            if weight < 1.0:
                out = cv2.multiply(out, (weight, weight, weight, 0))  # type: ignore[call-overload]  # scalar tuples work; the stubs miss them
        else:
            (a, wa), (b, wb) = visible[:2]
            out = cv2.addWeighted(self.shot_frame(a, t, index), wa, self.shot_frame(b, t, index), wb, 0.0)
        if self.watermark is not None:
            margin = round(0.03 * self.height)
            over_at(out, self.watermark, self.width - self.watermark.shape[1] - margin, margin)
        return out

    def shot_frame(self, shot: Shot, t: float, index: int) -> np.ndarray:
        camera = camera_at(shot, t)
        out = self.backdrop.paint(shot.scene_index, camera)
        order = sorted(shot.placements, key=lambda p: (p.bottom, p.character_id == shot.speaker))
        for placement in order:
            self._draw_character(out, shot, placement, camera, t, index)
        return out

    # --- characters -------------------------------------------------------------------------

    def _draw_character(
        self, out: np.ndarray, shot: Shot, placement: Placement, camera: Camera, t: float, index: int
    ) -> None:
        sprites = self.sprites[placement.character_id]
        place = self._placement_transform(shot, placement, camera, t)
        size = (place.width, place.height)
        sprite = self._character_sprite(sprites, shot.scene_index, placement.feather, size, t, index)
        affine = (place.sx, place.sy, place.tx, place.ty)
        warp_over(out, sprite, affine, (0, 0, place.width, place.height), place.brightness)

    def _placement_transform(
        self, shot: Shot, placement: Placement, camera: Camera, t: float
    ) -> SpriteTransform:
        sprites = self.sprites[placement.character_id]
        base_h = max(2, round(placement.height * self.height))
        base_w = max(2, round(sprites.size[0] * base_h / sprites.size[1]))
        emphasis = emphasis_at(shot, placement.character_id, t)
        scale = 1 + EMPHASIS_SCALE * emphasis
        idle = idle_motion(placement.character_id, t) if self.animator.lively else STILL
        sx, sy = scale, scale * idle.scale_y
        # Sprite bottom-centre sits on the placement point; then the camera maps stage to frame.
        stage_x = placement.x * self.width + idle.dx * base_h - base_w / 2 * sx
        stage_y = placement.bottom * self.height + idle.dy * base_h - base_h * sy
        z = camera.zoom
        tx = (stage_x - camera.cx * self.width) * z + self.width / 2
        ty = (stage_y - camera.cy * self.height) * z + self.height / 2
        brightness = 1.0 - DIM * dimming_at(shot, placement.character_id, t)
        return SpriteTransform(base_w, base_h, sx * z, sy * z, tx, ty, brightness)

    def mouth_position(self, character_id: str, index: int) -> tuple[float, float] | None:
        """Where a character's mouth anchor lands in frame `index` (None when off screen)."""
        t = index / self.animator.fps
        visible = self.shots.weights_at(t)
        if not visible:
            return None
        shot = max(visible, key=lambda sw: sw[1])[0]
        placement = next((p for p in shot.placements if p.character_id == character_id), None)
        if placement is None:
            return None
        place = self._placement_transform(shot, placement, camera_at(shot, t), t)
        sprites = self.sprites[character_id]
        factor = place.height / sprites.size[1]
        ax, ay = sprites.mouth_anchor[0] * factor, sprites.mouth_anchor[1] * factor
        return ax * place.sx + place.tx, ay * place.sy + place.ty

    def _character_sprite(
        self,
        sprites: CharacterSprites,
        scene_index: int,
        feather: bool,
        size: tuple[int, int],
        t: float,
        index: int,
    ) -> np.ndarray:
        cid = sprites.character_id
        emotion = self.animator.expressions.emotion(cid, scene_index, t)
        body = _pick(sprites.bodies, emotion, "neutral")
        blink = is_blinking(self.animator.blinks.get(cid, []), t, 1 / self.animator.fps)
        mouth = self.animator.mouths[cid].pose(index) if cid in self.animator.mouths else None
        viseme = mouth.viseme if mouth else "rest"
        rest_weight = round(mouth.rest_weight, 2) if mouth else 1.0
        key = (cid, body, blink, viseme, rest_weight, feather, size)
        cached = self._sprites.get(key)
        if cached is not None:
            return cached
        factor = size[1] / sprites.size[1]
        image = self.library.scaled(body, size).copy()
        if blink:
            over_at(
                image,
                self.library.scaled(sprites.blink, _scaled_size(self.library.size(sprites.blink), factor)),
                0,
                0,
            )
        anchor = (sprites.mouth_anchor[0] * factor, sprites.mouth_anchor[1] * factor)
        shapes = [(viseme, 1.0 - rest_weight), ("rest", rest_weight)] if viseme != "rest" else [("rest", 1.0)]
        for shape, weight in sorted(shapes, key=lambda s: -s[1]):
            mouth_key = _pick(sprites.mouths, shape, "rest", "closed")
            if weight <= 0.0:
                continue
            m = self.library.scaled(mouth_key, _scaled_size(self.library.size(mouth_key), factor))
            over_at(image, m, round(anchor[0] - m.shape[1] / 2), round(anchor[1] - m.shape[0] / 2), weight)
        if feather:
            ramp_rows = max(1, round(size[1] * FEATHER))
            ramp = np.linspace(1.0, 0.0, ramp_rows, dtype=np.float32)[:, None, None]
            image[-ramp_rows:] = (image[-ramp_rows:].astype(np.float32) * ramp).astype(np.uint8)
        return self._sprites.put(key, image)


def _pick(options: dict[str, str], wanted: str, *fallbacks: str) -> str:
    for name in (wanted, *fallbacks):
        if name in options:
            return options[name]
    return options[sorted(options)[0]]


def _scaled_size(size: tuple[int, int], factor: float) -> tuple[int, int]:
    return max(1, round(size[0] * factor)), max(1, round(size[1] * factor))
