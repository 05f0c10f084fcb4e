"""Place voiced lines on the film clock: the one timeline audio, pictures and subtitles share."""

from __future__ import annotations

from schemas.media import SceneSpan, ScriptPlan, TimedLine, Timeline, VoiceTrack

SCENE_LEAD_IN = 0.6
"""Seconds of picture before a scene's first line, so a cut never lands on a word."""
SCENE_TAIL = 0.8
"""Seconds after a scene's last line before the next scene starts."""
EMPTY_SCENE_SECONDS = 2.5


def build_timeline(plan: ScriptPlan, voices: VoiceTrack) -> Timeline:
    """Lay out scenes and lines back to back using each line's real voiced duration."""
    durations = {line.line_id: line.duration for line in voices.lines}
    clock = 0.0
    spans: list[SceneSpan] = []
    timed: list[TimedLine] = []
    for scene in plan.scenes:
        start = clock
        clock += SCENE_LEAD_IN
        for line in scene.lines:
            if line.id not in durations:
                raise ValueError(f"line {line.id!r} of scene {scene.index} has no voiced audio")
            end = clock + durations[line.id]
            timed.append(
                TimedLine(
                    line_id=line.id,
                    scene_index=scene.index,
                    speaker=line.speaker,
                    text=line.text,
                    emotion=line.emotion,
                    start=round(clock, 3),
                    end=round(end, 3),
                )
            )
            clock = end + line.pause_after
        clock = max(clock + SCENE_TAIL, start + EMPTY_SCENE_SECONDS)
        spans.append(SceneSpan(scene_index=scene.index, start=round(start, 3), end=round(clock, 3)))
    return Timeline(duration=round(clock, 3), scenes=spans, lines=timed)
