"""Animation: what every character and the camera do at a given frame.

Mouths follow the voiced phonemes (sampled per frame by the longest-overlapping viseme, short gaps
held, longer pauses eased to rest); blinks come every 2-6 s from a per-character seeded random
stream; idle breathing and sway are sub-pixel sines; the camera eases between its keys.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import zlib
from dataclasses import dataclass

import numpy as np

from gpu_stages.render.shots import Camera, Shot, smoothstep
from schemas.media import Cast, Emotion, Timeline, VoiceTrack

VISEMES: tuple[str, ...] = ("rest", "closed", "open", "wide", "round", "narrow", "teeth")
REST = 0
GAP_HOLD_SECONDS = 0.12
"""Silences up to this long keep the last mouth shape, so mouths do not flicker between words."""
REST_BLEND_SECONDS = 0.09
"""Longer pauses ease to rest over this long."""
BLINK_SECONDS = 0.13
EMPHASIS_SECONDS = 0.35


@dataclass(frozen=True)
class MouthPose:
    viseme: str
    rest_weight: float
    """0: the viseme as drawn; 1: fully at rest; in between the two mouths are blended."""


class MouthTrack:
    """A character's mouth shape for every frame of the film."""

    def __init__(self, visemes: np.ndarray, rest_weight: np.ndarray) -> None:
        self.visemes = visemes
        self.rest_weight = rest_weight

    def pose(self, frame: int) -> MouthPose:
        if not 0 <= frame < len(self.visemes):
            return MouthPose("rest", 1.0)
        return MouthPose(VISEMES[int(self.visemes[frame])], float(self.rest_weight[frame]))


def build_mouth_track(
    character_id: str, timeline: Timeline, voices: VoiceTrack, fps: int, n_frames: int, *, blend: bool = True
) -> MouthTrack:
    """Sample the character's phonemes once per frame and smooth the result."""
    voiced = {v.line_id: v for v in voices.lines}
    overlap = np.zeros((n_frames, len(VISEMES)), dtype=np.float32)
    for line in timeline.lines:
        if line.speaker != character_id:
            continue
        segments: list[tuple[float, float, str]] = []
        take = voiced.get(line.line_id)
        if take is not None and take.phonemes:
            segments = [(line.start + p.start, line.start + p.end, p.viseme) for p in take.phonemes]
        else:  # no timings: flap open/closed across the line so the speaker still visibly talks
            segments = _flap(line.start, line.end)
        for start, end, viseme in segments:
            if viseme == "rest" or end <= start:
                continue
            index = VISEMES.index(viseme)
            first, last = max(0, int(start * fps)), min(n_frames - 1, math.ceil(end * fps) - 1)
            for k in range(first, last + 1):
                overlap[k, index] += max(0.0, min(end, (k + 1) / fps) - max(start, k / fps))
    speaking = overlap.sum(axis=1) > 0
    visemes = np.where(speaking, overlap.argmax(axis=1), REST).astype(np.int8)
    rest_weight = np.where(speaking, 0.0, 1.0).astype(np.float32)
    hold = max(1, round(GAP_HOLD_SECONDS * fps))
    ease = max(1, round(REST_BLEND_SECONDS * fps)) if blend else 0
    k = 0
    while k < n_frames:
        if speaking[k] or k == 0:
            k += 1
            continue
        gap_end = k
        while gap_end < n_frames and not speaking[gap_end]:
            gap_end += 1
        last_shape = visemes[k - 1]
        if last_shape != REST:
            if gap_end - k <= hold and gap_end < n_frames:
                visemes[k:gap_end], rest_weight[k:gap_end] = last_shape, 0.0
            else:
                for j in range(min(ease, gap_end - k)):
                    visemes[k + j], rest_weight[k + j] = last_shape, (j + 1) / (ease + 1)
        k = gap_end
    return MouthTrack(visemes, rest_weight)


