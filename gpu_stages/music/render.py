"""Render an arrangement with the FluidSynth CLI and shape it to the exact requested length."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf

from gpu_stages.music.arrangement import SAMPLE_RATE, Arrangement

HOUSE_LUFS = -20.0
"""Loudness every cue is rendered at (before its mood offset); the mix masters the film later."""


class RenderFailed(RuntimeError):
    """FluidSynth could not render a cue."""


def synthesise_midi(arrangement: Arrangement, soundfont: Path, work_dir: Path, name: str) -> np.ndarray:
    """Run FluidSynth on the arrangement's MIDI; returns stereo float32 at 48 kHz."""
    work_dir.mkdir(parents=True, exist_ok=True)
    midi_path = work_dir / f"{name}.mid"
    wav_path = work_dir / f"{name}.wav"
    arrangement.midi.write(str(midi_path))
    command = [
        "fluidsynth", "-ni", "-q", "-g", "0.8",
        "-o", "audio.file.format=float",
        "-F", str(wav_path), "-r", str(SAMPLE_RATE), str(soundfont), str(midi_path),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not wav_path.exists():
        raise RenderFailed(f"fluidsynth failed: {result.stderr.strip()[-400:]}")
    audio, rate = sf.read(wav_path, dtype="float32", always_2d=True)
    if rate != SAMPLE_RATE:
        raise RenderFailed(f"fluidsynth wrote {rate} Hz, expected {SAMPLE_RATE}")
    if audio.shape[1] == 1:
        audio = np.repeat(audio, 2, axis=1)
    return audio[:, :2]


def mix_layers(length: int, midi_audio: np.ndarray, layers: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """Sum the MIDI render and the numpy layers into a buffer of `length` samples."""
    out = np.zeros((length, 2), dtype=np.float32)
    n = min(length, len(midi_audio))
    out[:n] += midi_audio[:n]
    for start, samples in layers:
        offset = round(start * SAMPLE_RATE)
        if offset >= length:
            continue
        n = min(length - offset, len(samples))
        out[offset : offset + n] += samples[:n]
    return out


def fade(audio: np.ndarray, fade_in: float, fade_out: float) -> np.ndarray:
    """Raised-cosine fades, in place."""
    for seconds, head in ((fade_in, True), (fade_out, False)):
        n = min(len(audio), round(seconds * SAMPLE_RATE))
        if n <= 1:
            continue
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)[:, None]
        if head:
            audio[:n] *= ramp
        else:
            audio[-n:] *= ramp[::-1]
    return audio


def loop_seamlessly(audio: np.ndarray, length: int, overlap: int) -> np.ndarray:
    """Fold the tail beyond `length` over the head so the last sample flows into the first."""
    overlap = min(overlap, len(audio) - length, length // 2)
    out = audio[:length].copy()
    if overlap > 0:
        ramp = np.sin(np.linspace(0.0, np.pi / 2, overlap)).astype(np.float32)[:, None]
        # equal-power: the head fades in while the rendered continuation past the end fades out
        out[:overlap] = audio[:overlap] * ramp + audio[length : length + overlap] * ramp[::-1]
    return out


def normalise(audio: np.ndarray, target_lufs: float) -> np.ndarray:
    """Bring a cue to a loudness, never letting its sample peak exceed -3 dBFS."""
    meter = pyloudnorm.Meter(SAMPLE_RATE)
    if len(audio) < SAMPLE_RATE // 2 or not np.any(audio):
        return audio
    measured = meter.integrated_loudness(audio.astype(np.float64))
    if not np.isfinite(measured):
        return audio
    gain = 10 ** ((target_lufs - measured) / 20)
    peak = float(np.max(np.abs(audio))) * gain
    if peak > 0.708:
        gain *= 0.708 / peak
    return (audio * gain).astype(np.float32)


def write_wav(path: Path, audio: np.ndarray) -> Path:
    sf.write(path, audio, SAMPLE_RATE, subtype="PCM_24")
    return path
