"""Sidechain ducking: the voice's envelope lowers the music, with look-ahead attack and a slow release."""

from __future__ import annotations

import numpy as np

FRAME = 0.005
"""Seconds per envelope frame."""


def duck_gain(
    voice: np.ndarray,
    sample_rate: int,
    *,
    depth_db: float = 12.0,
    attack: float = 0.08,
    release: float = 0.4,
    hold: float = 0.15,
    threshold_db: float = -45.0,
) -> np.ndarray:
    """Per-sample gain for the music: 1 between lines, -depth_db under speech.

    The attack begins `attack` seconds before speech (the voices are known in advance), so the first
    syllable is never masked; a short hold keeps the music down through the gaps between words.
    """
    mono = voice if voice.ndim == 1 else voice.mean(axis=1)
    hop = max(1, int(FRAME * sample_rate))
    frames = len(mono) // hop + 1
    padded = np.zeros(frames * hop, dtype=np.float32)
    padded[: len(mono)] = mono
    rms = np.sqrt((padded.reshape(frames, hop) ** 2).mean(axis=1))
    level = 20 * np.log10(rms + 1e-9)
    active = level > threshold_db
    reach = round(attack / FRAME)
    hold_frames = round(hold / FRAME)
    # look-ahead: a frame counts as speech when speech starts within the next `attack` seconds
    lookahead = (
        np.convolve(active.astype(np.int32), np.ones(reach + 1, dtype=np.int32))[reach : reach + frames] > 0
    )
    held = np.convolve(lookahead.astype(np.int32), np.ones(hold_frames + 1, dtype=np.int32))[:frames] > 0
    floor = 10 ** (-depth_db / 20)
    target = np.where(held, floor, 1.0)
    attack_coeff = 1 - np.exp(-FRAME / (attack / 3))  # ~95 % of the way in `attack`
    release_coeff = 1 - np.exp(-FRAME / (release / 3))
    gain = np.empty(frames)
    current = 1.0
    for i, wanted in enumerate(target):  # a few thousand frames a minute: a plain loop is fast enough
        coeff = attack_coeff if wanted < current else release_coeff
        current += (wanted - current) * coeff
        gain[i] = current
    times = (np.arange(frames) + 0.5) * hop
    return np.interp(np.arange(len(mono)), times, gain).astype(np.float32)
