"""The film mix: loudness and true peak on target, music ducked under speech, cues joined, fast."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from scipy.signal import butter, resample_poly, sosfiltfilt

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.mix.film_mix import MixReport, mix_film
from schemas.media import MusicCue, MusicScore, SceneSpan, TimedLine, Timeline, VoicedLine, VoiceTrack

pytestmark = pytest.mark.media

RATE = 48000
VOICE_HZ = 1500.0
MUSIC_HZ = (196.0, 262.0)


def speechlike(seconds: float, rate: int = 24000) -> np.ndarray:
    """A 1.5 kHz tone with syllable-rate amplitude modulation: loud and peaky like speech."""
    t = np.arange(int(seconds * rate)) / rate
    syllables = 0.55 + 0.45 * np.sin(2 * np.pi * 4.0 * t)
    return (0.5 * syllables * np.sin(2 * np.pi * VOICE_HZ * t)).astype(np.float32)


def music(seconds: float, frequency: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    mono = 0.1 * np.sin(2 * np.pi * frequency * t)
    return np.stack([mono, mono], axis=1).astype(np.float32)


def film(tmp_path: Path, seconds: float, line_every: float = 6.0, line_seconds: float = 2.0):
    """Two scenes, a line every few seconds, each scene with its own music tone."""
    store = LocalArtifactStore(tmp_path / "store")
    half = round(seconds / 2, 3)
    scenes = [
        SceneSpan(scene_index=0, start=0.0, end=half),
        SceneSpan(scene_index=1, start=half, end=seconds),
    ]
    lines, voiced = [], []
    for k, start in enumerate(np.arange(1.0, seconds - line_seconds - 0.5, line_every)):
        path = tmp_path / f"line{k}.wav"
        sf.write(path, speechlike(line_seconds), 24000)
        key = store.put_file(path, ".wav")
        scene = 0 if start < half else 1
        lines.append(TimedLine(line_id=f"l{k}", scene_index=scene, speaker="narrator", text="...",
                               start=float(start), end=float(start + line_seconds)))  # fmt: skip
        voiced.append(
            VoicedLine(line_id=f"l{k}", audio=key, duration=line_seconds, words=[], phonemes=[], voice_id="t")
        )
    cues = []
    for span, frequency in zip(scenes, MUSIC_HZ, strict=True):
        path = tmp_path / f"cue{span.scene_index}.wav"
        sf.write(path, music(span.end - span.start, frequency), RATE)
        cues.append(MusicCue(scene_index=span.scene_index, audio=store.put_file(path, ".wav"),
                             duration=span.end - span.start, style="ambient"))  # fmt: skip
    timeline = Timeline(duration=seconds, scenes=scenes, lines=lines)
    return timeline, VoiceTrack(lines=voiced, sample_rate=24000), MusicScore(cues=cues), store


def band(audio: np.ndarray, low: float, high: float) -> np.ndarray:
    return sosfiltfilt(butter(4, [low, high], btype="bandpass", fs=RATE, output="sos"), audio.mean(axis=1))


def rms_db(x: np.ndarray) -> float:
    return 20 * np.log10(float(np.sqrt(np.mean(np.square(x)))) + 1e-12)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Timeline, MixReport]:
    """A 22 s film: lines at 1, 7, 13 and 19 s; the scene cut at 11 s falls between lines."""
    tmp_path = tmp_path_factory.mktemp("mix")
    timeline, voices, score, store = film(tmp_path, 22.0)
    return timeline, mix_film(timeline, voices, score, store, tmp_path / "mix.wav")


def test_the_mix_is_mastered_to_minus_14_lufs_with_true_peak_under_minus_1(
    mixed: tuple[Timeline, MixReport],
) -> None:
    timeline, report = mixed
    audio, rate = sf.read(report.wav, always_2d=True)
    assert rate == RATE and audio.shape[1] == 2
    assert len(audio) == round(timeline.duration * RATE)
    loudness = pyloudnorm.Meter(RATE).integrated_loudness(audio)
    true_peak = 20 * np.log10(np.max(np.abs(resample_poly(audio, 4, 1, axis=0))))
    assert abs(loudness + 14.0) <= 1.0, loudness
    assert true_peak <= -1.0, true_peak
    assert abs(report.integrated_lufs - loudness) < 0.1 and abs(report.true_peak_dbtp - true_peak) < 0.1


def test_music_is_at_least_10_db_quieter_during_speech_than_between_lines(
    mixed: tuple[Timeline, MixReport],
) -> None:
    timeline, report = mixed
    audio, _ = sf.read(report.wav, always_2d=True)
    tones = band(audio, 150, 320)  # the music tones; the voice sits at 1.5 kHz
    speech = [tones[int((line.start + 0.5) * RATE) : int((line.end - 0.3) * RATE)] for line in timeline.lines]
    gaps = [
        tones[int((a.end + 1.5) * RATE) : int((b.start - 0.3) * RATE)]
        for a, b in zip(timeline.lines, timeline.lines[1:], strict=False)
    ]
    during = rms_db(np.concatenate(speech))
    between = rms_db(np.concatenate(gaps))
    assert between - during >= 10.0, f"music only {between - during:.1f} dB lower under speech"
    voice = band(audio, 1200, 1800)
    assert rms_db(voice[int(1.5 * RATE) : int(2.5 * RATE)]) > during + 6.0  # speech stays on top


def test_scene_cues_crossfade_without_a_hole_at_the_cut(mixed: tuple[Timeline, MixReport]) -> None:
    timeline, report = mixed
    audio, _ = sf.read(report.wav, always_2d=True)
    cut = timeline.scenes[1].start
    assert all(line.end < cut - 1.5 or line.start > cut + 1.0 for line in timeline.lines)
    music_level = band(audio, 150, 320)
    window = int(0.02 * RATE)
    levels = [
        rms_db(music_level[int((cut + dt) * RATE) : int((cut + dt) * RATE) + window])
        for dt in np.arange(-0.5, 0.5, 0.02)
    ]
    assert max(levels) - min(levels) < 3.0, "the level dips at the scene cut"
    first = rms_db(band(audio, 185, 207)[int((cut - 1.5) * RATE) : int((cut - 0.5) * RATE)])
    second_before = rms_db(band(audio, 250, 274)[int((cut - 1.5) * RATE) : int((cut - 0.5) * RATE)])
    assert first > second_before + 20  # before the cut, only the first scene's cue plays


def test_a_60_second_mix_takes_a_few_seconds(tmp_path: Path) -> None:
    timeline, voices, score, store = film(tmp_path, 60.0, line_every=4.0, line_seconds=2.5)
    started = time.perf_counter()
    report = mix_film(timeline, voices, score, store, tmp_path / "mix.wav")
    elapsed = time.perf_counter() - started
    print(f"60 s mix took {elapsed:.2f} s ({report.integrated_lufs} LUFS, {report.true_peak_dbtp} dBTP)")
    assert isinstance(report, MixReport) and abs(report.duration - 60.0) < 1e-3
    assert elapsed < 20.0  # a few seconds on an idle machine; generous on 2 shared cores
