"""Place voiced lines on the film clock: the one timeline audio, pictures and subtitles share.

Every scene starts on a multiple of `SCENE_GRID` seconds, a whole number of frames at both 24 and
30 fps, and its lines are placed by their offset from the scene's start. So a scene's own timing
(re-based to its start) does not change when an earlier scene grows or shrinks: the render stage
can reuse that scene's picture segment after an edit elsewhere.
"""

from __future__ import annotations

import math

from schemas.media import SceneSpan, ScriptPlan, TimedLine, Timeline, VoiceTrack

SCENE_LEAD_IN = 0.6
"""Seconds of picture before a scene's first line, so a cut never lands on a word."""
SCENE_TAIL = 0.8
"""Seconds after a scene's last line before the next scene starts."""
EMPTY_SCENE_SECONDS = 2.5
SCENE_GRID = 0.5
"""Scene lengths are rounded up to this: 12 frames at 24 fps, 15 at 30, and exact in binary."""


def on_grid(seconds: float) -> float:
    """`seconds` rounded up to the scene grid (a hair of float noise does not add a step)."""
    return math.ceil(round(seconds / SCENE_GRID, 6)) * SCENE_GRID


def build_timeline(
    plan: ScriptPlan, voices: VoiceTrack, *, intro: float = 0.0, outro: float = 0.0
) -> Timeline:
    """Lay out scenes and lines back to back using each line's real voiced duration.

    `intro` adds seconds before the first scene's first line, `outro` after the last scene's last
    line (a podcast's music plays there).
    """
    durations = {line.line_id: line.duration for line in voices.lines}
    start = 0.0
    spans: list[SceneSpan] = []
    timed: list[TimedLine] = []
    for n, scene in enumerate(plan.scenes):
        clock = SCENE_LEAD_IN + (intro if n == 0 else 0.0)  # seconds from the scene's start
        for line in scene.lines:
            if line.id not in durations:
                raise ValueError(f"line {line.id!r} of scene {scene.index} has no voiced audio")
            offset = round(clock, 3)
            end = round(clock + durations[line.id], 3)
            timed.append(
                TimedLine(
                    line_id=line.id,
                    scene_index=scene.index,
                    speaker=line.speaker,
                    text=line.text,
                    emotion=line.emotion,
                    start=round(start + offset, 3),
                    end=round(start + end, 3),
                )
            )
            clock = clock + durations[line.id] + line.pause_after
        last = n == len(plan.scenes) - 1
        length = on_grid(max(clock + SCENE_TAIL + (outro if last else 0.0), EMPTY_SCENE_SECONDS))
        spans.append(SceneSpan(scene_index=scene.index, start=start, end=start + length))
        start += length
    return Timeline(duration=start, scenes=spans, lines=timed)
