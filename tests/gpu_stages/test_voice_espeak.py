"""The voices stage with espeak-ng: Arabic, drafts, timings, loudness and the Kokoro-missing fallback."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.voice.presets import PRESETS
from gpu_stages.voice.previews import preview_sentence
from gpu_stages.voice.stage import VoiceInput, VoiceSettings, VoiceStage
from schemas.film import VoiceChoice
from schemas.media import Character, Line, Scene, ScriptPlan, StageFailure, VoicedLine, VoiceTrack

pytestmark = pytest.mark.media


def energy_onset(audio: np.ndarray, rate: int) -> float:
    """First 10 ms window whose RMS is within 30 dB of the loudest window."""
    size = int(0.01 * rate)
    frames = audio[: len(audio) // size * size].reshape(-1, size)
    rms = np.sqrt((frames**2).mean(axis=1)) + 1e-12
    db = 20 * np.log10(rms / rms.max())
    return float(np.flatnonzero(db > -30)[0] * 0.01)


def read_wav(store: LocalArtifactStore, line: VoicedLine) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(io.BytesIO(store.path(line.audio).read_bytes()), dtype="float32")
    return audio, rate


def plan_of(
    language: str, lines: list[Line], characters: list[Character] | None = None, pace: float = 1.0
) -> ScriptPlan:
    return ScriptPlan(
        title="t",
        language=language,
        estimated_seconds=5.0,
        pace=pace,
        characters=characters or [],
        scenes=[Scene(index=0, heading="INT. ROOM", setting="home", lines=lines)],
    )


def assert_timings_sane(line: VoicedLine, audio: np.ndarray, rate: int) -> None:
    assert line.duration == pytest.approx(len(audio) / rate, abs=1e-3)
    previous_end = 0.0
    for word in line.words:
        assert previous_end - 1e-6 <= word.start <= word.end <= line.duration
        previous_end = word.end
    starts = [p.start for p in line.phonemes]
    assert starts == sorted(starts)
    assert all(0 <= p.start < p.end <= line.duration for p in line.phonemes)


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> VoiceStage:
    """One stage for the module, without Kokoro: every line here is Arabic or a draft (espeak-ng)."""
    shared = VoiceStage(VoiceSettings(kokoro_dir=str(tmp_path_factory.mktemp("no-kokoro"))))
    shared.ensure_loaded()
    return shared


ARABIC = "مرحبا يا صديقي، كيف حالك اليوم؟"


def test_an_arabic_line_is_spoken_by_espeak_with_exact_word_timings(
    tmp_path: Path, stage: VoiceStage
) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    messages: list[str] = []
    plan = plan_of(
        "ar",
        [Line(id="a1", speaker="layla", text=ARABIC)],
        [Character(id="layla", name="Layla", age="adult", gender="female")],
    )
    track = stage.run(
        VoiceInput(plan=plan), StageContext(artifacts=store, progress=lambda f, m: messages.append(m))
    )
    assert isinstance(track, VoiceTrack) and track.sample_rate == 24000
    line = track.lines[0]
    assert line.voice_id.startswith("ar-adult-female")
    audio, rate = read_wav(store, line)
    assert rate == 24000 and audio.ndim == 1
    assert [w.word for w in line.words] == ["مرحبا", "يا", "صديقي", "كيف", "حالك", "اليوم"]
    assert_timings_sane(line, audio, rate)
    assert abs(line.words[0].start - energy_onset(audio, rate)) < 0.08
    assert {"closed", "open", "wide", "narrow"} <= {p.viseme for p in line.phonemes}
    assert any("voicing line 1 of 1" in m for m in messages)


def test_draft_lines_are_levelled_to_the_same_loudness(tmp_path: Path, stage: VoiceStage) -> None:
    store = LocalArtifactStore(tmp_path)
    lines = [
        Line(id="q", speaker="narrator", text="The night was still."),
        Line(
            id="r", speaker="ravi", text="Bob ate five fish by the big blue sea, and then he slept for hours."
        ),
    ]
    plan = plan_of("en", lines, [Character(id="ravi", name="Ravi", age="young_adult", gender="male")])
    track = stage.run(VoiceInput(plan=plan, draft=True), StageContext(artifacts=store))
    assert isinstance(track, VoiceTrack)
    for line in track.lines:
        audio, rate = read_wav(store, line)
        assert_timings_sane(line, audio, rate)
        assert abs(line.words[0].start - energy_onset(audio, rate)) < 0.08
        assert pyloudnorm.Meter(rate).integrated_loudness(np.tile(audio, 2)) == pytest.approx(-20, abs=1.0)
        assert np.max(np.abs(audio)) < 0.9
    fish = track.lines[1]
    visemes = {p.viseme for p in fish.phonemes}
    assert {"closed", "teeth", "round", "wide", "narrow"} <= visemes
    assert len({line.voice_id for line in track.lines}) == 2


def test_pace_from_the_plan_shortens_the_speech(tmp_path: Path, stage: VoiceStage) -> None:
    store = LocalArtifactStore(tmp_path)
    line = Line(id="p", speaker="narrator", text="Slowly the river carried the little boat past the village.")
    durations = []
    for pace in (0.8, 1.25):
        track = stage.run(
            VoiceInput(plan=plan_of("en", [line], pace=pace), draft=True), StageContext(artifacts=store)
        )
        assert isinstance(track, VoiceTrack)
        durations.append(track.lines[0].words[-1].end - track.lines[0].words[0].start)
    assert durations[1] < durations[0] * 0.8


def test_missing_kokoro_assets_fall_back_to_espeak_with_a_warning(tmp_path: Path) -> None:
    messages: list[str] = []
    stage = VoiceStage(VoiceSettings(kokoro_dir=str(tmp_path / "no-kokoro-here")))
    plan = plan_of("en", [Line(id="e1", speaker="narrator", text="Once upon a time.")])
    track = stage.run(
        VoiceInput(plan=plan),
        StageContext(artifacts=LocalArtifactStore(tmp_path / "a"), progress=lambda f, m: messages.append(m)),
    )
    assert isinstance(track, VoiceTrack) and track.lines[0].duration > 0.5
    warning = next(m for m in messages if m.startswith("warning:"))
    assert (
        "not installed" in warning and "gpu_stages.voice.assets install" in warning and "espeak-ng" in warning
    )


def test_a_speed_outside_the_range_fails_the_stage_with_a_message(tmp_path: Path, stage: VoiceStage) -> None:
    choice = VoiceChoice.model_construct(
        character_id="narrator", speed=2.0
    )  # bypasses the schema's own check
    plan = plan_of("en", [Line(id="s1", speaker="narrator", text="Too fast.")])
    result = stage.run(
        VoiceInput(plan=plan, voices=[choice], draft=True),
        StageContext(artifacts=LocalArtifactStore(tmp_path)),
    )
    assert isinstance(result, StageFailure)
    assert "2x" in result.reason and "0.75-1.5x" in result.reason


def test_emotions_change_rate_pitch_and_loudness(tmp_path: Path, stage: VoiceStage) -> None:
    store = LocalArtifactStore(tmp_path)
    text = "I cannot believe you did that to the garden."
    lines = [
        Line(id=e, speaker="narrator", text=text, emotion=e) for e in ("sad", "neutral", "angry", "excited")
    ]
    track = stage.run(VoiceInput(plan=plan_of("en", lines), draft=True), StageContext(artifacts=store))
    assert isinstance(track, VoiceTrack)
    measured = {}
    for line in track.lines:
        audio, rate = read_wav(store, line)
        speech = line.words[-1].end - line.words[0].start
        lufs = pyloudnorm.Meter(rate).integrated_loudness(audio)
        measured[line.line_id] = (speech, lufs)
    assert measured["excited"][0] < measured["neutral"][0] < measured["sad"][0]
    assert measured["angry"][1] > measured["neutral"][1] + 2 > measured["sad"][1] + 2


def test_every_speaker_gets_a_distinct_fitting_voice_and_creator_choices_hold(
    tmp_path: Path, stage: VoiceStage
) -> None:
    characters = [
        Character(id="asha", name="Asha", age="adult", gender="female"),
        Character(id="meena", name="Meena", age="adult", gender="female"),
        Character(id="kabir", name="Kabir", age="child", gender="male"),
    ]
    lines = [
        Line(id=f"x{i}", speaker=s, text="Namaste.")
        for i, s in enumerate(["narrator", "asha", "meena", "kabir"])
    ]
    choices = [VoiceChoice(character_id="meena", preset="en-gb-adult-female-1")]
    track = stage.run(
        VoiceInput(plan=plan_of("en", lines, characters), voices=choices, draft=True),
        StageContext(artifacts=LocalArtifactStore(tmp_path)),
    )
    assert isinstance(track, VoiceTrack)
    voice_of = {line.line_id: line.voice_id for line in track.lines}
    assert voice_of["x2"] == "en-gb-adult-female-1"
    assert voice_of["x3"].startswith("en-us-child-male")
    assert len(set(voice_of.values())) == 4


@pytest.mark.parametrize("language", ["en-us", "en-gb", "hi", "es", "fr", "it", "pt-br", "zh", "ar", "de"])
def test_drafts_speak_every_preset_language_with_espeak(
    language: str, tmp_path: Path, stage: VoiceStage
) -> None:
    preset = next((p for p in PRESETS if p.language == language), None)
    voices = [VoiceChoice(character_id="narrator", preset=preset.id)] if preset else []
    text = preview_sentence(language)
    plan = plan_of(language, [Line(id="d", speaker="narrator", text=text)])
    track = stage.run(
        VoiceInput(plan=plan, voices=voices, draft=True), StageContext(artifacts=LocalArtifactStore(tmp_path))
    )
    assert isinstance(track, VoiceTrack), track
    line = track.lines[0]
    audio, rate = read_wav(store=LocalArtifactStore(tmp_path), line=line)
    assert_timings_sane(line, audio, rate)
    assert line.duration > 1.0 and len(line.words) >= 1
