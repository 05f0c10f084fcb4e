"""Duration planning: scripts fit their target within 5 %, or the creator is told what to change."""

from __future__ import annotations

import re

import pytest

from gpu_stages.script import list_templates, load_template, plan_script
from gpu_stages.script.duration import PACE_RANGE, speech_seconds
from gpu_stages.timeline import build_timeline
from schemas.media import ScriptPlan, VoicedLine, VoiceTrack

STORY = (
    "Once upon a time, in a village by a wide river, there lived a potter named Ravi. Every morning "
    "he walked to the riverbank to gather clay, and every evening he shaped it into lamps.\n\n"
    "RAVI: These lamps will light a hundred homes this Diwali.\n\n"
    "MEERA: And which one will light ours?\n\n"
    "Ravi smiled and held up the smallest lamp, a little crooked, painted with blue flowers. "
    "His daughter had made it the year before, when her hands were still too small for the wheel.\n\n"
    "RAVI: This one. It has always been the brightest.\n\n"
    "That night the whole village glowed, and the crooked lamp burned until the sun came up."
)


def _voiced(plan: ScriptPlan) -> VoiceTrack:
    """What a voice stage speaking at the planned pace would produce, per the estimate."""
    return VoiceTrack(
        lines=[
            VoicedLine(
                line_id=line.id,
                audio="none.wav",
                duration=speech_seconds(line.text, plan.language) / plan.pace,
                words=[],
                phonemes=[],
                voice_id="test",
            )
            for scene in plan.scenes
            for line in scene.lines
        ]
    )


@pytest.mark.parametrize("target", [40.0, 48.0, 60.0])
def test_script_fits_target_within_five_percent(target: float) -> None:
    natural = plan_script(STORY, "text", title="Lamps").estimated_seconds
    plan = plan_script(STORY, "text", title="Lamps", target_seconds=target)
    assert abs(plan.estimated_seconds - target) <= 0.05 * target
    assert plan.warnings == []
    assert PACE_RANGE[0] <= plan.pace <= PACE_RANGE[1]
    # Slower speech for a longer target, faster for a shorter one.
    assert (plan.pace < 1.0) == (target > natural)
    # The plan's pauses and pace really add up to the estimate on the shared timeline.
    timeline = build_timeline(plan, _voiced(plan))
    assert timeline.duration == pytest.approx(plan.estimated_seconds, abs=0.05)


def test_script_too_long_for_target_gets_a_warning_with_words_to_cut() -> None:
    long_text = "\n\n".join([STORY] * 4)
    plan = plan_script(long_text, "text", title="Long", target_seconds=60)
    assert plan.pace == PACE_RANGE[1]
    assert len(plan.warnings) == 1
    warning = plan.warnings[0]
    natural = plan_script(long_text, "text", title="Long").estimated_seconds
    assert "at a natural pace; the target is 60 s. Cut about" in warning
    assert "or raise the duration." in warning
    minutes, seconds = map(int, re.search(r"about (\d+) min (\d+) s", warning).groups())  # type: ignore[union-attr]
    assert abs(minutes * 60 + seconds - natural) <= 5
    words_to_cut = int(re.search(r"Cut about ([\d,]+) words", warning)[1].replace(",", ""))  # type: ignore[index]
    expected = (natural - 60) * 150 / 60  # English narration at 150 words a minute
    assert 0.7 * expected <= words_to_cut <= 1.3 * expected


def test_script_too_short_for_target_asks_for_more_words() -> None:
    plan = plan_script("ASHA: Hello! Welcome to the show.", "text", title="Short", target_seconds=120)
    assert plan.pace == PACE_RANGE[0]
    assert len(plan.warnings) == 1
    assert "Add about" in plan.warnings[0] and "the target is 2 min" in plan.warnings[0]


def test_speaking_rate_depends_on_language_and_cjk_counts_characters() -> None:
    words = " ".join(["palabra"] * 150)
    assert speech_seconds(words, "es") < speech_seconds(words, "de")
    assert speech_seconds(words, "en") == pytest.approx(60.0)
    chinese = "我们今天去公园散步" * 26  # 234 characters
    assert speech_seconds(chinese, "zh") == pytest.approx(234 * 60 / 260)
    assert speech_seconds("Yes, well, no.", "en") > speech_seconds("Yes well no", "en")


def test_faster_voices_shorten_the_estimate() -> None:
    normal = plan_script(STORY, "text", title="x")
    fast = plan_script(STORY, "text", title="x", voice_speeds={"narrator": 1.4})
    assert fast.estimated_seconds < normal.estimated_seconds - 5


def test_no_target_keeps_natural_pace_and_default_pauses() -> None:
    plan = plan_script(STORY, "text", title="x")
    assert plan.pace == 1.0 and plan.target_seconds is None and plan.warnings == []
    pauses = [line.pause_after for scene in plan.scenes for line in scene.lines]
    assert all(0.2 <= pause <= 0.7 for pause in pauses)


def test_templates_are_listed_and_load_with_their_format() -> None:
    assert list_templates() == ["educational", "marketing", "story", "podcast", "devotional"]
    formats = {name: load_template(name)[1] for name in list_templates()}
    assert formats["story"] == "fountain" and formats["podcast"] == "text"
    with pytest.raises(KeyError, match="Choose one of"):
        load_template("horror")


@pytest.mark.parametrize("name", ["educational", "marketing", "story", "podcast", "devotional"])
def test_every_template_plans_without_warnings_at_its_natural_length(name: str) -> None:
    text, fmt = load_template(name)
    plan = plan_script(text, fmt, title="Untitled")
    assert plan.warnings == []
    assert 55 <= plan.estimated_seconds <= 95, plan.estimated_seconds
    assert plan.language == "en"
    fitted = plan_script(text, fmt, title="Untitled", target_seconds=round(plan.estimated_seconds / 5) * 5)
    assert fitted.warnings == []


def test_template_content_matches_its_kind() -> None:
    story = plan_script(*load_template("story"), title="x")
    speakers = [c for c in story.characters if not c.is_narrator]
    assert 2 <= len(speakers) <= 3
    assert {scene.culture for scene in story.scenes} == {"indian"}
    podcast = plan_script(*load_template("podcast"), title="x")
    hosts = {line.speaker for scene in podcast.scenes for line in scene.lines}
    assert 2 <= len(hosts - {"narrator"}) <= 3
    assert podcast.scenes[0].setting == "podcast_studio"
    devotional, _ = load_template("devotional")
    assert re.search(r"[\u0900-\u097F]{3,}", devotional)
    assert "May all beings be happy" in devotional
    plan = plan_script(devotional, "markdown", title="x")
    assert plan.scenes[0].setting == "temple" and plan.scenes[0].mood == "calm"
