"""Frame compositing in numpy/OpenCV: parallax backdrop, animated characters, transitions, watermark.

Everything is premultiplied BGRA until it lands on the BGR frame. Only the region a layer covers
is warped (cv2.warpAffine, bilinear, so sub-pixel camera moves glide instead of snapping) and
blended, which keeps a 1080p frame in the tens of milliseconds.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np

from gpu_stages.render.animate import (
    ExpressionTrack,
    IdleMotion,
    MouthTrack,
    blink_times,
    build_mouth_track,
    camera_at,
    dimming_at,
    emphasis_at,
    idle_motion,
    is_blinking,
)
from gpu_stages.render.images import BoundedCache, ImageLibrary, resize
from gpu_stages.render.shots import Camera, Placement, Shot, ShotList
from schemas.media import Backdrop, Backdrops, Cast, CharacterSprites, Timeline, VoiceTrack

SPRITE_CACHE_BYTES = 128 << 20
"""Composed character sprites (body + blink + mouth) kept for reuse; a mouth shape recurs often."""
PAN_MARGIN = 0.08
"""Backdrop layers are scaled to cover the frame plus this share, so the camera has room to move."""
EMPHASIS_SCALE = 0.06
DIM = 0.16
"""How much darker a listener is than the speaker."""
STILL = IdleMotion(0.0, 0.0, 1.0)
FEATHER = 0.18
"""Share of a stacked sprite's height that fades out at its bottom edge."""


def over(dst: np.ndarray, src: np.ndarray, opacity: float = 1.0, brightness: float = 1.0) -> None:
    """Composite premultiplied BGRA `src` over `dst` in place: a BGR view, or premultiplied BGRA."""
    if opacity < 1.0:
        src = cv2.multiply(src, (opacity, opacity, opacity, opacity))  # type: ignore[call-overload]  # scalar tuples work; the stubs miss them
    keep = cv2.bitwise_not(src[:, :, 3])
    if dst.shape[2] == 4:
        colour = src if brightness == 1.0 else cv2.multiply(src, (brightness, brightness, brightness, 1.0))  # type: ignore[call-overload]  # scalar tuples work; the stubs miss them
        kept = cv2.multiply(dst, cv2.merge((keep, keep, keep, keep)), scale=1 / 255)
    else:
        colour = cv2.cvtColor(src, cv2.COLOR_BGRA2BGR)
        if brightness != 1.0:
            colour = cv2.multiply(colour, (brightness, brightness, brightness, 0))  # type: ignore[call-overload]  # scalar tuples work; the stubs miss them
        kept = cv2.multiply(dst, cv2.merge((keep, keep, keep)), scale=1 / 255)
    dst[...] = cv2.add(kept, colour)


def over_at(dst: np.ndarray, src: np.ndarray, x: int, y: int, opacity: float = 1.0) -> None:
    """Composite `src` with its top-left at (x, y) of `dst`, clipped to `dst`."""
    h, w = src.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(dst.shape[1], x + w), min(dst.shape[0], y + h)
    if x1 > x0 and y1 > y0:
        over(dst[y0:y1, x0:x1], src[y0 - y : y1 - y, x0 - x : x1 - x], opacity)


@dataclass(frozen=True)
class PreparedLayer:
    image: np.ndarray
    """Premultiplied BGRA scaled to cover the frame plus margin."""
    box: tuple[int, int, int, int]
    """x0, y0, x1, y1 of the non-transparent content."""
    parallax: float
    """0: fixed to the frame; 1: moves with the characters' plane."""
    opaque: bool = False
    """A far layer with no transparency: warped straight into the frame, nothing to blend."""
    solid_from: int = 0
    """First row from which the layer is fully opaque down to its bottom (its height if never)."""


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


