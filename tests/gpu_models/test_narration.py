"""Uploaded narration: faster-whisper (a tiny random Whisper converted to CTranslate2) gives timed lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("faster_whisper")
pytest.importorskip("ctranslate2")
pytest.importorskip("torch")

import numpy as np
import soundfile as sf

from gpu_stages.contract import StageContext
from gpu_stages.narration.stage import Narration, NarrationInput, NarrationSettings, NarrationStage
from gpu_stages.narration.transcript import HeardWord, clean_words, split_lines
from gpu_stages.timeline import build_timeline
from schemas.media import Scene, ScriptPlan, StageFailure
from tests.gpu_models.tiny_models import WHISPER_WORDS, build_whisper_ct2

RATE = 24000


@pytest.fixture(scope="module")
def whisper_dir(models_dir: Path) -> Path:
    return build_whisper_ct2(models_dir / "whisper")


@pytest.fixture(scope="module")
def stage(whisper_dir: Path) -> NarrationStage:
    loaded = NarrationStage(NarrationSettings(model_dir=str(whisper_dir), beam_size=1))
    loaded.ensure_loaded()
    return loaded


def recording(path: Path, seconds: float = 4.0, fmt: str = "WAV") -> Path:
    """Voiced-sounding bursts (a buzzing 150 Hz tone switched on and off three times a second)."""
    t = np.arange(round(seconds * RATE)) / RATE
    buzz = np.sign(np.sin(2 * np.pi * 150 * t)) * 0.2 * (np.sin(2 * np.pi * 1.5 * t) > 0)
    sf.write(path, buzz.astype(np.float32), RATE, format=fmt)
    return path


def transcribe(stage: NarrationStage, path: Path, ctx: StageContext) -> Narration:
    result = stage.run(NarrationInput(audio=str(path), language="en"), ctx)
    assert isinstance(result, Narration), result
    return result


def test_a_wav_becomes_lines_whose_word_timings_fall_inside_their_audio(
    stage: NarrationStage, tmp_path: Path, ctx: StageContext
) -> None:
    narration = transcribe(stage, recording(tmp_path / "n.wav"), ctx)
    assert narration.language == "en" and abs(narration.duration - 4.0) < 0.01
    assert narration.lines and len(narration.lines) == len(narration.voices.lines)
    assert len({line.id for line in narration.lines}) == len(narration.lines)
    heard = 0.0
    for line, voiced in zip(narration.lines, narration.voices.lines, strict=True):
        assert line.id == voiced.line_id and line.speaker == "narrator"
        assert line.text == " ".join(w.word for w in voiced.words)
        assert set(line.text.split()) <= set(WHISPER_WORDS)
        audio, rate = sf.read(ctx.artifacts.path(voiced.audio))
        assert rate == RATE and abs(len(audio) / rate - voiced.duration) < 0.001 and voiced.duration > 0
        starts = [w.start for w in voiced.words]
        assert starts == sorted(starts)
        assert all(0 <= w.start < w.end <= voiced.duration for w in voiced.words)
        assert voiced.phonemes and {p.viseme for p in voiced.phonemes} - {"rest"}
        heard += voiced.duration + line.pause_after
    assert heard <= narration.duration + 0.01  # the slices never overlap or run past the recording


def test_the_narration_replaces_synthesis_on_the_timeline(
    stage: NarrationStage, tmp_path: Path, ctx: StageContext
) -> None:
    narration = transcribe(stage, recording(tmp_path / "n.wav"), ctx)
    plan = ScriptPlan(
        title="Told", scenes=[Scene(index=0, heading="Story", setting="village", lines=narration.lines)],
        characters=[], estimated_seconds=narration.duration,
    )  # fmt: skip
    timeline = build_timeline(plan, narration.voices)
    assert [t.line_id for t in timeline.lines] == [line.id for line in narration.lines]


def test_an_mp3_upload_is_transcribed_too(stage: NarrationStage, tmp_path: Path, ctx: StageContext) -> None:
    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile cannot write MP3")
    narration = transcribe(stage, recording(tmp_path / "n.mp3", fmt="MP3"), ctx)
    assert narration.lines and abs(narration.duration - 4.0) < 0.1


def test_corrupt_audio_is_refused_with_what_to_do(stage: NarrationStage, tmp_path: Path, ctx: StageContext) -> None:
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3\x03\x00" + os.urandom(4000))
    failure = stage.run(NarrationInput(audio=str(broken)), ctx)
    assert isinstance(failure, StageFailure)
    assert "could not be decoded" in failure.reason and "WAV or MP3" in failure.reason


def test_a_recording_over_50_mb_is_refused_before_decoding(
    stage: NarrationStage, tmp_path: Path, ctx: StageContext
) -> None:
    big = tmp_path / "long.wav"
    with big.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    failure = stage.run(NarrationInput(audio=str(big)), ctx)
    assert isinstance(failure, StageFailure) and "50 MB" in failure.reason


def test_silence_is_refused(stage: NarrationStage, tmp_path: Path, ctx: StageContext) -> None:
    quiet = tmp_path / "quiet.wav"
    sf.write(quiet, np.zeros(RATE * 2, np.float32), RATE)
    failure = stage.run(NarrationInput(audio=str(quiet)), ctx)
    assert isinstance(failure, StageFailure) and "silent" in failure.reason


def test_without_a_model_folder_the_stage_names_the_setting(tmp_path: Path, ctx: StageContext) -> None:
    failure = NarrationStage().run(NarrationInput(audio=str(recording(tmp_path / "n.wav"))), ctx)
    assert isinstance(failure, StageFailure) and "FILMSTUDIO_WHISPER_MODEL_DIR" in failure.reason


def test_lines_split_at_sentence_ends_and_long_pauses_and_drop_instant_words() -> None:
    words = [
        HeardWord("The", 0.0, 0.2), HeardWord("bells", 0.2, 0.5), HeardWord("rang.", 0.5, 0.9),
        HeardWord("She", 1.0, 1.2), HeardWord("smiled", 1.2, 1.6), HeardWord("ghost", 1.6, 1.6),
        HeardWord("then", 2.6, 2.9), HeardWord("left", 2.9, 9.0),
    ]  # fmt: skip
    lines = split_lines(clean_words(words, duration=3.2))
    assert [line.text for line in lines] == ["The bells rang.", "She smiled", "then left"]
    assert lines[-1].end == 3.2
