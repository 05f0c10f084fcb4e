"""A podcast's plan: who the hosts are, and the gaps between their turns.

Gaps follow how people talk: a question is answered quickly, a trailing "..." leaves a beat, a
host who keeps talking only breathes, and a long turn earns the listener a slightly longer pause.
Every gap stays under `MAX_GAP`, so there is no dead air; lines never overlap (the timeline places
each line after the previous one ends).
"""

from __future__ import annotations

from schemas.media import Line, ScriptPlan

MIN_HOSTS = 2
MAX_HOSTS = 4
INTRO_SECONDS = 3.0
"""Intro music alone before the first word."""
OUTRO_SECONDS = 3.5
"""Outro music alone after the last word."""
INTRO_CUE = -1
OUTRO_CUE = -2
"""Scene indices of the intro and outro music cues in a podcast's score (no scene has them)."""
INTRO_MUSIC_SECONDS = 5.1
"""The intro plays alone until the first word (lead-in + `INTRO_SECONDS`), then fades under it."""
OUTRO_MUSIC_SECONDS = 4.6
"""The outro comes in under the last word's tail and ends on the last frame."""
SAME_HOST_GAP = 0.22
MIN_GAP = 0.15
MAX_GAP = 0.9
PER_WORD = 0.012
"""Extra pause per word of the turn that just ended (up to `LONG_TURN_BONUS`)."""
LONG_TURN_BONUS = 0.25
ENDINGS: tuple[tuple[str, float], ...] = (
    ("...", 0.62),
    ("…", 0.62),
    ("?", 0.28),
    ("!", 0.34),
    (".", 0.42),
    (",", 0.18),  # cut off mid-thought: the other host jumps in
    ("-", 0.15),
    ("—", 0.15),
)
NARRATORS = frozenset({"narrator"})
CLOSING_QUOTES = "\"')]\u00bb\u201d\u2019"
"""Quotes and brackets that may follow a line's last punctuation."""


class PodcastRefused(ValueError):
    """The script cannot be a podcast (too few or too many hosts); the message says what to change."""


def hosts(plan: ScriptPlan) -> list[str]:
    """The speaking hosts in order of first line (narration is not a host)."""
    narrators = NARRATORS | {c.id for c in plan.characters if c.is_narrator}
    seen: dict[str, None] = {}
    for scene in plan.scenes:
        for line in scene.lines:
            if line.speaker not in narrators:
                seen.setdefault(line.speaker)
    return list(seen)


def looks_like_podcast(plan: ScriptPlan) -> bool:
    """Every scene is in a podcast studio and 2-4 hosts talk (the bundled podcast template does)."""
    return (
        bool(plan.scenes)
        and all(scene.setting == "podcast_studio" for scene in plan.scenes)
        and MIN_HOSTS <= len(hosts(plan)) <= MAX_HOSTS
    )


def turn_gap(line: Line, following: Line | None) -> float:
    """Seconds of silence after `line`: by its last punctuation, the turn's length and who talks next."""
    if following is not None and following.speaker == line.speaker:
        return SAME_HOST_GAP
    text = line.text.rstrip().rstrip(CLOSING_QUOTES)
    base = next((gap for mark, gap in ENDINGS if text.endswith(mark)), 0.4)
    bonus = min(LONG_TURN_BONUS, PER_WORD * len(line.text.split()))
    return round(min(MAX_GAP, max(MIN_GAP, base + bonus)), 3)


def podcast_plan(plan: ScriptPlan) -> ScriptPlan:
    """The plan as a podcast: every scene in the studio, turn-taking gaps; raises PodcastRefused."""
    speakers = hosts(plan)
    if not MIN_HOSTS <= len(speakers) <= MAX_HOSTS:
        found = ", ".join(speakers) or "nobody"
        raise PodcastRefused(
            f"A podcast needs {MIN_HOSTS} to {MAX_HOSTS} hosts, but this script has {len(speakers)} ({found}). "
            "Write the transcript as 'NAME: line' with 2-4 different names, or turn podcast mode off."
        )
    lines = [line for scene in plan.scenes for line in scene.lines]
    gaps = {
        line.id: turn_gap(line, lines[i + 1] if i + 1 < len(lines) else None) for i, line in enumerate(lines)
    }
    scenes = [
        scene.model_copy(
            update={
                "setting": "podcast_studio",
                "interior": True,
                "lines": [line.model_copy(update={"pause_after": gaps[line.id]}) for line in scene.lines],
            }
        )
        for scene in plan.scenes
    ]
    return plan.model_copy(update={"scenes": scenes, "podcast": True})
