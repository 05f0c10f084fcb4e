"""Tabla (dayan and bayan strokes, taals with theka, fills and tihai) and manjira, synthesised in numpy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.signal import butter, sosfilt

from gpu_stages.music.arrangement import SAMPLE_RATE, pan

Matra = str | tuple[str, ...]
"""One beat of a taal: a bol, or several bols sharing the beat."""


@dataclass(frozen=True)
class Taal:
    name: str
    theka: tuple[Matra, ...]
    khali: int
    """Index of the 'empty' division, played without the bayan."""


TAALS: dict[str, Taal] = {
    # four vibhags of four matras; the third (from matra 9) is khali
    "teentaal": Taal(
        "teentaal",
        ("dha", "dhin", "dhin", "dha") * 2 + ("dha", "tin", "tin", "ta") + ("ta", "dhin", "dhin", "dha"),
        8,
    ),
    "keherwa": Taal("keherwa", ("dha", "ge", "na", "ti", "na", "ke", "dhin", "na"), 4),
    "dadra": Taal("dadra", ("dha", "dhin", "na", "dha", "tin", "na"), 3),
    "rupak": Taal("rupak", ("tin", "tin", "na", "dhin", "na", "dhin", "na"), 0),
}

_BOLS: dict[str, tuple[str, ...]] = {
    "dha": ("na", "ge"), "dhin": ("tin", "ge"), "dhi": ("tin", "ge"), "ge": ("ge",), "ga": ("ge",),
    "na": ("na",), "ta": ("na",), "tin": ("tin",), "ti": ("ti",), "te": ("ti",), "ra": ("ti",),
    "ki": ("ke",), "ke": ("ke",), "ka": ("ke",), "-": (),
}  # fmt: skip


def _noise_burst(
    rng: np.random.Generator, seconds: float, low: float, high: float, decay: float
) -> np.ndarray:
    n = int(seconds * SAMPLE_RATE)
    sos = butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n)).astype(np.float32)
    t = np.arange(n) / SAMPLE_RATE
    return noise * np.exp(-decay * t).astype(np.float32)


@lru_cache(maxsize=64)
def stroke(kind: str, sa_hz: float) -> np.ndarray:
    """One mono stroke: dayan 'na', 'tin', 'ti'; bayan 'ge' (with pitch glide) and 'ke'."""
    rng = np.random.default_rng(sum(map(ord, kind)))  # fixed per stroke: deterministic renders
    if kind in ("na", "tin"):
        seconds = 0.9 if kind == "tin" else 0.6
        t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        # the syahi makes the dayan's modes nearly harmonic, so it sounds a clear pitch at Sa
        ratios, amps, decays = (
            ((1, 2, 3, 4, 5), (1.0, 0.7, 0.5, 0.35, 0.2), (7, 9, 12, 15, 19))
            if kind == "na"
            else ((1, 2, 3), (1.0, 0.3, 0.12), (4.5, 7, 10))
        )
        out = sum(
            a * np.exp(-d * t) * np.sin(2 * np.pi * sa_hz * r * t)
            for r, a, d in zip(ratios, amps, decays, strict=True)
        )
        out = np.asarray(out, dtype=np.float32)
        click = _noise_burst(rng, seconds, 1800, 6000, 90)
        out += (0.5 if kind == "na" else 0.2) * click / (np.max(np.abs(click)) + 1e-9)
    elif kind == "ti":
        out = _noise_burst(rng, 0.12, 700, 3500, 45)
        t = np.arange(len(out)) / SAMPLE_RATE
        out = out / (np.max(np.abs(out)) + 1e-9) + 0.6 * np.exp(-35 * t) * np.sin(2 * np.pi * sa_hz * t)
    elif kind == "ge":
        seconds = 1.1
        t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        # the bayan's pitch rises as the wrist presses the skin after the stroke: the characteristic glide
        frequency = 82.0 + 38.0 * (1 - np.exp(-t / 0.18))
        phase = 2 * np.pi * np.cumsum(frequency) / SAMPLE_RATE
        out = np.exp(-3.2 * t) * (np.sin(phase) + 0.25 * np.sin(2 * phase) + 0.1 * np.sin(3 * phase))
        out = out.astype(np.float32) + 0.15 * _noise_burst(rng, seconds, 80, 600, 60)
    elif kind == "ke":
        out = _noise_burst(rng, 0.15, 60, 500, 38)
        out = out / (np.max(np.abs(out)) + 1e-9)
    else:
        raise ValueError(f"unknown tabla stroke {kind!r}")
    out = np.asarray(out, dtype=np.float32)
    out[: int(0.002 * SAMPLE_RATE)] *= np.linspace(0, 1, int(0.002 * SAMPLE_RATE), dtype=np.float32)
    return out / float(np.max(np.abs(out)))


_STROKE_PAN = {"na": 0.25, "tin": 0.25, "ti": 0.25, "ge": -0.2, "ke": -0.2}
_STROKE_GAIN = {"na": 0.95, "tin": 0.85, "ti": 0.5, "ge": 0.9, "ke": 0.5}


class TablaTrack:
    """A stereo buffer that tabla bols are struck into."""

    def __init__(self, seconds: float, sa_hz: float, seed: int) -> None:
        self.buffer = np.zeros((int((seconds + 1.2) * SAMPLE_RATE), 2), dtype=np.float32)
        self.length = int(seconds * SAMPLE_RATE)
        self.sa_hz = sa_hz
        self.rng = np.random.default_rng(seed)

    def strike(self, bol: str, time: float, accent: float = 1.0, *, khali: bool = False) -> None:
        start = int(time * SAMPLE_RATE)
        if start >= self.length:
            return
        for kind in _BOLS[bol]:
            if khali and kind == "ge":
                continue  # khali: the bass drum is silent
            sample = stroke(kind, self.sa_hz)
            gain = _STROKE_GAIN[kind] * accent * (0.88 + 0.12 * self.rng.random())
            end = min(len(self.buffer), start + len(sample))
            self.buffer[start:end] += pan(sample[: end - start] * gain, _STROKE_PAN[kind])

    def play_matra(
        self, matra: Matra, time: float, beat: float, accent: float, *, khali: bool = False
    ) -> None:
        bols = (matra,) if isinstance(matra, str) else matra
        for i, bol in enumerate(bols):
            self.strike(bol, time + i * beat / len(bols), accent if i == 0 else accent * 0.8, khali=khali)

    def audio(self) -> np.ndarray:
        return self.buffer[: self.length]


FILLS: tuple[tuple[Matra, ...], ...] = (
    (("ti", "ra", "ki", "ta"), ("ta", "ka"), ("dhi", "-", "na", "-"), "dha"),
    (("dha", "ti"), ("dha", "ge"), ("na", "dha"), ("ti", "ra", "ki", "ta")),
)
TIHAI_PHRASE: tuple[str, ...] = ("dha", "-", "ti", "ra", "ki", "ta", "dha")
"""Seven pulses, played three times with a pulse of rest between; the third "dha" falls on the sam."""


def play_taal(
    track: TablaTrack, taal: Taal, start: float, final_sam: float, beat: float, *, tihai: bool = True
) -> None:
    """Play the theka from `start` so the last stroke lands on the sam at `final_sam`.

    Cycles are counted back from the final sam, so the tabla may enter mid-cycle but always ends
    on a sam; the cycle before the end closes with a fill and the last with a tihai.
    """
    cycle = len(taal.theka)
    beats = round((final_sam - start) / beat)
    pulse = beat / 2 if cycle >= 12 else beat / 4
    tihai_pulses = 3 * len(TIHAI_PHRASE) + 2  # three phrases with a pulse of rest between them
    tihai_beats = int(np.ceil((tihai_pulses - 1) * pulse / beat))
    tihai = tihai and beats >= tihai_beats + 2
    for b in range(beats):
        from_end = beats - b  # beats before the final sam
        m = (cycle - from_end % cycle) % cycle
        matra: Matra = taal.theka[m]
        if cycle >= 8 and cycle < from_end <= 2 * cycle and m >= cycle - 4:
            matra = FILLS[(beats // cycle) % len(FILLS)][m - (cycle - 4)]
        if tihai and from_end <= tihai_beats:
            continue  # the tihai takes the last beats
        accent = 1.15 if m == 0 else 0.9
        track.play_matra(matra, start + b * beat, beat, accent, khali=(m == taal.khali and taal.khali > 0))
    if tihai:
        for i in range(tihai_pulses):
            position = i % (len(TIHAI_PHRASE) + 1)
            if position == len(TIHAI_PHRASE) or TIHAI_PHRASE[position] == "-":
                continue
            accent = 1.3 if i == tihai_pulses - 1 else 1.0
            track.strike(TIHAI_PHRASE[position], final_sam - (tihai_pulses - 1 - i) * pulse, accent)
    else:
        track.strike("dha", final_sam, 1.3)  # sam


@lru_cache(maxsize=8)
def manjira_stroke(open_ring: bool) -> np.ndarray:
    """Two small cymbals struck together: inharmonic metallic partials, rung open or damped."""
    seconds = 1.4 if open_ring else 0.18
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    rng = np.random.default_rng(11 if open_ring else 12)
    partials = (2350.0, 3420.0, 4970.0, 6310.0, 7880.0, 9120.0)
    decay = 2.6 if open_ring else 28.0
    out = sum(
        (0.8**i) * np.exp(-decay * (1 + 0.3 * i) * t) * np.sin(2 * np.pi * f * t + rng.uniform(0, 6.28))
        for i, f in enumerate(partials)
    )
    out = np.asarray(out, dtype=np.float32) + 0.4 * _noise_burst(rng, seconds, 4000, 12000, 50)
    out[:96] *= np.linspace(0, 1, 96, dtype=np.float32)
    return out / float(np.max(np.abs(out)))


def manjira(seconds: float, start: float, beat: float, beats: int, seed: int) -> np.ndarray:
    """'Ching' (open) on the first beat of each pair, 'chik' (damped) on the second."""
    rng = np.random.default_rng(seed)
    out = np.zeros((int((seconds + 1.5) * SAMPLE_RATE), 2), dtype=np.float32)
    for b in range(beats):
        at = int((start + b * beat) * SAMPLE_RATE)
        sample = manjira_stroke(b % 2 == 0) * (0.25 if b % 2 == 0 else 0.18) * (0.85 + 0.15 * rng.random())
        end = min(len(out), at + len(sample))
        if at < end:
            out[at:end] += pan(sample[: end - at], 0.4)
    return out[: int(seconds * SAMPLE_RATE)]


@lru_cache(maxsize=8)
def bell(frequency: float) -> np.ndarray:
    """A soft struck bowl bell: inharmonic partials with a slow, long decay."""
    t = np.arange(int(6.0 * SAMPLE_RATE)) / SAMPLE_RATE
    ratios = (1.0, 2.0, 2.76, 4.1, 5.4)
    amps = (1.0, 0.35, 0.4, 0.15, 0.1)
    partials = np.zeros(len(t))
    for i, (ratio, amp) in enumerate(zip(ratios, amps, strict=True)):
        partials += amp * np.exp(-(0.5 + 0.35 * i) * t) * np.sin(2 * np.pi * frequency * ratio * t)
    out = (partials * np.minimum(1.0, t / 0.004)).astype(np.float32)
    return out / float(np.max(np.abs(out)))
