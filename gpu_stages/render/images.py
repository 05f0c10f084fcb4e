"""Decoded picture cache: every PNG is decoded once into premultiplied BGRA; scaled copies are kept.

Premultiplied alpha makes scaling, sub-pixel warps and blending correct at soft edges (no dark
fringes), and lets `over` be one multiply-add.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image


def premultiply(rgba: np.ndarray) -> np.ndarray:
    """RGBA (straight alpha, uint8) to premultiplied BGRA uint8."""
    bgra = cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA)
    alpha = bgra[:, :, 3:4].astype(np.uint16)
    bgra[:, :, :3] = ((bgra[:, :, :3].astype(np.uint16) * alpha + 127) // 255).astype(np.uint8)
    return bgra


def load_premultiplied(path: Path) -> np.ndarray:
    """Decode a PNG (any mode) to premultiplied BGRA uint8."""
    with Image.open(path) as image:
        rgba = np.asarray(image.convert("RGBA"))
    return premultiply(np.ascontiguousarray(rgba))


def resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize to (width, height): area averaging when shrinking, bilinear when enlarging."""
    height, width = image.shape[:2]
    if (width, height) == size:
        return image
    shrinking = size[0] < width and size[1] < height
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)


class ImageLibrary:
    """Thread-safe cache of decoded artifacts and their scaled versions (least recently used go)."""

    def __init__(self, resolve: Callable[[str], Path], max_originals: int = 48, max_scaled: int = 160) -> None:
        self._resolve = resolve
        self._originals: OrderedDict[str, np.ndarray] = OrderedDict()
        self._scaled: OrderedDict[tuple[str, tuple[int, int]], np.ndarray] = OrderedDict()
        self._max_originals, self._max_scaled = max_originals, max_scaled
        self._lock = threading.Lock()
        self.decodes = 0
        """How many PNG decodes happened (each artifact should be decoded once)."""

    def original(self, key: str) -> np.ndarray:
        with self._lock:
            if key in self._originals:
                self._originals.move_to_end(key)
                return self._originals[key]
        image = load_premultiplied(self._resolve(key))
        with self._lock:
            self.decodes += 1
            self._originals[key] = image
            while len(self._originals) > self._max_originals:
                self._originals.popitem(last=False)
        return image

    def size(self, key: str) -> tuple[int, int]:
        """(width, height) of the artifact as decoded."""
        height, width = self.original(key).shape[:2]
        return width, height

    def scaled(self, key: str, size: tuple[int, int]) -> np.ndarray:
        """The artifact resized to (width, height), computed once."""
        slot = (key, size)
        with self._lock:
            if slot in self._scaled:
                self._scaled.move_to_end(slot)
                return self._scaled[slot]
        image = resize(self.original(key), size)
        with self._lock:
            self._scaled[slot] = image
            while len(self._scaled) > self._max_scaled:
                self._scaled.popitem(last=False)
        return image
