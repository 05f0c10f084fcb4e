"""Split a film's picture into segments of a few seconds that are rendered, cached and joined on their own.

A scene is cut into pieces at speaker turns (where the shot changes anyway), each at least
`PIECE_SECONDS` long, plus a short still tail after its last line that holds the scene's padding
up to its 0.5 s grid. A scene entered by a crossfade or a fade through black starts its first
segment `TRANSITION_LEAD` seconds early, carrying the end of the previous scene, so the whole
transition is drawn inside it.

Everything in a segment (lines, mouths, shots, camera keys, subtitle cues) is counted from the
segment's own start, the exact film time of its cut. So when an edited line grows, the segments
after it in the scene only move and keep their cache keys; the tail re-renders (its length is
the grid's padding). A segment is placed on the nearest whole frame to its start, never more than
one frame off (scene starts are whole frames, so that error never builds up across scenes).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from gpu_stages.render.animate import camera_at
from gpu_stages.render.shots import (
    Shot,
    ShotList,
    on_screen_characters,
    scene_transition,
    settle_time,
    speaker_turns,
)
from schemas.media import (
    Backdrops,
    Cast,
    Cue,
    Scene,
    ScriptPlan,
    TimedLine,
    Timeline,
    VoiceTrack,
)

TRANSITION_LEAD = 0.5
"""Seconds a segment starts before its scene when it is entered by a transition (>= half the longest)."""
PIECE_SECONDS = 5.0
"""A segment ends at the first speaker turn at least this long after it began (each costs an x264 start-up)."""
SETTLED_SECONDS = 1.0
"""A shot running longer than this before a segment starts has finished easing (emphasis, highlight)."""


@dataclass(frozen=True)
class SegmentCut:
    """One segment: its scenes, the film time its content is counted from, and its frames."""

    scenes: tuple[int, ...]
    start: float
    first_frame: int
    frames: int


def _scene_anchors(
    timeline: Timeline, plan: ScriptPlan, scene: Scene, begin: float, end: float
) -> list[float]:
    """Cut times inside one scene (after `begin`): speaker turns PIECE_SECONDS apart, then the still tail."""
    span = next(s for s in timeline.scenes if s.scene_index == scene.index)
    lines = [line for line in timeline.lines if line.scene_index == scene.index]
    on_screen = set(on_screen_characters(scene, plan))
    anchors: list[float] = []
    tail = settle_time(span.start, span.end, lines) if lines else end
    last = begin
    for at, _who, _emotion in speaker_turns(span.start, lines, on_screen)[1:] if on_screen else []:
        if at - last >= PIECE_SECONDS and at < tail:
            anchors.append(at)
            last = at
    if tail > last and end - tail >= 0.05:
        anchors.append(tail)
    return anchors


def cut_segments(timeline: Timeline, plan: ScriptPlan, fps: int, total_frames: int) -> list[SegmentCut]:
    """Segments in film order covering frames 0..total_frames-1 exactly once."""
    by_index = {scene.index: scene for scene in plan.scenes}
    spans = timeline.scenes
    begins: list[tuple[tuple[int, ...], float]] = []
    previous: Scene | None = None
    for span in spans:
        scene = by_index[span.scene_index]
        blended = previous is not None and scene_transition(previous, scene).kind != "cut"
        if blended and previous is not None:
            begins.append(((previous.index, scene.index), span.start - TRANSITION_LEAD))
        else:
            begins.append(((scene.index,), span.start))
        previous = scene
    starts: list[tuple[tuple[int, ...], float, bool]] = []  # (scenes, content start, on a whole frame)
    for n, (span, (scenes, begin)) in enumerate(zip(spans, begins, strict=True)):
        starts.append((scenes, 0.0 if n == 0 else begin, True))
        end = begins[n + 1][1] if n + 1 < len(begins) else timeline.duration
        scene = by_index[span.scene_index]
        starts += [((scene.index,), at, False) for at in _scene_anchors(timeline, plan, scene, begin, end)]
    frames_at = _place(starts, fps)
    cuts: list[SegmentCut] = []
    for n, ((scenes, start, _), first) in enumerate(zip(starts, frames_at, strict=True)):
        last = frames_at[n + 1] if n + 1 < len(starts) else total_frames
        if last > first:
            cuts.append(SegmentCut(scenes, round(start, 6), first, last - first))
    return cuts


def _place(starts: list[tuple[tuple[int, ...], float, bool]], fps: int) -> list[int]:
    """First frame of each segment: a segment keeps the previous one's length rounded on its own (so a
    moved segment keeps its frame count), unless that leaves it more than a frame off its start."""
    placed: list[int] = []
    for n, (_, start, whole) in enumerate(starts):
        exact = start * fps
        if n == 0 or whole:
            placed.append(round(exact))
            continue
        previous = starts[n - 1][1]
        frame = placed[-1] + round((start - previous) * fps)
        if abs(frame - exact) > 1.0:
            frame = round(exact)
        placed.append(frame)
    return placed


def cut_times(cuts: list[SegmentCut]) -> frozenset[float]:
    """Segment starts where a shot must open with a cut rather than a glide."""
    return frozenset(cut.start for cut in cuts)


def _shift(seconds: float, origin: float) -> float:
    return round(seconds - origin, 3)


def segment_lines(timeline: Timeline, cut: SegmentCut, fps: int) -> Timeline:
    """The lines on screen during the segment, counted from its start (no scene spans: shots carry them)."""
    origin, end = cut.start, cut.start + cut.frames / fps
    return Timeline(
        duration=round(cut.frames / fps, 3),
        scenes=[],
        lines=[
            TimedLine.model_validate(
                {**line.model_dump(), "start": _shift(line.start, origin), "end": _shift(line.end, origin)}
            )
            for line in timeline.lines
            if line.start < end and line.end > origin
        ],
    )


def segment_shots(shots: ShotList, cut: SegmentCut, fps: int) -> ShotList:
    """The shots seen in the segment, counted from its start; a shot that began long before it is
    reduced to the state it has reached, so it does not tie the segment to when it began."""
    origin, end = cut.start, cut.start + cut.frames / fps
    inside = [s for s in shots.shots if s.start < end - 1e-6 and s.end > origin + 1e-6]
    out: list[Shot] = []
    for shot in inside:
        keys = tuple(dataclasses.replace(k, time=_shift(k.time, origin)) for k in shot.camera)
        start, eased, previous = _shift(shot.start, origin), shot.eased_in, shot.previous_speaker
        settled = origin - shot.start >= SETTLED_SECONDS and all(k.time <= origin for k in shot.camera)
        if settled:
            keys = (dataclasses.replace(shot.camera[-1], time=0.0, camera=camera_at(shot, origin)),)
            start, eased, previous = 0.0, False, None
        out.append(
            dataclasses.replace(
                shot,
                start=start,
                end=_shift(min(shot.end, end), origin),
                camera=keys,
                eased_in=eased,
                previous_speaker=previous,
            )
        )
    transitions = {
        after.scene_index: shots.scene_transitions[after.scene_index]
        for before, after in itertools.pairwise(out)
        if before.scene_index != after.scene_index
    }
    return ShotList(tuple(out), transitions, round(cut.frames / fps, 3))


def segment_cast(cast: Cast, shots: ShotList, hosts: list[str]) -> Cast:
    """The sprites of whoever appears in the segment's shots."""
    shown = set(hosts) | {p.character_id for shot in shots.shots for p in shot.placements}
    return Cast(characters=[c for c in cast.characters if c.character_id in shown])


