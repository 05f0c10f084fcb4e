"""Mastering: integrated loudness to a target, then a 4x-oversampled true-peak limiter."""

from __future__ import annotations

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

OVERSAMPLE = 4


def sample_peaks(audio: np.ndarray) -> np.ndarray:
    """Per input sample, the largest magnitude of the 4x-oversampled signal around it (all channels)."""
    n = len(audio)
    peaks = np.zeros(n, dtype=np.float32)
    for channel in range(audio.shape[1]):
        signal = np.ascontiguousarray(audio[:, channel], dtype=np.float32)
        upsampled = resample_poly(signal, OVERSAMPLE, 1)[: n * OVERSAMPLE]
        np.abs(upsampled, out=upsampled)
        for phase in range(OVERSAMPLE):  # strided maxima: much faster than reshape(...).max(axis=1)
            np.maximum(peaks, upsampled[phase::OVERSAMPLE], out=peaks)
        np.maximum(peaks, np.abs(signal), out=peaks)
    return peaks


def true_peak_dbtp(audio: np.ndarray) -> float:
    """Peak of the 4x-oversampled signal in dBTP (catches inter-sample peaks)."""
    return 20 * np.log10(float(np.max(sample_peaks(np.atleast_2d(audio.T).T))) + 1e-12)


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64)))


def limiter_gain(peaks: np.ndarray, sample_rate: int, ceiling_dbtp: float, *, lookahead: float = 0.0015,
                 release: float = 0.05) -> np.ndarray:  # fmt: skip
    """Gain that never lets a peak pass the ceiling.

    A held minimum followed by a moving average no wider than the look-ahead can only lower the
    gain further, so every sample's gain stays at or under what its own peak needs.
    """
    ceiling = 10 ** (ceiling_dbtp / 20)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    reach = max(1, int(lookahead * sample_rate))
    hold = max(2 * reach + 1, int(release * sample_rate))
    gain = minimum_filter1d(needed, size=2 * reach + 1)
    gain = minimum_filter1d(gain, size=hold, origin=(hold - 1) // 2)  # hold after each peak: the release
    return uniform_filter1d(gain, size=2 * reach + 1)


def master(
    audio: np.ndarray, sample_rate: int, *, target_lufs: float = -14.0, ceiling_dbtp: float = -1.0
) -> np.ndarray:
    """Normalise to the target loudness and limit true peaks; re-measures because limiting costs loudness."""
    loudness = integrated_lufs(audio, sample_rate)
    if not np.isfinite(loudness):
        return audio
    peaks = sample_peaks(audio)  # peaks scale with gain, so they are measured once
    gain_db = target_lufs - loudness
    previous: tuple[float, float] | None = None
    out = audio
    for _ in range(5):
        scale = 10 ** (gain_db / 20)
        gain = limiter_gain(peaks * scale, sample_rate, ceiling_dbtp - 0.2) * scale
        out = (audio * gain[:, None]).astype(np.float32)
        measured = integrated_lufs(out, sample_rate)
        error = target_lufs - measured
        if abs(error) < 0.3:
            break
        # secant step: limiting makes each dB of gain worth less than a dB of loudness
        slope = 1.0
        if previous is not None and abs(measured - previous[1]) > 1e-3:
            slope = float(np.clip((gain_db - previous[0]) / (measured - previous[1]), 1.0, 4.0))
        previous = (gain_db, measured)
        gain_db += error * slope
    peak = true_peak_dbtp(out)
    if peak > ceiling_dbtp - 0.05:  # a last safety trim for residual overshoot of the smoothed gain
        out = out * np.float32(10 ** ((ceiling_dbtp - 0.1 - peak) / 20))
    return out
