"""A creator's reading of the script voices the film: heard words matched to the script's lines, each cut out."""

from __future__ import annotations

import io
import threading
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.film_pipeline import FilmStageRunner
from gpu_stages.models.selection import ModelEngines
from gpu_stages.narration.read_script import ReadScriptInput, ReadScriptStage, match_lines
from gpu_stages.narration.transcript import HeardWord
from gpu_stages.script.stage import plan_script
from gpu_stages.voice.voicing import LEAD_IN, SAMPLE_RATE, TAIL
from schemas.film import FilmSpec
from schemas.media import StageFailure, VoiceTrack
from tests.gpu_stages.test_creator_assets import run_until

SCRIPT = "PRIYA: Good morning, Ben.\n\nBEN: Ready for the trip?\n"
HEARD = [
    HeardWord(" Good", 0.50, 0.80),
    HeardWord(" morning", 0.80, 1.10),
    HeardWord(" Ben.", 1.10, 1.40),
    HeardWord(" Ready", 2.00, 2.30),
    HeardWord(" for", 2.30, 2.40),
    HeardWord(" a", 2.40, 2.45),  # misheard "the"
    HeardWord(" trip?", 2.45, 2.90),
]


class HeardStage(ReadScriptStage):
    """The real stage with a transcriber that hears fixed words (no Whisper model in tests)."""

    def __init__(self, heard: list[HeardWord]) -> None:
        super().__init__()
        self.heard = heard

    def open_model(self) -> None:
        pass

    def _transcribe(self, audio: np.ndarray, language: str | None) -> tuple[list[HeardWord], str]:
        return self.heard, language or "en"


def recording(seconds: float = 3.5) -> bytes:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    buffer = io.BytesIO()
    sf.write(buffer, 0.3 * np.sin(2 * np.pi * 180 * t), SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


@pytest.fixture
def store(tmp_path: Any) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path / "artifacts")


def test_each_script_line_is_cut_from_where_it_was_heard(store: LocalArtifactStore) -> None:
    plan = plan_script(SCRIPT, "text", title="Trip")
    audio = store.put_bytes(recording(), ".wav")
    track = HeardStage(HEARD).run(ReadScriptInput(plan=plan, audio=audio), StageContext(store))
    assert isinstance(track, VoiceTrack)
    lines = [line for scene in plan.scenes for line in scene.lines]
    assert [v.line_id for v in track.lines] == [line.id for line in lines]
    first, second = track.lines
    assert first.duration == pytest.approx(1.40 + TAIL - (0.50 - LEAD_IN), abs=0.002)
    assert second.duration == pytest.approx(2.90 + TAIL - (2.00 - LEAD_IN), abs=0.002)
    assert [w.word for w in first.words] == ["Good", "morning", "Ben."]
    assert first.words[0].start == pytest.approx(LEAD_IN, abs=0.002)
    assert first.voice_id == "upload" and first.phonemes
    cut = sf.info(str(store.path(second.audio)))
    assert cut.duration == pytest.approx(second.duration, abs=0.002)


def test_a_line_missing_from_the_recording_is_named(store: LocalArtifactStore) -> None:
    plan = plan_script(SCRIPT + "\nPRIYA: Pack the tent!\n", "text", title="Trip")
    audio = store.put_bytes(recording(), ".wav")
    failure = HeardStage(HEARD).run(ReadScriptInput(plan=plan, audio=audio), StageContext(store))
    assert isinstance(failure, StageFailure)
    assert "Pack the tent!" in failure.reason and "record it" in failure.reason


def test_words_match_lines_in_order_despite_a_misheard_word() -> None:
    plan = plan_script(SCRIPT, "text", title="Trip")
    lines = [line for scene in plan.scenes for line in scene.lines]
    matched = match_lines(lines, HEARD)
    assert [[w.text.strip() for w in words] for words in matched] == [
        ["Good", "morning", "Ben."],
        ["Ready", "for", "trip?"],
    ]


def test_the_film_pipeline_voices_a_film_from_the_narration(store: LocalArtifactStore) -> None:
    audio = store.put_bytes(recording(), ".wav")
    spec = FilmSpec(title="Trip", script=SCRIPT, resolution="480p", draft=True, narration_upload=audio)
    runner = FilmStageRunner(store, engines=ModelEngines(whisper_model_dir="/models/whisper"))
    runner._stages["narration"] = HeardStage(HEARD)  # the stage the settings would build, minus Whisper
    runner._locks["narration"] = threading.Lock()
    outputs = run_until(runner, spec, "mix")
    assert not any(isinstance(v, StageFailure) for v in outputs.values()), outputs
    voices = VoiceTrack.model_validate(outputs["voices"])
    assert {v.voice_id for v in voices.lines} == {"upload"}
    assert runner.lines_voiced == 0  # nothing was synthesised
    mixed = sf.info(str(store.path(outputs["mix"]["audio"]))).duration
    assert mixed > sum(v.duration for v in voices.lines)
