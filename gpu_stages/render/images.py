"""Decoded picture cache: every PNG is decoded once into premultiplied BGRA; scaled copies are kept.

Premultiplied alpha makes scaling, sub-pixel warps and blending correct at soft edges (no dark
fringes), and lets `over` be one multiply-add.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image


def premultiply(rgba: np.ndarray) -> np.ndarray:
    """RGBA (straight alpha, uint8) to premultiplied BGRA uint8."""
    bgra = cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA)
    alpha = bgra[:, :, 3]
    # Colour x alpha / 255 with rounding; alpha x 255 / 255 keeps alpha itself.
    weights = cv2.merge((alpha, alpha, alpha, np.full_like(alpha, 255)))
    return cv2.multiply(bgra, weights, scale=1 / 255)


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


class BoundedCache:
    """Thread-safe least-recently-used map of arrays, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self._items: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._bytes, self.max_bytes = 0, max_bytes
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> np.ndarray | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: np.ndarray) -> np.ndarray:
        with self._lock:
            if key in self._items:
                return self._items[key]
            self._items[key] = value
            self._bytes += value.nbytes
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.nbytes
            return value

    @property
    def nbytes(self) -> int:
        return self._bytes


class ImageLibrary:
    """Decoded artifacts and their scaled versions, each computed once while it fits the budget."""

    def __init__(self, resolve: Callable[[str], Path], max_bytes: int = 384 << 20) -> None:
        self._resolve = resolve
        self._originals = BoundedCache(max_bytes // 2)
        self._scaled = BoundedCache(max_bytes // 2)
        self._lock = threading.Lock()
        self.decodes: Counter[str] = Counter()
        """PNG decodes per artifact key (each should be decoded once)."""

    def decode(self, key: str) -> np.ndarray:
        """Decode without keeping the result (for big layers that are prepared and cached elsewhere)."""
        image = load_premultiplied(self._resolve(key))
        with self._lock:
            self.decodes[key] += 1
        return image

    def original(self, key: str) -> np.ndarray:
        cached = self._originals.get(key)
        return cached if cached is not None else self._originals.put(key, self.decode(key))

    def size(self, key: str) -> tuple[int, int]:
        """(width, height) of the artifact as decoded."""
        height, width = self.original(key).shape[:2]
        return width, height

    def scaled(self, key: str, size: tuple[int, int]) -> np.ndarray:
        """The artifact resized to (width, height), computed once."""
        cached = self._scaled.get((key, size))
        return (
            cached if cached is not None else self._scaled.put((key, size), resize(self.original(key), size))
        )