def _flap(start: float, end: float) -> list[tuple[float, float, str]]:
    shapes, out, t, i = ("open", "closed", "wide", "closed"), [], start, 0
    while t < end:
        out.append((t, min(end, t + 0.11), shapes[i % len(shapes)]))
        t, i = t + 0.11, i + 1
    return out


def blink_times(character_id: str, duration: float) -> list[float]:
    """Blink starts every 2-6 s, the same for the same character on every render."""
    rng = random.Random(zlib.crc32(character_id.encode()))
    times, t = [], rng.uniform(0.6, 3.0)
    while t < duration:
        times.append(t)
        t += rng.uniform(2.0, 6.0)
    return times


def is_blinking(times: list[float], t: float, frame_seconds: float) -> bool:
    """True when a blink overlaps the frame starting at t (a blink is never shorter than a frame)."""
    i = bisect.bisect_right(times, t + frame_seconds) - 1
    return i >= 0 and times[i] + BLINK_SECONDS > t


@dataclass(frozen=True)
class IdleMotion:
    """Offsets as fractions of the sprite height; scale_y > 1 when breathing in."""

    dx: float
    dy: float
    scale_y: float


def idle_motion(character_id: str, t: float) -> IdleMotion:
    """Gentle breathing bob and sway, out of phase between characters."""
    phase = (zlib.crc32(character_id.encode()) % 1000) / 1000 * 2 * math.pi
    breath = math.sin(2 * math.pi * t / 3.8 + phase)
    sway = math.sin(2 * math.pi * t / 6.3 + 1.7 * phase)
    return IdleMotion(dx=0.0025 * sway, dy=0.002 * breath, scale_y=1.0 + 0.004 * breath)


def camera_at(shot: Shot, t: float) -> Camera:
    """The camera on the shot's eased path at time t (held before the first and after the last key)."""
    keys = shot.camera
    if t <= keys[0].time:
        return keys[0].camera
    for a, b in itertools.pairwise(keys):
        if t < b.time:
            w = smoothstep((t - a.time) / (b.time - a.time)) if b.time > a.time else 1.0
            ca, cb = a.camera, b.camera
            return Camera(
                ca.zoom + (cb.zoom - ca.zoom) * w, ca.cx + (cb.cx - ca.cx) * w, ca.cy + (cb.cy - ca.cy) * w
            )
    return keys[-1].camera


def emphasis_at(shot: Shot, character_id: str, t: float) -> float:
    """1 for the shot's speaker, 0 for the others, eased when the shot glides in."""
    target = 1.0 if character_id == shot.speaker else 0.0
    if not shot.eased_in:
        return target
    before = 1.0 if character_id == shot.previous_speaker else 0.0
    return before + (target - before) * smoothstep((t - shot.start) / EMPHASIS_SECONDS)


def dimming_at(shot: Shot, character_id: str, t: float) -> float:
    """1 for a listener while someone else speaks, 0 for the speaker and during narration."""

    def level(speaker: str | None) -> float:
        return 0.0 if speaker is None or speaker == character_id else 1.0

    target = level(shot.speaker)
    if not shot.eased_in:
        return target
    before = level(shot.previous_speaker)
    return before + (target - before) * smoothstep((t - shot.start) / EMPHASIS_SECONDS)


class ExpressionTrack:
    """Which emotion a character shows: that of their latest line in the scene."""

    def __init__(self, timeline: Timeline) -> None:
        self._lines: dict[tuple[str, int], list[tuple[float, Emotion]]] = {}
        for line in sorted(timeline.lines, key=lambda ln: ln.start):
            self._lines.setdefault((line.speaker, line.scene_index), []).append((line.start, line.emotion))

    def emotion(self, character_id: str, scene_index: int, t: float) -> Emotion:
        lines = self._lines.get((character_id, scene_index))
        if not lines:
            return "neutral"
        current = lines[0][1]
        for start, emotion in lines:
            if start - 0.2 <= t:  # the face changes just before the line is spoken
                current = emotion
        return current


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
