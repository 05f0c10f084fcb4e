"""The voices stage with Kokoro-82M: timings, onset, age transforms by measured pitch, cache, previews."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import parselmouth
import pytest
import soundfile as sf

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.voice.assets import KokoroAssets, default_dir
from gpu_stages.voice.casting import derive
from gpu_stages.voice.presets import get_preset
from gpu_stages.voice.previews import preview
from gpu_stages.voice.stage import VoiceInput, VoiceSettings, VoiceStage
from gpu_stages.voice.voicing import LineVoicer
from schemas.media import Character, Line, Scene, ScriptPlan, VoicedLine, VoiceTrack

_problem = KokoroAssets(default_dir()).problem()
pytestmark = [
    pytest.mark.media,
    pytest.mark.skipif(_problem is not None, reason=f"Kokoro assets missing: {_problem}"),
]


def energy_onset(audio: np.ndarray, rate: int) -> float:
    """First 10 ms window whose RMS is within 30 dB of the loudest window."""
    size = int(0.01 * rate)
    frames = audio[: len(audio) // size * size].reshape(-1, size)
    rms = np.sqrt((frames**2).mean(axis=1)) + 1e-12
    db = 20 * np.log10(rms / rms.max())
    return float(np.flatnonzero(db > -30)[0] * 0.01)


def median_f0(audio: np.ndarray, rate: int) -> float:
    f0 = parselmouth.Sound(audio.astype(np.float64), rate).to_pitch(pitch_floor=60, pitch_ceiling=600)
    voiced = f0.selected_array["frequency"]
    return float(np.median(voiced[voiced > 0]))


def wav(store: LocalArtifactStore, line: VoicedLine) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(io.BytesIO(store.path(line.audio).read_bytes()), dtype="float32")
    return audio, rate


@pytest.fixture(scope="module")
def stage() -> VoiceStage:
    loaded = VoiceStage(VoiceSettings())
    loaded.ensure_loaded()
    return loaded


@pytest.fixture(scope="module")
def voicer(stage: VoiceStage) -> LineVoicer:
    return LineVoicer(stage.kokoro, stage.espeak)


TEXT = "The old lighthouse keeper smiled at the sea."


def test_a_kokoro_line_has_monotonic_word_timings_that_start_at_the_speech_onset(
    tmp_path: Path, stage: VoiceStage
) -> None:
    store = LocalArtifactStore(tmp_path)
    plan = ScriptPlan(
        title="t",
        language="en",
        estimated_seconds=3,
        characters=[Character(id="mira", name="Mira", age="adult", gender="female")],
        scenes=[
            Scene(
                index=0,
                heading="EXT. SHORE",
                setting="beach",
                lines=[Line(id="k1", speaker="mira", text=TEXT)],
            )
        ],
    )
    started = time.perf_counter()
    track = stage.run(VoiceInput(plan=plan), StageContext(artifacts=store))
    elapsed = time.perf_counter() - started
    assert isinstance(track, VoiceTrack)
    line = track.lines[0]
    assert line.voice_id == "en-us-adult-female-1"
    audio, rate = wav(store, line)
    assert rate == 24000 and line.duration == pytest.approx(len(audio) / rate, abs=1e-3)
    print(f"Kokoro real-time factor (incl. transforms and levelling): {elapsed / line.duration:.2f}")
    assert [w.word for w in line.words] == [
        "The",
        "old",
        "lighthouse",
        "keeper",
        "smiled",
        "at",
        "the",
        "sea",
    ]
    ends = 0.0
    for word in line.words:
        assert ends - 1e-6 <= word.start < word.end <= line.duration
        ends = word.end
    assert abs(line.words[0].start - energy_onset(audio, rate)) < 0.08
    # the last word ends where the speech does, give or take the model's trailing breath
    assert line.words[-1].end > line.duration - 0.4
    visemes = [p.viseme for p in line.phonemes]
    assert {"closed", "wide", "open", "round", "narrow"} <= set(visemes)
    smiled = next(w for w in line.words if w.word == "smiled")
    inside = [p for p in line.phonemes if smiled.start <= p.start < smiled.end]
    assert any(p.viseme == "closed" for p in inside)  # the m of "smiled"


def test_child_voice_is_high_and_senior_voice_lower_than_adult(tmp_path: Path, voicer: LineVoicer) -> None:
    store = LocalArtifactStore(tmp_path)
    text = "We walked home."
    adult = get_preset("en-us-adult-male-1")
    pitches = {}
    for name, preset in {
        "child": get_preset("en-us-child-female-1"),
        "adult": adult,
        "senior": derive(adult, "senior"),
    }.items():
        line = voicer.voice(name, text, preset, store)
        pitches[name] = median_f0(*wav(store, line))
    assert pitches["child"] > 250
    assert pitches["senior"] < pitches["adult"] * 0.9


def test_a_repeated_line_is_served_from_the_cache_without_synthesis(
    tmp_path: Path, stage: VoiceStage
) -> None:
    store = LocalArtifactStore(tmp_path)
    calls: list[str] = []
    original = stage.kokoro.synthesize

    def counting(text: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(text, *args, **kwargs)  # type: ignore[arg-type]

    stage.kokoro.synthesize = counting  # type: ignore[method-assign]
    try:
        line = Line(id="c1", speaker="narrator", text="Hello again.")
        repeat = Line(id="c2", speaker="narrator", text="Hello again.")
        plan = ScriptPlan(
            title="t",
            language="en",
            estimated_seconds=2,
            characters=[],
            scenes=[Scene(index=0, heading="H", setting="home", lines=[line, repeat])],
        )
        first = stage.run(VoiceInput(plan=plan), StageContext(artifacts=store))
        # a fresh stage on the same artifact store finds the index file
        again = VoiceStage(VoiceSettings())
        again.kokoro = stage.kokoro
        again.ensure_loaded()
        second = again.run(VoiceInput(plan=plan), StageContext(artifacts=store))
    finally:
        stage.kokoro.synthesize = original  # type: ignore[method-assign]
    assert isinstance(first, VoiceTrack) and isinstance(second, VoiceTrack)
    assert calls == ["Hello again."]
    assert [vl.line_id for vl in second.lines] == ["c1", "c2"]
    assert {vl.audio for vl in first.lines + second.lines} == {first.lines[0].audio}


def test_a_preview_is_made_once_and_then_cached(tmp_path: Path) -> None:
    started = time.perf_counter()
    first = preview("es-adult-female-1", cache_dir=tmp_path)
    made = time.perf_counter() - started
    started = time.perf_counter()
    second = preview("es-adult-female-1", cache_dir=tmp_path)
    cached = time.perf_counter() - started
    assert first == second and first[:4] == b"RIFF"
    audio, rate = sf.read(io.BytesIO(first), dtype="float32")
    assert rate == 24000 and len(audio) / rate > 1.0
    assert cached < made / 5


def test_a_japanese_line_is_read_from_mecab_readings(tmp_path: Path, voicer: LineVoicer) -> None:
    store = LocalArtifactStore(tmp_path)
    line = voicer.voice("j1", "東京へ行った。", get_preset("ja-adult-male-1"), store)
    assert [w.word for w in line.words] == ["東京へ", "行った"]
    # espeak's reading ("Chinese letter ...") took over 10 s for a sentence like this one
    assert 0.8 < line.duration < 3.0
    audio, rate = wav(store, line)
    assert abs(line.words[0].start - energy_onset(audio, rate)) < 0.08


def test_espeak_still_works_when_kokoro_loaded_its_own_espeak_copy_first() -> None:
    script = (
        "from gpu_stages.voice.assets import KokoroAssets, default_dir\n"
        "from gpu_stages.voice.kokoro_engine import KokoroEngine\n"
        "from gpu_stages.voice.espeak_engine import EspeakEngine, EspeakVoice\n"
        "KokoroEngine(KokoroAssets(default_dir())).load()\n"
        "s = EspeakEngine().synthesize('hello world', EspeakVoice('en-us'))\n"
        "print(len(s.words), round(s.duration, 1))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    words, seconds = result.stdout.split()
    assert words == "2" and float(seconds) > 0.4
