"""Split a film's picture into per-scene segments that are rendered, cached and joined on their own.

A segment holds one scene; when the scene is entered by a crossfade or a fade through black, the
segment starts `TRANSITION_LEAD` seconds early and carries the previous scene too, so the whole
transition is drawn inside it. Everything in a segment is re-based to the segment's first frame
(scenes start on the timeline's grid, so that is a whole frame), which makes its inputs, and so its
cache key, independent of where the scene sits in the film: an edit in one scene leaves the other
scenes' segments in the cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gpu_stages.render.shots import on_screen_characters, scene_transition
from schemas.media import (
    Backdrops,
    Cast,
    Scene,
    SceneSpan,
    ScriptPlan,
    TimedLine,
    Timeline,
    VoiceTrack,
)

TRANSITION_LEAD = 0.5
"""Seconds a segment starts before its scene when it is entered by a transition (>= half the longest)."""


@dataclass(frozen=True)
class SegmentCut:
    """One segment: its scenes (the previous one first when a transition leads in) and its frames."""

    scenes: tuple[int, ...]
    start: float
    first_frame: int
    frames: int


def cut_segments(timeline: Timeline, plan: ScriptPlan, fps: int, total_frames: int) -> list[SegmentCut]:
    """One segment per scene, in film order, covering frames 0..total_frames-1 exactly once."""
    by_index = {scene.index: scene for scene in plan.scenes}
    spans = timeline.scenes
    starts: list[tuple[tuple[int, ...], float]] = []
    previous: Scene | None = None
    for span in spans:
        scene = by_index[span.scene_index]
        blended = previous is not None and scene_transition(previous, scene).kind != "cut"
        if blended and previous is not None:
            starts.append(((previous.index, scene.index), span.start - TRANSITION_LEAD))
        else:
            starts.append(((scene.index,), span.start))
        previous = scene
    cuts: list[SegmentCut] = []
    for n, (scenes, start) in enumerate(starts):
        first = round(start * fps) if n else 0
        last = round(starts[n + 1][1] * fps) if n + 1 < len(starts) else total_frames
        if last > first:
            cuts.append(SegmentCut(scenes, first / fps, first, last - first))
    return cuts


def _shift(seconds: float, origin: float) -> float:
    return round(seconds - origin, 3)


def segment_timeline(timeline: Timeline, cut: SegmentCut, fps: int) -> Timeline:
    """The segment's scenes and lines with times counted from the segment's first frame."""
    wanted = set(cut.scenes)
    origin = cut.start
    return Timeline(
        duration=round(cut.frames / fps, 3),
        scenes=[
            SceneSpan(scene_index=s.scene_index, start=_shift(s.start, origin), end=_shift(s.end, origin))
            for s in timeline.scenes
            if s.scene_index in wanted
        ],
        lines=[
            TimedLine.model_validate(
                {**line.model_dump(), "start": _shift(line.start, origin), "end": _shift(line.end, origin)}
            )
            for line in timeline.lines
            if line.scene_index in wanted
        ],
    )


def segment_plan(plan: ScriptPlan, cut: SegmentCut) -> ScriptPlan:
    """Only the segment's scenes, and nothing of the plan that differs between edits (title, estimates)."""
    wanted = set(cut.scenes)
    return ScriptPlan(
        title="",
        language=plan.language,
        scenes=[scene for scene in plan.scenes if scene.index in wanted],
        characters=plan.characters,
        estimated_seconds=0.0,
        pace=1.0,
        podcast=plan.podcast,
    )


def segment_cast(cast: Cast, plan: ScriptPlan, hosts: list[str]) -> Cast:
    """The sprites of whoever can appear in the segment's scenes."""
    shown = set(hosts)
    for scene in plan.scenes:
        shown.update(on_screen_characters(scene, plan))
    return Cast(characters=[c for c in cast.characters if c.character_id in shown])


def segment_voices(voices: VoiceTrack, timeline: Timeline) -> VoiceTrack:
    """The voiced lines the segment's mouths follow."""
    wanted = {line.line_id for line in timeline.lines}
    return VoiceTrack(lines=[v for v in voices.lines if v.line_id in wanted], sample_rate=voices.sample_rate)


def segment_backdrops(backdrops: Backdrops, cut: SegmentCut) -> Backdrops:
    return Backdrops(scenes=[b for b in backdrops.scenes if b.scene_index in cut.scenes])


_DIALOGUE = re.compile(r"^Dialogue: ([^,]*),(\d+):(\d\d):(\d\d)\.(\d\d),(\d+):(\d\d):(\d\d)\.(\d\d),(.*)$")


def _centiseconds(h: str, m: str, s: str, cs: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 100 + int(cs)


def _clock(centiseconds: int) -> str:
    seconds, cs = divmod(centiseconds, 100)
    minutes, s = divmod(seconds, 60)
    h, m = divmod(minutes, 60)
    return f"{h}:{m:02d}:{s:02d}.{cs:02d}"


def segment_ass(ass: str, start: float, seconds: float) -> str:
    """The ASS subtitles with only the cues shown in [start, start + seconds), re-based to `start`."""
    origin, length = round(start * 100), round(seconds * 100)
    out = []
    for line in ass.splitlines():
        found = _DIALOGUE.match(line)
        if found is None:
            out.append(line)
            continue
        g = found.groups()
        begin = _centiseconds(*g[1:5]) - origin
        end = _centiseconds(*g[5:9]) - origin
        if end <= 0 or begin >= length:
            continue
        out.append(f"Dialogue: {g[0]},{_clock(max(0, begin))},{_clock(min(length, end))},{g[9]}")
    return "\n".join(out) + "\n"
