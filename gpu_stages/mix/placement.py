"""Read audio artifacts at 48 kHz and lay voices and music cues on the film clock."""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf
from scipy.signal import resample_poly

SAMPLE_RATE = 48000
LINE_LUFS = -20.0
"""Every voiced line is levelled to this loudness before mastering, so no speaker is buried."""
MUSIC_GAIN_DB = -7.0
"""Music between lines sits this far below the house cue level (cues are rendered at ~-20 LUFS)."""
CROSSFADE = 0.3
"""Seconds two scenes' cues overlap at a cut."""


def read_audio(path: Path, *, channels: int) -> np.ndarray:
    """A file as float32 (samples, channels) at 48 kHz, resampled when needed."""
    audio, rate = sf.read(path, dtype="float32", always_2d=True)
    if rate != SAMPLE_RATE:
        divisor = gcd(int(rate), SAMPLE_RATE)
        audio = resample_poly(audio, SAMPLE_RATE // divisor, int(rate) // divisor, axis=0).astype(np.float32)
    if audio.shape[1] != channels:
        mono = audio.mean(axis=1, keepdims=True)
        audio = np.repeat(mono, channels, axis=1)
    return audio


def level_line(mono: np.ndarray, target_lufs: float = LINE_LUFS) -> np.ndarray:
    """Bring one line to the dialogue loudness (RMS over its active part when too short to gate)."""
    if not np.any(mono):
        return mono
    if len(mono) >= int(0.45 * SAMPLE_RATE):
        loudness = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(mono.astype(np.float64))
    else:
        loudness = float("-inf")
    if not np.isfinite(loudness):
        frames = mono[: len(mono) // 480 * 480].reshape(-1, 480)
        rms = np.sqrt((frames**2).mean(axis=1)) if len(frames) else np.array([np.sqrt((mono**2).mean())])
        active = rms[rms > rms.max() * 0.1]
        loudness = 20 * np.log10(float(np.sqrt((active**2).mean())) + 1e-12) - 0.7
    return mono * np.float32(10 ** ((target_lufs - loudness) / 20))


def place(bus: np.ndarray, audio: np.ndarray, start_seconds: float) -> None:
    """Add audio into a bus at a time, clipping at the bus's end."""
    start = max(0, round(start_seconds * SAMPLE_RATE))
    if start >= len(bus):
        return
    n = min(len(bus) - start, len(audio))
    bus[start : start + n] += audio[:n]


def crossfaded(cue: np.ndarray, *, fade_in: int, fade_out: int) -> np.ndarray:
    """Equal-power edges so overlapping cues keep a constant level through a cut."""
    out = cue.copy()
    if fade_in > 1:
        out[:fade_in] *= np.sin(np.linspace(0, np.pi / 2, fade_in, dtype=np.float32))[:, None]
    if fade_out > 1:
        out[-fade_out:] *= np.cos(np.linspace(0, np.pi / 2, fade_out, dtype=np.float32))[:, None]
    return out
