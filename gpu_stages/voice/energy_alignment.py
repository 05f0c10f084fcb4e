# ruff: noqa: RUF001 - CJK punctuation is meant here
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


PAUSE_BELOW_PEAK_DB = 30.0
MIN_PAUSE = 0.03


def pauses(audio: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """Quiet runs of at least 30 ms inside the speech, as (start, end) seconds."""
    levels = frame_db(audio, rate)
    quiet = levels < levels.max() - PAUSE_BELOW_PEAK_DB
    runs: list[tuple[float, float]] = []
    first, last = speech_onset(audio, rate), speech_offset(audio, rate)
    k = 0
    while k < len(quiet):
        if quiet[k]:
            end = k
            while end < len(quiet) and quiet[end]:
                end += 1
            start_s, end_s = k * FRAME, end * FRAME
            if end_s - start_s >= MIN_PAUSE and start_s > first and end_s < last:
                runs.append((start_s, end_s))
            k = end
        else:
            k += 1
    return runs


def align_by_energy(
    audio: np.ndarray, rate: int, words: list[str], phonemes: list[list[str]]
) -> tuple[list[RawWord], list[RawPhoneme]]:
    """Share the speech span among words by phoneme count, move each join into a nearby pause (or the
    quietest nearby frame), then spread each word's phonemes evenly over its span."""
    if not words:
        return [], []
    start, end = speech_onset(audio, rate), speech_offset(audio, rate)
    weights = np.array([max(1, len(p)) for p in phonemes], dtype=float)
    lengths = (end - start) * weights / weights.sum()
    joins = start + np.cumsum(lengths)[:-1]
    levels = frame_db(audio, rate)
    gaps = pauses(audio, rate)
    spans: list[tuple[float, float]] = []  # (end of the word before, start of the word after)
    previous = start
    for i, join in enumerate(joins):
        # a word keeps at least half its share; a sentence or clause mark reaches further for its pause
        earliest = previous + 0.5 * lengths[i]
        latest = end - 0.5 * float(lengths[i + 1 :].sum())
        reach = lengths[i] * (1.5 if words[i][-1:] in ".,;:!?。、，！？" else 0.6)
        usable = [
            g for g in gaps if earliest <= g[0] and g[1] <= latest and abs((g[0] + g[1]) / 2 - join) <= reach
        ]
        if usable:
            gap = min(usable, key=lambda g: abs((g[0] + g[1]) / 2 - join))
            gaps.remove(gap)
            spans.append(gap)
        else:
            lo, hi = max(0, int(join / FRAME) - 16), min(len(levels), int(join / FRAME) + 17)
            quietest = (lo + int(np.argmin(levels[lo:hi]))) * FRAME if hi > lo else join
            at = float(np.clip(quietest, earliest, max(earliest, latest)))
            spans.append((at, at))
        previous = spans[-1][1]
    bounds = [(start, start), *spans, (end, end)]
    out_words: list[RawWord] = []
    out_phonemes: list[RawPhoneme] = []
    for i, (word, symbols) in enumerate(zip(words, phonemes, strict=True)):
        w_start = bounds[i][1]
        w_end = max(w_start, bounds[i + 1][0])
        out_words.append(RawWord(word, w_start, w_end))
        step = (w_end - w_start) / max(1, len(symbols))
        out_phonemes.extend(
            RawPhoneme(symbol, w_start + k * step, w_start + (k + 1) * step)
            for k, symbol in enumerate(symbols)
        )
    return out_words, out_phonemes
