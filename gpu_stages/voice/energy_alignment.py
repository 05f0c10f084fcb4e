"""Timings from audio energy: speech onset, and word spans when an engine reports no durations."""

from __future__ import annotations

import numpy as np

from gpu_stages.voice.synthesis import RawPhoneme, RawWord

FRAME = 0.005
ONSET_BELOW_PEAK_DB = 35.0
"""Speech starts at the first 5 ms frame within this many dB of the loudest frame."""


def frame_db(audio: np.ndarray, rate: int, frame: float = FRAME) -> np.ndarray:
    """RMS level of consecutive frames in dB (full scale)."""
    size = max(1, int(frame * rate))
    usable = len(audio) // size * size
    if usable == 0:
        return np.full(1, -120.0)
    rms = np.sqrt(np.mean(audio[:usable].reshape(-1, size).astype(np.float64) ** 2, axis=1))
    levels: np.ndarray = 20 * np.log10(rms + 1e-9)
    return levels


def speech_onset(audio: np.ndarray, rate: int) -> float:
    """Seconds to the first frame of speech energy."""
    levels = frame_db(audio, rate)
    loud = np.flatnonzero(levels > levels.max() - ONSET_BELOW_PEAK_DB)
    return float(loud[0] * FRAME) if len(loud) else 0.0


def speech_offset(audio: np.ndarray, rate: int) -> float:
    """Seconds to the end of the last frame of speech energy."""
    levels = frame_db(audio, rate)
    loud = np.flatnonzero(levels > levels.max() - ONSET_BELOW_PEAK_DB)
    return float((loud[-1] + 1) * FRAME) if len(loud) else len(audio) / rate


def align_by_energy(
    audio: np.ndarray, rate: int, words: list[str], phonemes: list[list[str]]
) -> tuple[list[RawWord], list[RawPhoneme]]:
    """Share the speech span among words by phoneme count, snap each join to the quietest nearby frame,
    then spread each word's phonemes evenly over its span."""
    if not words:
        return [], []
    start, end = speech_onset(audio, rate), speech_offset(audio, rate)
    weights = np.array([max(1, len(p)) for p in phonemes], dtype=float)
    joins = start + (end - start) * np.cumsum(weights)[:-1] / weights.sum()
    levels = frame_db(audio, rate)
    reach = int(0.08 / FRAME)
    snapped: list[float] = []
    for join in joins:
        centre = int(join / FRAME)
        lo, hi = max(0, centre - reach), min(len(levels), centre + reach + 1)
        best = lo + int(np.argmin(levels[lo:hi])) if hi > lo else centre
        previous = snapped[-1] if snapped else start
        snapped.append(max(previous + FRAME, best * FRAME))
    edges = [start, *snapped, end]
    out_words: list[RawWord] = []
    out_phonemes: list[RawPhoneme] = []
    for i, (word, symbols) in enumerate(zip(words, phonemes, strict=True)):
        w_start, w_end = edges[i], max(edges[i], edges[i + 1])
        out_words.append(RawWord(word, w_start, w_end))
        step = (w_end - w_start) / max(1, len(symbols))
        out_phonemes.extend(
            RawPhoneme(symbol, w_start + k * step, w_start + (k + 1) * step)
            for k, symbol in enumerate(symbols)
        )
    return out_words, out_phonemes
