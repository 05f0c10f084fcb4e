"""Parallax backdrops: layers far to near, each moved by the camera in proportion to its depth.

Each layer is decoded once and kept only scaled to cover the frame plus a margin; rows that a
nearer layer's solid ground hides are never drawn, and solid rows are copied rather than blended.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np

from gpu_stages.render.blend import warp_over
from gpu_stages.render.images import BoundedCache, ImageLibrary, resize
from gpu_stages.render.shots import Camera
from schemas.media import Backdrop, Backdrops

PAN_MARGIN = 0.08
"""Backdrop layers are scaled to cover the frame plus this share, so the camera has room to move."""


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


class BackdropPainter:
    """Paints a scene's parallax layers for a camera; thread-safe, with small bounded caches."""

    def __init__(self, size: tuple[int, int], backdrops: Backdrops, library: ImageLibrary) -> None:
        self.width, self.height = size
        self.library = library
        self.backdrops: dict[int, Backdrop] = {b.scene_index: b for b in backdrops.scenes}
        self._layers: OrderedDict[int, list[PreparedLayer]] = OrderedDict()
        self._still = BoundedCache(4 * self.width * self.height * 3)
        self._last_framing: dict[int, Camera] = {}
        self._lock = threading.Lock()

    def paint(self, scene_index: int, camera: Camera) -> np.ndarray:
        """The scene's backdrop seen through the camera, as a new H x W x 3 BGR frame."""
        key = (scene_index, camera)
        still = self._still.get(key)
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
            self._still.put(key, out.copy())
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
        warp_over(out, layer.image, (zoom, zoom, tx, ty), layer.box, limit=hidden_from, solid_from=solid_from)
