"""Piecewise-affine warp of a mouth patch: move lip control points, keep the patch border still."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import Delaunay

Points = NDArray[np.float32]

# Lip control points as fractions of the mouth half-width (x) and half-height (y), centre at 0:
# left corner, right corner, upper lip top, upper lip inner, lower lip inner, lower lip bottom, chin.
LIP_POINTS = np.array(
    [
        [-1.0, 0.0],
        [1.0, 0.0],
        [0.0, -1.0],
        [0.0, -0.15],
        [0.0, 0.15],
        [0.0, 1.0],
        [0.0, 2.2],
        [-0.5, -0.75],
        [0.5, -0.75],
        [-0.5, 0.75],
        [0.5, 0.75],
    ],
    dtype=np.float32,
)

# Per viseme: (corner x scale, upper lip lift, jaw drop, pucker), in units of the mouth half-height.
VISEME_MOTION: dict[str, tuple[float, float, float, float]] = {
    "rest": (1.0, 0.0, 0.0, 0.0),
    "closed": (0.97, -0.15, -0.2, 0.0),
    "open": (0.9, 0.35, 2.2, 0.0),
    "wide": (1.22, 0.2, 0.8, 0.0),
    "round": (0.62, 0.25, 1.0, 0.5),
    "narrow": (0.92, 0.1, 0.45, 0.0),
    "teeth": (1.05, 0.3, 0.5, 0.0),
}


def lip_targets(source: Points, viseme: str, half_h: float) -> Points:
    """Where each lip control point moves for a viseme (source points are in patch pixels)."""
    corner, lift, drop, pucker = VISEME_MOTION[viseme]
    out = source.copy()
    cx = (source[0, 0] + source[1, 0]) / 2
    for i in (0, 1, 7, 8, 9, 10):
        out[i, 0] = cx + (source[i, 0] - cx) * corner
    for i in (2, 3, 7, 8):  # upper lip rises
        out[i, 1] -= lift * half_h
    for i in (4, 5, 9, 10):  # lower lip and jaw drop
        out[i, 1] += drop * half_h
    out[6, 1] += drop * half_h * 0.6
    for i in (2, 5):  # a pucker pushes the lips' centre outwards
        out[i, 1] += (-1 if i == 2 else 1) * pucker * half_h * 0.4
    return out


def warp_patch(patch: NDArray[np.uint8], source: Points, target: Points) -> NDArray[np.uint8]:
    """Warp `patch` so that `source` points land on `target`; border points stay where they are."""
    h, w = patch.shape[:2]
    border = np.array(
        [
            [0, 0],
            [w / 2, 0],
            [w - 1, 0],
            [w - 1, h / 2],
            [w - 1, h - 1],
            [w / 2, h - 1],
            [0, h - 1],
            [0, h / 2],
        ],
        dtype=np.float32,
    )
    src = np.vstack([border, source]).astype(np.float32)
    dst = np.vstack([border, target]).astype(np.float32)
    out = patch.copy()
    for tri in Delaunay(dst).simplices:
        d_tri, s_tri = dst[tri], src[tri]
        x0, y0 = np.floor(d_tri.min(axis=0)).astype(int)
        x1, y1 = np.ceil(d_tri.max(axis=0)).astype(int)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w - 1), min(y1, h - 1)
        if x1 <= x0 or y1 <= y0:
            continue
        # Map the destination triangle's box back into the source patch.
        matrix = cv2.getAffineTransform((d_tri - [x0, y0]).astype(np.float32), s_tri.astype(np.float32))
        piece = cv2.warpAffine(
            patch,
            matrix,
            (x1 - x0 + 1, y1 - y0 + 1),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REFLECT,
        )
        mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
        cv2.fillConvexPoly(mask, np.round(d_tri - [x0, y0]).astype(np.int32), 1)
        region = out[y0 : y1 + 1, x0 : x1 + 1]
        region[mask > 0] = piece[mask > 0]
    return out
