"""Mastering: integrated loudness to a target, then a 4x-oversampled true-peak limiter."""

from __future__ import annotations

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

OVERSAMPLE = 4


def true_peak_dbtp(audio: np.ndarray) -> float:
    """Peak of the 4x-oversampled signal in dBTP (catches inter-sample peaks)."""
    upsampled = resample_poly(audio, OVERSAMPLE, 1, axis=0)
    peak = max(float(np.max(np.abs(upsampled))), float(np.max(np.abs(audio))))
    return 20 * np.log10(peak + 1e-12)


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64)))


def limit(audio: np.ndarray, sample_rate: int, ceiling_dbtp: float, *, lookahead: float = 0.0015,
          release: float = 0.05) -> np.ndarray:  # fmt: skip
    """Gain reduction that never lets the oversampled peak pass the ceiling.

    The gain is a held minimum followed by a moving average no wider than the hold, which can only
    lower it further: every sample's gain stays at or under what its own peak needs.
    """
    ceiling = 10 ** (ceiling_dbtp / 20)
    upsampled = np.abs(resample_poly(audio, OVERSAMPLE, 1, axis=0)).max(axis=1)
    peaks = upsampled[: len(audio) * OVERSAMPLE].reshape(len(audio), OVERSAMPLE).max(axis=1)
    peaks = np.maximum(peaks, np.abs(audio).max(axis=1))
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    reach = max(1, int(lookahead * sample_rate))
    hold = max(2 * reach + 1, int(release * sample_rate))
    gain = minimum_filter1d(needed, size=2 * reach + 1)
    gain = minimum_filter1d(gain, size=hold, origin=(hold - 1) // 2)  # hold after each peak: the release
    gain = uniform_filter1d(gain, size=2 * reach + 1)
    return (audio * gain[:, None]).astype(np.float32)


def master(audio: np.ndarray, sample_rate: int, *, target_lufs: float = -14.0, ceiling_dbtp: float = -1.0) -> np.ndarray:
    """Normalise to the target loudness and limit true peaks; re-measures because limiting costs loudness."""
    loudness = integrated_lufs(audio, sample_rate)
    if not np.isfinite(loudness):
        return audio
    gain_db = target_lufs - loudness
    out = audio
    for _ in range(4):
        out = limit(audio * np.float32(10 ** (gain_db / 20)), sample_rate, ceiling_dbtp - 0.2)
        error = target_lufs - integrated_lufs(out, sample_rate)
        if abs(error) < 0.2:
            break
        gain_db += error
    peak = true_peak_dbtp(out)
    if peak > ceiling_dbtp - 0.05:  # a last safety trim for residual overshoot of the smoothed gain
        out = out * np.float32(10 ** ((ceiling_dbtp - 0.1 - peak) / 20))
    return out
