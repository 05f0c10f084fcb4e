"""Level a line to a target integrated loudness (EBU R128 via pyloudnorm), keeping peaks below -1 dBFS."""

from __future__ import annotations

import numpy as np

PEAK_CEILING = 10 ** (-1.0 / 20)
_MIN_MEASURE_SECONDS = 0.5  # pyloudnorm gates in 400 ms blocks


def loudness(audio: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS; short clips are measured looped, which leaves their loudness unchanged."""
    import pyloudnorm

    if len(audio) == 0 or not np.any(audio):
        return float("-inf")
    measured = audio
    if len(audio) < _MIN_MEASURE_SECONDS * rate:
        measured = np.tile(audio, int(np.ceil(_MIN_MEASURE_SECONDS * rate / len(audio))) + 1)
    return float(pyloudnorm.Meter(rate).integrated_loudness(measured.astype(np.float64)))


def level(audio: np.ndarray, rate: int, target_lufs: float) -> np.ndarray:
    """Gain the line to `target_lufs`, then scale down if a peak would pass -1 dBFS."""
    current = loudness(audio, rate)
    if not np.isfinite(current):
        return audio.astype(np.float32)
    out = audio * 10 ** ((target_lufs - current) / 20)
    peak = float(np.max(np.abs(out)))
    if peak > PEAK_CEILING:
        out = out * (PEAK_CEILING / peak)
    return out.astype(np.float32)
