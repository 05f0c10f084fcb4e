"""Narrow views of a script plan, so a stage's cache key holds only what that stage reads.

Editing one line changes the plan; the cast, the backdrops and other scenes' music do not depend
on line text, so they are handed a plan with the text taken out and stay cached.
"""

from __future__ import annotations

from schemas.media import Line, Scene, ScriptPlan


def plan_for_cast(plan: ScriptPlan) -> ScriptPlan:
    """Characters, and per scene its place, culture and who speaks (one placeholder line per speaker)."""
    scenes = [
        scene.model_copy(
            update={
                "mood": "neutral",  # moods follow the lines' sentiment; the cast's looks do not
                "time_of_day": "day",
                "lines": [
                    Line(id=speaker, speaker=speaker, text="")
                    for speaker in dict.fromkeys(line.speaker for line in scene.lines)
                ],
            }
        )
        for scene in plan.scenes
    ]
    return _bare(plan, scenes, keep_characters=True)


def plan_for_backdrops(plan: ScriptPlan) -> ScriptPlan:
    """Only the scenes' headings, settings, times of day and cultures (not their moods, which follow the lines)."""
    scenes = [scene.model_copy(update={"lines": [], "mood": "neutral"}) for scene in plan.scenes]
    return _bare(plan, scenes, keep_characters=False)


def plan_for_scene_music(plan: ScriptPlan, scene: Scene) -> ScriptPlan:
    """One scene without its lines (its length is given exactly), under the film's title (which seeds the cue)."""
    return _bare(plan, [scene.model_copy(update={"lines": []})], keep_characters=False, keep_title=True)


def _bare(
    plan: ScriptPlan, scenes: list[Scene], *, keep_characters: bool, keep_title: bool = False
) -> ScriptPlan:
    return ScriptPlan(
        title=plan.title if keep_title else "",
        language=plan.language,
        scenes=scenes,
        characters=plan.characters if keep_characters else [],
        estimated_seconds=0.0,
        pace=plan.pace,
    )
