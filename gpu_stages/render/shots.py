"""Shot planning: who is on screen where, the camera's framing, and how scenes hand over.

Positions are in stage coordinates: fractions of the output frame (0..1 across, 0..1 down), so a
9:16 frame gets its own composition instead of a crop of the 16:9 one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemas.media import AspectRatio, Cast, Emotion, Scene, ScriptPlan, TimedLine, Timeline

TransitionKind = Literal["cut", "crossfade", "fade_black"]

NARRATOR = "narrator"
MAX_ON_SCREEN = 4
REFRAME_SECONDS = 0.8
"""How long the camera takes to glide to a new speaker."""
SHOT_LEAD = 0.2
"""A speaker's shot starts this long before their first word, so the cut never lands on it."""
FILM_FADE = 0.5
"""Fade in from black at the start and out to black at the end."""
SETTLE_AFTER_LAST_LINE = 0.2
"""The camera comes to rest this long after a scene's last line; the rest of the scene is a still tail
(so the scene's padding up to its 0.5 s grid changes no camera move before it)."""
PUNCHY: frozenset[Emotion] = frozenset({"angry", "surprised", "excited"})
GENTLE: frozenset[Emotion] = frozenset({"sad", "calm"})


@dataclass(frozen=True)
class Camera:
    """The stage point shown at the frame centre (cx, cy) and the zoom (1 = whole stage)."""

    zoom: float = 1.0
    cx: float = 0.5
    cy: float = 0.5


@dataclass(frozen=True)
class CameraKey:
    time: float
    camera: Camera


@dataclass(frozen=True)
class Placement:
    """Where a character stands: centre x, bottom edge and height, as fractions of the frame."""

    character_id: str
    x: float
    bottom: float
    height: float
    feather: bool = False
    """Soften the sprite's bottom edge (a bust standing in an upper row of a stacked frame)."""


@dataclass(frozen=True)
class Transition:
    kind: TransitionKind
    duration: float


@dataclass(frozen=True)
class Shot:
    """A stretch of one scene with a fixed line-up, one speaker (or none) and a camera path."""

    scene_index: int
    start: float
    end: float
    placements: tuple[Placement, ...]
    speaker: str | None
    previous_speaker: str | None
    camera: tuple[CameraKey, ...]
    eased_in: bool
    """True when the shot begins with a camera glide (emphasis eases too); False after a cut."""


@dataclass(frozen=True)
class ShotList:
    """All shots on the film clock plus the transition into each scene."""

    shots: tuple[Shot, ...]
    scene_transitions: dict[int, Transition]
    duration: float
    fade_in: bool = True
    """Fade up from black at time 0 (a segment in the middle of the film does not)."""
    fade_out: bool = True
    """Fade to black at `duration`."""

    def weights_at(self, t: float) -> list[tuple[Shot, float]]:
        """The shots visible at time t and their opacity; what is left up to 1 is black."""
        index = self._shot_index(t)
        shot = self.shots[index]
        visible: list[tuple[Shot, float]] = [(shot, 1.0)]
        following = self.shots[index + 1] if index + 1 < len(self.shots) else None
        preceding = self.shots[index - 1] if index > 0 else None
        if following is not None and following.scene_index != shot.scene_index:
            into_next = self.scene_transitions[following.scene_index]
            if t >= following.start - into_next.duration / 2:
                visible = self._blend(shot, following, t, into_next)
        if preceding is not None and preceding.scene_index != shot.scene_index:
            into_this = self.scene_transitions[shot.scene_index]
            if t < shot.start + into_this.duration / 2:
                visible = self._blend(preceding, shot, t, into_this)
        fade = self.fade_at(t)
        return [(s, w * fade) for s, w in visible if w > 0.0]

    def fade_at(self, t: float) -> float:
        """The film's fade from and to black at time t: 0 black, 1 full picture."""
        into = max(0.0, t / FILM_FADE) if self.fade_in else 1.0
        out = max(0.0, (self.duration - t) / FILM_FADE) if self.fade_out else 1.0
        return smoothstep(min(1.0, into, out))

    def _shot_index(self, t: float) -> int:
        for i, shot in enumerate(self.shots):
            if t < shot.end:
                return i
        return len(self.shots) - 1

    @staticmethod
    def _blend(before: Shot, after: Shot, t: float, transition: Transition) -> list[tuple[Shot, float]]:
        boundary, half = after.start, transition.duration / 2
        if transition.kind == "cut" or half <= 0 or not boundary - half <= t < boundary + half:
            return [(after, 1.0)] if t >= boundary else [(before, 1.0)]
        if transition.kind == "crossfade":
            w = smoothstep((t - (boundary - half)) / transition.duration)
            return [(before, 1.0 - w), (after, w)]
        if t < boundary:  # fade through black: out, then in
            return [(before, 1.0 - smoothstep((t - (boundary - half)) / half))]
        return [(after, smoothstep((t - boundary) / half))]