def segment_voices(voices: VoiceTrack, timeline: Timeline) -> VoiceTrack:
    """The voiced lines the segment's mouths follow."""
    wanted = {line.line_id for line in timeline.lines}
    return VoiceTrack(lines=[v for v in voices.lines if v.line_id in wanted], sample_rate=voices.sample_rate)


def segment_backdrops(backdrops: Backdrops, shots: ShotList) -> Backdrops:
    shown = {shot.scene_index for shot in shots.shots}
    return Backdrops(scenes=[b for b in backdrops.scenes if b.scene_index in shown])


_DIALOGUE = re.compile(r"^Dialogue: ([^,]*),(\d+):(\d\d):(\d\d)\.(\d\d),(\d+):(\d\d):(\d\d)\.(\d\d),(.*)$")


def _dialogues(ass: str) -> list[str]:
    return [line for line in ass.splitlines() if _DIALOGUE.match(line)]


def _centiseconds(h: str, m: str, s: str, cs: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 100 + int(cs)


def _clock(centiseconds: int) -> str:
    seconds, cs = divmod(centiseconds, 100)
    minutes, s = divmod(seconds, 60)
    h, m = divmod(minutes, 60)
    return f"{h}:{m:02d}:{s:02d}.{cs:02d}"


def segment_ass(ass: str, start: float, seconds: float, cues: list[Cue] | None = None) -> str:
    """The ASS subtitles with only the cues shown in [start, start + seconds), re-based to `start`.

    `cues` are the events' exact times in order: re-basing them before rounding to centiseconds
    keeps a moved segment's subtitles identical (rounding first could move a cue by 1 cs)."""
    origin, length = round(start * 100), round(seconds * 100)
    exact = cues if cues is not None and len(cues) == len(_dialogues(ass)) else None
    out = []
    events = 0
    for line in ass.splitlines():
        found = _DIALOGUE.match(line)
        if found is None:
            out.append(line)
            continue
        g = found.groups()
        if exact is not None:
            cue = exact[events]
            begin, end = round(_shift(cue.start, start) * 100), round(_shift(cue.end, start) * 100)
        else:
            begin = _centiseconds(*g[1:5]) - origin
            end = _centiseconds(*g[5:9]) - origin
        events += 1
        if end <= 0 or begin >= length:
            continue
        out.append(f"Dialogue: {g[0]},{_clock(max(0, begin))},{_clock(min(length, end))},{g[9]}")
    return "\n".join(out) + "\n"
