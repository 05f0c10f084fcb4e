"""The script stage: from the creator's script text to an analysed, timed `ScriptPlan`."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from gpu_stages.contract import Stage, StageContext
from gpu_stages.script.analysis import analyse_script
from gpu_stages.script.duration import plan_duration
from gpu_stages.script.emotion import sentiment_analyser
from gpu_stages.script.errors import ScriptRejected
from gpu_stages.script.intake import DEFAULT_MAX_WORDS, check_script_text, parse_script
from gpu_stages.script.language import detect_language, language_model
from schemas.film import FilmSpec, ScriptFormat
from schemas.media import Culture, ScriptPlan, StageFailure


class ScriptSettings(BaseModel):
    """Limits of the creator's plan."""

    max_words: int = Field(DEFAULT_MAX_WORDS, gt=0)


class ScriptInput(BaseModel):
    """The film specification; the stage reads its script, format, language, culture and target."""

    spec: FilmSpec


def plan_script(
    text: str,
    fmt: ScriptFormat,
    *,
    title: str,
    language: str | None = None,
    culture: Culture | None = None,
    target_seconds: float | None = None,
    max_words: int = DEFAULT_MAX_WORDS,
    voice_speeds: Mapping[str, float] | None = None,
) -> ScriptPlan:
    """Check, parse, analyse and time a script; raises `ScriptRejected` when it cannot be used."""
    check_script_text(text, max_words=max_words)
    parsed = parse_script(text, fmt)
    if parsed.line_count == 0:
        raise ScriptRejected(
            "The script has no lines to speak (only headings or stage directions). Add narration "
            "or dialogue such as 'PRIYA: Hello!' and try again."
        )
    lang = (language or detect_language(text)).split("-")[0].lower()
    analysis = analyse_script(parsed, language=lang, culture=culture)
    timing = plan_duration(analysis.scenes, lang, target_seconds, voice_speeds)
    scenes = [
        scene.model_copy(
            update={
                "lines": [
                    line.model_copy(update={"pause_after": timing.pauses[line.id]}) for line in scene.lines
                ]
            }
        )
        for scene in analysis.scenes
    ]
    plan_title = title if title and title != "Untitled" else (parsed.title or title or "Untitled")
    return ScriptPlan(
        title=plan_title,
        language=lang,
        scenes=scenes,
        characters=analysis.characters,
        estimated_seconds=timing.estimated_seconds,
        target_seconds=target_seconds,
        pace=timing.pace,
        warnings=timing.warnings,
    )


class ScriptStage(Stage[ScriptSettings, ScriptInput, ScriptPlan]):
    """Turns the creator's script into scenes, cast, emotions and a duration plan."""

    name = "script"
    version = "1"

    def load(self) -> None:
        """Load the language model and the sentiment lexicon once."""
        language_model()
        sentiment_analyser()

    def run(self, inputs: ScriptInput, ctx: StageContext) -> ScriptPlan | StageFailure:
        """Plan the spec's script; a rejected script comes back as a non-retryable failure."""
        spec = inputs.spec
        ctx.progress(0.0, "Reading the script")
        speeds = {voice.character_id: voice.speed for voice in spec.voices if voice.speed != 1.0}
        try:
            plan = plan_script(
                spec.script,
                spec.script_format,
                title=spec.title,
                language=spec.language,
                culture=spec.culture,
                target_seconds=spec.target_seconds,
                max_words=self.settings.max_words,
                voice_speeds=speeds,
            )
        except ScriptRejected as exc:
            return StageFailure(reason=exc.message, retryable=False)
        ctx.progress(1.0, f"Planned {len(plan.scenes)} scenes, {len(plan.characters)} voices")
        return plan
