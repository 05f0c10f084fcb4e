"""Podcast pictures: a tile per host (split screen) or the speaking host alone (alternating).

Each tile is an ordinary `Compositor` of the tile's size showing one host in the studio, so mouths,
blinks and expressions work as in any film. The tile of the host who is talking is lit and ringed;
the others are dimmed. The highlight eases over `HIGHLIGHT_SECONDS` when the turn passes.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import cv2
import numpy as np

from gpu_stages.render.animate import Animator
from gpu_stages.render.blend import over_at
from gpu_stages.render.compose import Compositor
from gpu_stages.render.images import ImageLibrary
from gpu_stages.render.shots import Camera, CameraKey, Placement, Shot, ShotList, layout, smoothstep
from schemas.media import AspectRatio, Backdrops, Cast

PodcastLayout = Literal["split", "alternating"]

BACKGROUND = (34, 24, 28)
"""BGR of the gutters between tiles: the studio's dark plum."""
RING = (40, 185, 255)
"""BGR of the ring around the speaking host's tile (amber, like an on-air light)."""
RING_SHARE = 0.009
"""Ring thickness as a share of the frame height."""
GUTTER_SHARE = 0.012
IDLE_BRIGHTNESS = 0.6
"""How bright a listening host's tile is (the speaker's is 1)."""
HIGHLIGHT_SECONDS = 0.25
TOP_MARGIN = 0.07
"""Space above a host's head, as a share of the tile height."""


def tile_grid(hosts: int, aspect: AspectRatio) -> tuple[int, int]:
    """Columns and rows for 2-4 tiles: side by side when wide, stacked when tall, 2x2 for four."""
    if hosts >= 4:
        return 2, 2
    return (1, hosts) if aspect == "9:16" else (hosts, 1)


