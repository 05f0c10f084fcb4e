"""MarianMT subtitles: a tiny random Marian model loaded from a folder translates through the port."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

from gpu_stages.contract import StageContext
from gpu_stages.models.marian import MarianTranslator
from gpu_stages.subtitles import SubtitleInput, SubtitleSettings, SubtitleStage, TranslationUnavailable
from schemas.film import SubtitleStyle
from schemas.media import (
    SceneSpan,
    StageFailure,
    Subtitles,
    TimedLine,
    Timeline,
    VoicedLine,
    VoiceTrack,
    WordTiming,
)
from tests.gpu_models.tiny_models import build_marian

TEXTS = ["the cat sat on the mat", "", "good morning to the village"]


@pytest.fixture(scope="module")
def marian_root(models_dir: Path) -> Path:
    root = models_dir / "marian"
    build_marian(root / "en-fr", target="fr")
    return root


def film() -> tuple[Timeline, VoiceTrack]:
    texts = [t for t in TEXTS if t]
    lines, voiced, clock = [], [], 0.6
    for n, text in enumerate(texts):
        words = [WordTiming(word=w, start=0.3 * i, end=0.3 * i + 0.25) for i, w in enumerate(text.split())]
        duration = words[-1].end + 0.1
        lines.append(TimedLine(line_id=f"l{n}", scene_index=0, speaker="narrator", text=text, start=clock, end=clock + duration))
        voiced.append(VoicedLine(line_id=f"l{n}", audio="x.wav", duration=duration, words=words, phonemes=[], voice_id="v"))
        clock += duration + 0.4
    timeline = Timeline(duration=clock, scenes=[SceneSpan(scene_index=0, start=0, end=clock)], lines=lines)
    return timeline, VoiceTrack(lines=voiced)


def test_texts_come_back_in_order_one_for_one_and_blank_stays_blank(marian_root: Path) -> None:
    out = MarianTranslator(marian_root).translate(TEXTS, "en", "fr")
    assert len(out) == 3 and out[1] == ""
    assert out[0].strip() and out[2].strip()
    assert out[0] != TEXTS[0]


def test_the_offline_subtitle_track_is_labelled_with_the_target_language(
    marian_root: Path, ctx: StageContext
) -> None:
    timeline, voices = film()
    stage = SubtitleStage(
        SubtitleSettings(translator="offline", marian_model_dir=str(marian_root))
    )
    result = stage.run(
        SubtitleInput(timeline=timeline, voices=voices, language="en", style=SubtitleStyle(),
                      width=1280, height=720, translate_to=["fr-FR"]),
        ctx,
    )  # fmt: skip
    assert isinstance(result, Subtitles), result
    original, french = result.tracks
    assert (original.language, original.translated) == ("en", False)
    assert (french.language, french.label, french.translated) == ("fr-FR", "French (machine translated)", True)
    assert french.cues and all(c.text.strip() for c in french.cues)
    assert "WEBVTT" in ctx.artifacts.path(french.vtt).read_text()


def test_a_missing_language_pair_fails_the_stage_naming_the_folder_to_add(
    marian_root: Path, ctx: StageContext
) -> None:
    with pytest.raises(TranslationUnavailable, match="en-hi/"):
        MarianTranslator(marian_root).translate(["hello"], "en", "hi")
    timeline, voices = film()
    stage = SubtitleStage(SubtitleSettings(translator="offline", marian_model_dir=str(marian_root)))
    failure = stage.run(
        SubtitleInput(timeline=timeline, voices=voices, language="en", style=SubtitleStyle(),
                      width=1280, height=720, translate_to=["hi"]),
        ctx,
    )  # fmt: skip
    assert isinstance(failure, StageFailure) and "Hindi" in failure.reason


def test_a_single_model_folder_refuses_a_language_it_does_not_write(marian_root: Path) -> None:
    single = MarianTranslator(marian_root / "en-fr")
    assert single.available("en", "fr") is None
    reason = single.available("en", "de")
    assert reason is not None and "French" in reason
