"""Composed cues: every style renders at the exact length; ragas keep their notes; tabla and tanpura sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt, stft

from gpu_stages.music.arrangement import SAMPLE_RATE, CueRequest
from gpu_stages.music.compose import COMPOSERS, compose_cue
from gpu_stages.music.ragas import RAGAS, choose_raga

pytestmark = pytest.mark.media

SA_MIDI = 61


def rms_db(audio: np.ndarray) -> float:
    return 20 * np.log10(float(np.sqrt(np.mean(np.square(audio)))) + 1e-12)


def chroma_from_sa(audio: np.ndarray, low: float = 200.0, high: float = 1500.0) -> np.ndarray:
    """Share of spectral energy per pitch class, counted in semitones above Sa (C#)."""
    freqs, _, spectrum = stft(audio.mean(axis=1), SAMPLE_RATE, nperseg=8192)
    power = np.square(np.abs(spectrum)).mean(axis=1)
    band = (freqs >= low) & (freqs <= high)
    classes = (np.round(12 * np.log2(freqs[band] / 440.0) + 69).astype(int) - SA_MIDI) % 12
    chroma = np.bincount(classes, weights=power[band], minlength=12)
    return chroma / chroma.sum()


def band_rms_db(audio: np.ndarray, low: float, high: float) -> float:
    sos = butter(4, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    return rms_db(sosfiltfilt(sos, audio.mean(axis=1)))


def band_peakiness(audio: np.ndarray, low: float, high: float) -> float:
    """95th percentile over median of a band's 10 ms envelope: high for struck, decaying sounds."""
    sos = butter(4, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    band = sosfiltfilt(sos, audio.mean(axis=1))
    frames = band[: len(band) // 480 * 480].reshape(-1, 480)
    envelope = np.sqrt(np.mean(np.square(frames), axis=1))
    return float(np.percentile(envelope, 95) / np.median(envelope))


@pytest.mark.parametrize("style", sorted(COMPOSERS))
def test_every_style_renders_a_cue_of_the_requested_duration_that_is_not_silent(
    style: str, tmp_path: Path
) -> None:
    seconds = 6.37
    audio = compose_cue(CueRequest(style=style, mood="happy", seconds=seconds, seed=5), work_dir=tmp_path)
    assert audio.shape[1] == 2
    assert abs(len(audio) / SAMPLE_RATE - seconds) <= 0.02
    assert rms_db(audio) > -40.0, f"{style} cue is nearly silent"
    middle = audio[len(audio) // 3 : 2 * len(audio) // 3]
    assert rms_db(middle) > -40.0, f"{style} cue has no music in its middle"


def test_a_cue_is_the_same_for_the_same_seed_and_differs_for_another(tmp_path: Path) -> None:
    request = CueRequest(style="piano", mood="sad", seconds=5.0, seed=9)
    first = compose_cue(request, work_dir=tmp_path)
    again = compose_cue(request, work_dir=tmp_path)
    other = compose_cue(CueRequest(style="piano", mood="sad", seconds=5.0, seed=10), work_dir=tmp_path)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_a_cadence_cue_fades_out_and_a_looping_cue_flows_back_into_its_start(tmp_path: Path) -> None:
    cadence = compose_cue(CueRequest(style="ambient", mood="calm", seconds=8.0, seed=2), work_dir=tmp_path)
    assert rms_db(cadence[-480:]) < rms_db(cadence) - 30  # the last 10 ms are essentially silent
    loop = compose_cue(
        CueRequest(style="ambient", mood="calm", seconds=8.0, seed=2, ending="loop"), work_dir=tmp_path
    )
    assert len(loop) == round(8.0 * SAMPLE_RATE)
    # around the loop point the level is continuous: end and start have similar loudness, no click
    assert abs(rms_db(loop[-4800:]) - rms_db(loop[:4800])) < 6.0
    assert float(np.max(np.abs(loop[0] - loop[-1]))) < 0.1


def test_moods_change_tempo_and_loudness(tmp_path: Path) -> None:
    calm = compose_cue(CueRequest(style="orchestral", mood="calm", seconds=6.0, seed=1), work_dir=tmp_path)
    angry = compose_cue(CueRequest(style="orchestral", mood="angry", seconds=6.0, seed=1), work_dir=tmp_path)
    assert rms_db(angry) > rms_db(calm) + 3.0


@pytest.mark.parametrize(("mood", "time_of_day", "raga", "sharp_over_natural"), [
    ("calm", "dusk", "Yaman", (6, 5)),  # Yaman: tivra Ma, never shuddh Ma
    ("sad", "dawn", "Bhairav", (1, 2)),  # Bhairav: komal Re, never shuddh Re
])  # fmt: skip
def test_a_raga_cue_keeps_to_the_ragas_notes(
    mood: str,
    time_of_day: str,
    raga: str,
    sharp_over_natural: tuple[int, int],
    yaman: np.ndarray,
    tmp_path: Path,
) -> None:
    assert choose_raga(mood, time_of_day, 0).name == raga  # type: ignore[arg-type]
    request = CueRequest(style="raga", mood=mood, seconds=12.0, seed=0, time_of_day=time_of_day)
    audio = yaman if raga == "Yaman" else compose_cue(request, work_dir=tmp_path)
    chroma = chroma_from_sa(audio)
    scale = RAGAS[raga].pitch_classes
    in_scale = sum(chroma[pc] for pc in scale)
    assert in_scale >= 0.85, f"only {in_scale:.0%} of the energy is on {raga}'s notes: {np.round(chroma, 3)}"
    wanted, foreign = sharp_over_natural
    assert chroma[wanted] > 2 * chroma[foreign]
    melody_only = (
        1 - chroma[0] - chroma[7]
    )  # without Sa and Pa (the drone's notes), the melody is still in scale
    assert sum(chroma[pc] for pc in scale if pc not in (0, 7)) / melody_only >= 0.75


@pytest.fixture(scope="module")
def yaman(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """16 s of Yaman at dusk: alap (no tabla) for the first 4.8 s, then the gat."""
    request = CueRequest(style="raga", mood="calm", seconds=16.0, seed=0, time_of_day="dusk")
    return compose_cue(request, work_dir=tmp_path_factory.mktemp("yaman"))


def test_tanpura_drone_and_tabla_are_heard_in_a_raga_cue(yaman: np.ndarray) -> None:
    audio = yaman
    # the tanpura's kharaj Sa (69.3 Hz) and lower Pa (103.8 Hz) stand out of the low spectrum
    freqs, _, spectrum = stft(audio.mean(axis=1), SAMPLE_RATE, nperseg=16384)
    power = np.square(np.abs(spectrum)).mean(axis=1)
    low = (freqs > 40) & (freqs < 250)
    floor = np.median(power[low])
    for frequency in (69.3, 103.8):
        near = np.abs(freqs - frequency) < 2.0
        assert 10 * np.log10(power[near].max() / floor) > 10.0, f"no drone at {frequency} Hz"
    # the alap has no tabla; once the gat starts, bayan and dayan bands gain energy
    alap = audio[int(0.5 * SAMPLE_RATE) : int(4.3 * SAMPLE_RATE)]
    gat = audio[int(5.5 * SAMPLE_RATE) : int(14.0 * SAMPLE_RATE)]
    assert band_rms_db(gat, 80, 125) > band_rms_db(alap, 80, 125) + 3.0, "no bayan strokes"
    # the dayan is tuned to Sa (277 Hz): its strokes make that band pulse (peaks far above the median)
    assert band_peakiness(gat, 250, 320) > 1.5 * band_peakiness(alap, 250, 320), "no dayan strokes"