def smoothstep(x: float) -> float:
    """Ease in/out on [0, 1]: zero slope at both ends."""
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


class MissingSprites(Exception):
    """A character speaks on screen but the cast has no sprites for them."""


def on_screen_characters(scene: Scene, plan: ScriptPlan) -> list[str]:
    """Who appears: the scene's speakers in order of first line, narrators excluded, at most 4."""
    narrators = {c.id for c in plan.characters if c.is_narrator} | {NARRATOR}
    seen: list[str] = []
    for line in scene.lines:
        if line.speaker not in narrators and line.speaker not in seen:
            seen.append(line.speaker)
    return seen[:MAX_ON_SCREEN]


def layout(
    characters: list[str], aspect: AspectRatio, sprite_aspect: dict[str, float]
) -> tuple[Placement, ...]:
    """Place 1-4 characters for the frame's shape: side by side when wide, stacked when tall."""
    n = len(characters)
    if n == 0:
        return ()
    frame_aspect = {"16:9": 16 / 9, "9:16": 9 / 16, "1:1": 1.0}[aspect]
    if aspect == "9:16" and n > 1:
        # Two rows: the upper row stands behind (bottom at mid-frame, edge feathered).
        rows = [characters[: n // 2], characters[n // 2 :]]
        bottoms, height, feathers = [0.56, 1.0], 0.40, [True, False]
    else:
        rows, bottoms, feathers = [characters], [1.0], [False]
        height = {"16:9": [0.78, 0.72, 0.64, 0.58], "9:16": [0.58], "1:1": [0.78, 0.66, 0.55, 0.48]}[aspect][
            n - 1
        ]
    placements: list[Placement] = []
    for row, bottom, feather in zip(rows, bottoms, feathers, strict=True):
        count = len(row)
        slot = 0.92 / count  # share of the frame width each character may use
        for i, cid in enumerate(row):
            x = 0.5 + (i - (count - 1) / 2) * slot
            if aspect == "9:16" and count == 1 and n > 1:
                x = 0.38 if feather else 0.62  # stagger the rows so faces do not line up
            # Fit the sprite into its slot (width = height * sprite aspect, in frame-width units).
            fit = slot * 1.1 * frame_aspect / sprite_aspect.get(cid, 0.75)
            placements.append(Placement(cid, round(x, 4), bottom, round(min(height, fit), 4), feather))
    return tuple(placements)


def speaker_framing(placement: Placement | None) -> Camera:
    """A closer framing that leans toward the speaker's face without losing the others."""
    if placement is None:
        return Camera(1.0)
    zoom = 1.1
    face_y = placement.bottom - placement.height * 0.62
    half = 0.5 / zoom
    cx = min(1 - half, max(half, 0.5 + (placement.x - 0.5) * 0.4))
    cy = min(1 - half, max(half, 0.5 + (face_y - 0.5) * 0.4))
    return Camera(zoom, round(cx, 4), round(cy, 4))


def scene_transition(previous: Scene | None, scene: Scene) -> Transition:
    """Pick the hand-over into a scene from the change of time and mood."""
    if previous is None:
        return Transition("cut", 0.0)  # the film's own fade-in covers the start
    if previous.time_of_day != scene.time_of_day:
        return Transition("fade_black", 1.0)  # time has passed
    if scene.mood in GENTLE:
        return Transition("crossfade", 0.8)
    if scene.mood in PUNCHY:
        return Transition("cut", 0.0)
    if previous.setting != scene.setting or previous.mood != scene.mood:
        return Transition("crossfade", 0.5)
    return Transition("cut", 0.0)


def speaker_turns(
    start: float, lines: list[TimedLine], on_screen: set[str]
) -> list[tuple[float, str | None, Emotion]]:
    """A scene's speaker turns: (shot start, speaker on screen or None, emotion of the turn's first line)."""
    turns: list[tuple[float, str | None, Emotion]] = []
    for line in lines:
        who = line.speaker if line.speaker in on_screen else None
        if not turns:
            turns.append((start, who, line.emotion))  # the scene opens on whoever speaks first
        elif who != turns[-1][1]:
            previous_end = max([ln.end for ln in lines if ln.end <= line.start] or [start])
            at = max(previous_end, line.start - SHOT_LEAD, turns[-1][0])
            if at <= turns[-1][0] + 1e-6:
                turns[-1] = (turns[-1][0], who, line.emotion)
            else:
                turns.append((at, who, line.emotion))
    return turns or [(start, None, "neutral")]


def settle_time(start: float, end: float, lines: list[TimedLine]) -> float:
    """When the scene's camera comes to rest: just after its last line (the scene's end without lines)."""
    if not lines:
        return end
    return min(end, max(start, max(line.end for line in lines) + SETTLE_AFTER_LAST_LINE))


def plan_shots(
    timeline: Timeline,
    plan: ScriptPlan,
    cast: Cast,
    aspect: AspectRatio,
    *,
    moving_camera: bool = True,
    cuts: frozenset[float] = frozenset(),
) -> ShotList:
    """Turn the timeline into shots: one per speaker turn, a slow camera move when nobody is on.

    A turn starting at a time in `cuts` (a render segment's start) opens with a cut, not a glide,
    so the segment does not depend on where the camera was in the segment before it."""
    sprites = {c.character_id: c for c in cast.characters}
    scenes = {s.index: s for s in plan.scenes}
    shots: list[Shot] = []
    transitions: dict[int, Transition] = {}
    previous_scene: Scene | None = None
    for span in timeline.scenes:
        scene = scenes[span.scene_index]
        transitions[scene.index] = scene_transition(previous_scene, scene)
        previous_scene = scene
        cast_ids = on_screen_characters(scene, plan)
        missing = [cid for cid in cast_ids if cid not in sprites]
        if missing:
            raise MissingSprites(
                f"scene {scene.index} shows {', '.join(missing)} but the cast has no sprites for them; "
                "generate the cast again including every speaking character"
            )
        aspects = {cid: sprites[cid].size[0] / sprites[cid].size[1] for cid in cast_ids}
        placements = layout(cast_ids, aspect, aspects)
        lines = [line for line in timeline.lines if line.scene_index == scene.index]
        settle = settle_time(span.start, span.end, lines)
        if not placements:
            shots.append(_narration_shot(scene.index, span.start, span.end, settle, moving_camera))
            continue
        shots.extend(
            _dialogue_shots(scene.index, span.start, span.end, settle, placements, lines, moving_camera, cuts)
        )
    return ShotList(tuple(shots), transitions, timeline.duration)


def _narration_shot(scene_index: int, start: float, end: float, settle: float, moving: bool) -> Shot:
    # A slow push-in and drift across the backdrop; direction alternates between scenes.
    direction = 1 if scene_index % 2 == 0 else -1
    first = Camera(1.0, 0.5 - 0.03 * direction, 0.5) if moving else Camera(1.0)
    last = Camera(1.08, 0.5 + 0.03 * direction, 0.48) if moving else Camera(1.0)
    keys = (CameraKey(start, first), CameraKey(settle if settle > start else end, last))
    return Shot(scene_index, start, end, (), None, None, keys, eased_in=True)


def _dialogue_shots(
    scene_index: int,
    start: float,
    end: float,
    settle: float,
    placements: tuple[Placement, ...],
    lines: list[TimedLine],
    moving: bool,
    cuts: frozenset[float],
) -> list[Shot]:
    by_id = {p.character_id: p for p in placements}
    turns = speaker_turns(start, lines, set(by_id))
    shots: list[Shot] = []
    camera = Camera(1.0)
    previous_speaker: str | None = None
    for i, (at, who, emotion) in enumerate(turns):
        until = turns[i + 1][0] if i + 1 < len(turns) else end
        # The last turn's push ends with the last line, not with the scene's padding.
        until_camera = settle if i + 1 == len(turns) and settle > at else until
        target = speaker_framing(by_id.get(who) if who else None)
        drift = Camera(target.zoom + 0.025, target.cx, target.cy)
        cut_here = any(abs(at - c) < 1e-6 for c in cuts)
        if not moving:
            keys: tuple[CameraKey, ...] = (CameraKey(at, target),)
            glide = False
        elif i == 0 or emotion in PUNCHY or cut_here:
            keys = (CameraKey(at, target), CameraKey(until_camera, drift))  # a cut, then a slow push
            glide = False
        else:  # re-frame: glide from where the camera is to the new speaker, then push slowly
            glide_end = min(until_camera, at + REFRAME_SECONDS)
            keys = (CameraKey(at, camera), CameraKey(glide_end, target), CameraKey(until_camera, drift))
            glide = True
        shots.append(Shot(scene_index, at, until, placements, who, previous_speaker, keys, glide and i > 0))
        camera = keys[-1].camera
        previous_speaker = who
    return shots
