"""A tanpura drone, synthesised additively: plucked strings whose jawari makes overtones bloom and sweep."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from gpu_stages.music.arrangement import SAMPLE_RATE, pan

PLUCK_SECONDS = 3.6
MAX_HARMONICS = 36


@lru_cache(maxsize=32)
def tanpura_pluck(frequency: float, seed: int) -> np.ndarray:
    """One plucked string with jawari buzz: a bright band of harmonics that sweeps down as it decays."""
    rng = np.random.default_rng(seed)
    n = int(PLUCK_SECONDS * SAMPLE_RATE)
    t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
    count = int(min(MAX_HARMONICS, 11000 // frequency))
    out = np.zeros(n, dtype=np.float32)
    # the jawari's formant starts high in the spectrum and falls: the "shimmering" buzz of the drone
    centre = 4.0 + (count - 4.0) * np.exp(-t / 0.9)
    for k in range(1, count + 1):
        decay = 0.55 + 0.05 * k
        bloom = 1.0 + 2.5 * np.exp(-(((k - centre) / 3.5) ** 2))
        amplitude = k**-0.9
        drift = 1.0 + 0.0004 * k * rng.standard_normal()  # slight inharmonicity of a real string
        phase = rng.uniform(0, 2 * np.pi)
        out += amplitude * bloom * np.exp(-decay * t) * np.sin(2 * np.pi * frequency * k * drift * t + phase)
    attack = np.minimum(1.0, t / 0.008)
    out *= attack
    return out / float(np.max(np.abs(out)))


def tanpura_drone(
    sa_hz: float, seconds: float, *, first_string: str = "pa", cycle: float = 3.2, seed: int = 0
) -> np.ndarray:
    """A stereo drone cycling Pa-Sa-Sa-Sa (or Ma-Sa-Sa-Sa) for `seconds`, plucks spaced evenly."""
    first_ratio = {"pa": 0.75, "ma": 2 / 3, "ni": 15 / 16}[first_string]
    # strings: lower-octave Pa (or Ma), two middle Sa (slightly detuned so they beat), kharaj Sa
    strings = [sa_hz * first_ratio, sa_hz, sa_hz * 1.0015, sa_hz / 2]
    positions = [-0.35, 0.15, 0.3, -0.1]
    gains = [0.8, 1.0, 0.9, 0.85]
    rng = np.random.default_rng(seed)
    total = int(seconds * SAMPLE_RATE)
    out = np.zeros((total + int(PLUCK_SECONDS * SAMPLE_RATE), 2), dtype=np.float32)
    step = cycle / 4
    time = 0.0
    index = 0
    while time < seconds:
        string = index % 4
        pluck = tanpura_pluck(round(strings[string], 3), string)
        gain = gains[string] * (0.85 + 0.15 * rng.random())
        start = int((time + 0.02 * rng.standard_normal() * (time > 0)) * SAMPLE_RATE)
        start = max(0, start)
        end = min(len(out), start + len(pluck))
        out[start:end] += pan(pluck[: end - start] * gain, positions[string])
        time += step
        index += 1
    return out[:total] * 0.35