class Animator:
    """Per-character tracks (mouth, blinks, expression) precomputed for the whole film."""

    def __init__(
        self,
        timeline: Timeline,
        voices: VoiceTrack,
        cast: Cast,
        fps: int,
        n_frames: int,
        *,
        lively: bool = True,
    ) -> None:
        self.fps, self.lively = fps, lively
        self.mouths: dict[str, MouthTrack] = {
            c.character_id: build_mouth_track(c.character_id, timeline, voices, fps, n_frames, blend=lively)
            for c in cast.characters
        }
        self.blinks = {
            c.character_id: blink_times(c.character_id, timeline.duration + 1) if lively else []
            for c in cast.characters
        }
        self.expressions = ExpressionTrack(timeline)


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
        self.backdrops: dict[int, Backdrop] = {b.scene_index: b for b in backdrops.scenes}
        self.watermark = watermark
        self._layers: OrderedDict[int, list[PreparedLayer]] = OrderedDict()
        self._backgrounds = BoundedCache(4 * self.width * self.height * 3)
        self._sprites = BoundedCache(SPRITE_CACHE_BYTES)
        self._last_framing: dict[int, Camera] = {}
        self._lock = threading.Lock()

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
        out = self._background(shot.scene_index, camera)
        order = sorted(shot.placements, key=lambda p: (p.bottom, p.character_id == shot.speaker))
        for placement in order:
            self._draw_character(out, shot, placement, camera, t, index)
        return out

    # --- backdrop ---------------------------------------------------------------------------

    def _background(self, scene_index: int, camera: Camera) -> np.ndarray:
        key = (scene_index, camera)
        still = self._backgrounds.get(key)
        if still is not None:  # the camera has not moved: reuse the composed backdrop
            return still.copy()
        out = np.zeros((self.height, self.width, 3), np.uint8)
        layers = self._scene_layers(scene_index)
        placed = [self._layer_affine(layer, camera) for layer in layers]
        # Frame row from which each layer hides everything behind it (its solid ground).
        covers = [self._covered_from(layer, affine) for layer, affine in zip(layers, placed, strict=True)]
        for i, (layer, affine) in enumerate(zip(layers, placed, strict=True)):
            hidden_from = min(covers[i + 1 :], default=self.height)
            if hidden_from > 0:
                self._draw_layer(out, layer, affine, hidden_from, covers[i])
        with self._lock:
            # Keep a copy only once the same framing is asked for twice (a still camera): a moving
            # camera never repeats, and copying a frame costs as much as blending a layer.
            repeated = self._last_framing.get(scene_index) == camera
            self._last_framing[scene_index] = camera
        if repeated:
            self._backgrounds.put(key, out.copy())
        return out

    def _scene_layers(self, scene_index: int) -> list[PreparedLayer]:
        with self._lock:
            if scene_index in self._layers:
                return self._layers[scene_index]
        backdrop = self.backdrops.get(scene_index)
        layers = [] if backdrop is None else self._prepare(backdrop)
        with self._lock:
            self._layers[scene_index] = layers
            while len(self._layers) > 3:  # frames arrive in order: older scenes are done
                self._layers.popitem(last=False)
        return layers

    def _prepare(self, backdrop: Backdrop) -> list[PreparedLayer]:
        prepared = []
        count = len(backdrop.layers)
        for i, key in enumerate(backdrop.layers):
            original = self.library.decode(key)  # big: kept only in its prepared (scaled) form
            h, w = original.shape[:2]
            cover = max(self.width * (1 + PAN_MARGIN) / w, self.height * (1 + PAN_MARGIN) / h)
            image = resize(original, (math.ceil(w * cover), math.ceil(h * cover)))
            parallax = 0.25 + 0.6 * i / (count - 1) if count > 1 else 0.5
            alpha = image[:, :, 3]
            if i == 0 and int(alpha.min()) == 255:
                opaque = True
                box = (0, 0, image.shape[1], image.shape[0])
            else:
                opaque = False
                x, y, bw, bh = cv2.boundingRect(cv2.findNonZero(alpha)) if alpha.any() else (0, 0, 0, 0)
                box = (x, y, x + bw, y + bh)
            solid = np.flatnonzero(alpha.min(axis=1) < 255)  # rows with any see-through pixel
            solid_from = 0 if opaque else (int(solid[-1]) + 1 if solid.size else 0)
            prepared.append(PreparedLayer(image, box, parallax, opaque, solid_from))
        return prepared

    def _layer_affine(self, layer: PreparedLayer, camera: Camera) -> tuple[float, float, float]:
        """Zoom and the frame position (tx, ty) of the layer's top-left under the camera."""
        p = layer.parallax
        zoom = 1 + (camera.zoom - 1) * p
        cx, cy = 0.5 + (camera.cx - 0.5) * p, 0.5 + (camera.cy - 0.5) * p
        lh, lw = layer.image.shape[:2]
        tx = self.width / 2 - (lw / 2 + (cx - 0.5) * self.width) * zoom
        ty = self.height / 2 - (lh / 2 + (cy - 0.5) * self.height) * zoom
        # Clamped so the layer always covers the frame.
        return zoom, min(0.0, max(self.width - lw * zoom, tx)), min(0.0, max(self.height - lh * zoom, ty))

    def _covered_from(self, layer: PreparedLayer, affine: tuple[float, float, float]) -> int:
        zoom, _, ty = affine
        if layer.solid_from >= layer.image.shape[0]:
            return self.height
        # One row of margin: bilinear sampling blends the first solid row with the one above.
        return min(self.height, max(0, math.ceil((layer.solid_from + 1) * zoom + ty)))

    def _draw_layer(
        self,
        out: np.ndarray,
        layer: PreparedLayer,
        affine: tuple[float, float, float],
        hidden_from: int,
        solid_from: int,
    ) -> None:
        """Draw the rows above `hidden_from` (nearer layers cover the rest); copy rows that are solid."""
        zoom, tx, ty = affine
        if layer.opaque:
            matrix = np.array([[zoom, 0, tx], [0, zoom, ty]], dtype=np.float32)
            # Warped as 4 channels: OpenCV's bilinear warp has a SIMD path for 4 but not 3 (~3x faster).
            warped = cv2.warpAffine(
                layer.image,
                matrix,
                (self.width, hidden_from),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            )
            cv2.cvtColor(warped, cv2.COLOR_BGRA2BGR, dst=out[:hidden_from])
            return
        self._warp_over(
            out, layer.image, (zoom, zoom, tx, ty), layer.box, limit=hidden_from, solid_from=solid_from
        )

    def _warp_over(
        self,
        out: np.ndarray,
        image: np.ndarray,
        affine: tuple[float, float, float, float],
        box: tuple[int, int, int, int],
        brightness: float = 1.0,
        limit: int | None = None,
        solid_from: int | None = None,
    ) -> None:
        """Warp the `box` of a premultiplied image by scale (sx, sy) + shift (tx, ty) and blend it.

        Only frame rows above `limit` are drawn; rows from `solid_from` down are opaque across the
        frame, so they are copied instead of blended.
        """
        sx, sy, tx, ty = affine
        x0, y0, x1, y1 = box
        bottom = self.height if limit is None else limit
        fx0, fy0 = max(0, math.floor(x0 * sx + tx)), max(0, math.floor(y0 * sy + ty))
        fx1, fy1 = min(self.width, math.ceil(x1 * sx + tx) + 1), min(bottom, math.ceil(y1 * sy + ty) + 1)
        if fx1 <= fx0 or fy1 <= fy0:
            return
        matrix = np.array([[sx, 0, tx - fx0], [0, sy, ty - fy0]], dtype=np.float32)
        patch = cv2.warpAffine(
            image,
            matrix,
            (fx1 - fx0, fy1 - fy0),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(0, 0, 0, 0),
        )
        split = fy1 if solid_from is None or (fx0, fx1) != (0, self.width) else min(fy1, max(fy0, solid_from))
        if split > fy0:
            over(out[fy0:split, fx0:fx1], patch[: split - fy0], brightness=brightness)
        if split < fy1:
            cv2.cvtColor(patch[split - fy0 :], cv2.COLOR_BGRA2BGR, dst=out[split:fy1, fx0:fx1])

    # --- characters -------------------------------------------------------------------------

    def _draw_character(
        self, out: np.ndarray, shot: Shot, placement: Placement, camera: Camera, t: float, index: int
    ) -> None:
        sprites = self.sprites[placement.character_id]
        place = self._placement_transform(shot, placement, camera, t)
        size = (place.width, place.height)
        sprite = self._character_sprite(sprites, shot.scene_index, placement.feather, size, t, index)
        affine = (place.sx, place.sy, place.tx, place.ty)
        self._warp_over(out, sprite, affine, (0, 0, place.width, place.height), place.brightness)

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