def tile_boxes(hosts: int, aspect: AspectRatio, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of each host's tile in the frame, in host order; sizes are even (yuv420p)."""
    cols, rows = tile_grid(hosts, aspect)
    gutter = max(2, round(GUTTER_SHARE * height) // 2 * 2)
    tile_w = (width - gutter * (cols + 1)) // cols // 2 * 2
    tile_h = (height - gutter * (rows + 1)) // rows // 2 * 2
    left = (width - cols * tile_w - (cols - 1) * gutter) // 2
    top = (height - rows * tile_h - (rows - 1) * gutter) // 2
    boxes = []
    for i in range(hosts):
        row, col = divmod(i, cols)
        boxes.append((left + col * (tile_w + gutter), top + row * (tile_h + gutter), tile_w, tile_h))
    return boxes


def bust(host: str, tile: tuple[int, int], sprite_aspect: float) -> Placement:
    """A host framed from the head down in a tile: most of the figure in a tall tile, head and chest in a wide one."""
    tile_w, tile_h = tile
    height = 1.05 if tile_h >= tile_w else 1.75
    height = min(height, 0.92 * tile_w / (sprite_aspect * tile_h))  # never wider than the tile
    return Placement(host, 0.5, TOP_MARGIN + height, height)


def highlight_at(shot: Shot, host: str, t: float) -> float:
    """1 while `host` has the turn, 0 while another does; eased when the turn passes."""
    now = 1.0 if shot.speaker == host else 0.0
    before = 1.0 if shot.previous_speaker == host else 0.0
    return before + (now - before) * smoothstep((t - shot.start) / HIGHLIGHT_SECONDS)


def _host_shots(shots: ShotList, placement: Placement) -> ShotList:
    """The film's shots with one host on screen and a still camera (turns and speakers kept)."""
    still = Camera(1.0)
    single = tuple(
        dataclasses.replace(s, placements=(placement,), camera=(CameraKey(s.start, still),), eased_in=True)
        for s in shots.shots
    )
    return dataclasses.replace(shots, shots=single, fade_in=False, fade_out=False)


def _speaker_shots(
    shots: ShotList, hosts: list[str], aspect: AspectRatio, aspects: dict[str, float]
) -> ShotList:
    """Alternating: whoever has the turn alone, with a slow push; everyone when nobody speaks."""
    everyone = layout(hosts, aspect, aspects)
    alone = {h: (Placement(h, 0.5, 1.0, {"16:9": 0.86, "9:16": 0.62, "1:1": 0.8}[aspect]),) for h in hosts}
    cut = []
    for s in shots.shots:
        placements = alone.get(s.speaker or "", everyone)
        keys = (CameraKey(s.start, Camera(1.0)), CameraKey(s.end, Camera(1.05)))
        cut.append(dataclasses.replace(s, placements=placements, camera=keys, eased_in=False))
    return dataclasses.replace(shots, shots=tuple(cut))


class PodcastCompositor:
    """Builds frame `i` of a podcast as an H x W x 3 BGR uint8 array; safe to call from threads."""

    def __init__(
        self,
        size: tuple[int, int],
        aspect: AspectRatio,
        hosts: list[str],
        shots: ShotList,
        cast: Cast,
        backdrops: Backdrops,
        library: ImageLibrary,
        animator: Animator,
        watermark: np.ndarray | None = None,
        layout_kind: PodcastLayout = "split",
    ) -> None:
        self.width, self.height = size
        self.hosts, self.shots, self.animator, self.watermark = hosts, shots, animator, watermark
        sprites = {c.character_id: c.size[0] / c.size[1] for c in cast.characters}
        self.split = layout_kind == "split"
        if self.split:
            self.boxes = tile_boxes(len(hosts), aspect, self.width, self.height)
            self.tiles = [
                Compositor(
                    (w, h),
                    _host_shots(shots, bust(host, (w, h), sprites.get(host, 0.5))),
                    cast,
                    backdrops,
                    library,
                    animator,
                )
                for host, (_, _, w, h) in zip(hosts, self.boxes, strict=True)
            ]
            self.ring = max(2, round(RING_SHARE * self.height))
        else:
            self.whole = Compositor(
                size,
                _speaker_shots(shots, hosts, aspect, sprites),
                cast,
                backdrops,
                library,
                animator,
                watermark,
            )

    def frame(self, index: int) -> np.ndarray:
        if not self.split:
            return self.whole.frame(index)
        t = index / self.animator.fps
        out = np.empty((self.height, self.width, 3), np.uint8)
        out[:] = BACKGROUND
        visible = self.shots.weights_at(t)
        shot = max(visible, key=lambda sw: sw[1])[0] if visible else None
        for host, tile, (x, y, w, h) in zip(self.hosts, self.tiles, self.boxes, strict=True):
            picture = tile.frame(index)
            lit = highlight_at(shot, host, t) if shot is not None else 0.0
            gain = IDLE_BRIGHTNESS + (1.0 - IDLE_BRIGHTNESS) * lit
            if gain < 0.999:
                picture = cv2.multiply(picture, (gain, gain, gain, 0))  # type: ignore[call-overload]  # scalar tuples work; the stubs miss them
            out[y : y + h, x : x + w] = picture
            if lit > 0.01:
                self._ring(out, (x, y, w, h), lit)
        fade = self.shots.fade_at(t)
        if fade < 1.0:
            out = cv2.multiply(out, (fade, fade, fade, 0))  # type: ignore[call-overload]  # scalar tuples work; the stubs miss them
        if self.watermark is not None:
            margin = round(0.03 * self.height)
            over_at(out, self.watermark, self.width - self.watermark.shape[1] - margin, margin)
        return out

    def _ring(self, out: np.ndarray, box: tuple[int, int, int, int], strength: float) -> None:
        """An amber ring just inside the tile's edge, as opaque as the highlight is strong."""
        x, y, w, h = box
        r = self.ring
        colour = np.array(RING, np.float32)
        for region in (
            out[y : y + r, x : x + w],
            out[y + h - r : y + h, x : x + w],
            out[y + r : y + h - r, x : x + r],
            out[y + r : y + h - r, x + w - r : x + w],
        ):
            region[...] = (region * (1.0 - strength) + colour * strength).astype(np.uint8)
