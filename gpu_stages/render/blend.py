"""Pixel operations on premultiplied BGRA: `over` blending and warping a region into a frame."""

from __future__ import annotations

import math

import cv2
import numpy as np


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


def warp_over(
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
    height, width = out.shape[:2]
    sx, sy, tx, ty = affine
    x0, y0, x1, y1 = box
    bottom = height if limit is None else limit
    fx0, fy0 = max(0, math.floor(x0 * sx + tx)), max(0, math.floor(y0 * sy + ty))
    fx1, fy1 = min(width, math.ceil(x1 * sx + tx) + 1), min(bottom, math.ceil(y1 * sy + ty) + 1)
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
    split = fy1 if solid_from is None or (fx0, fx1) != (0, width) else min(fy1, max(fy0, solid_from))
    if split > fy0:
        over(out[fy0:split, fx0:fx1], patch[: split - fy0], brightness=brightness)
    if split < fy1:
        cv2.cvtColor(patch[split - fy0 :], cv2.COLOR_BGRA2BGR, dst=out[split:fy1, fx0:fx1])
