"""A composed cue before rendering: MIDI parts for FluidSynth plus numpy-synthesised layers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pretty_midi

SAMPLE_RATE = 48000


@dataclass(frozen=True)
class Clock:
    """Tempo stretched so a whole number of beats fills the cue exactly."""

    seconds_per_beat: float
    beats_per_bar: int
    total_beats: int

    @classmethod
    def fit(cls, seconds: float, bpm: float, beats_per_bar: int) -> Clock:
        beats = max(2, round(seconds * bpm / 60.0))
        return cls(seconds / beats, beats_per_bar, beats)

    @property
    def bars(self) -> int:
        """Whole bars, the last possibly shortened (see `bar_beats`)."""
        return -(-self.total_beats // self.beats_per_bar)

    def bar_beats(self, bar: int) -> int:
        return min(self.beats_per_bar, self.total_beats - bar * self.beats_per_bar)

    def at(self, beat: float) -> float:
        """Seconds at a beat position."""
        return beat * self.seconds_per_beat


@dataclass
class Arrangement:
    """Everything needed to render one cue."""

    seconds: float
    midi: pretty_midi.PrettyMIDI = field(default_factory=lambda: pretty_midi.PrettyMIDI(initial_tempo=120))
    layers: list[tuple[float, np.ndarray]] = field(default_factory=list)
    """(start seconds, stereo float32 samples at 48 kHz) mixed over the FluidSynth render."""
    loudness_offset: float = 0.0
    """LU relative to the house music level."""
    notes: list[str] = field(default_factory=list)
    """What was chosen (raga, taal, instruments): for logs and tests."""

    def part(
        self, program: int, name: str, *, drums: bool = False, bend_range: int | None = None
    ) -> pretty_midi.Instrument:
        """Add an instrument part; `bend_range` sets the pitch-bend sensitivity in semitones."""
        inst = pretty_midi.Instrument(program=program, is_drum=drums, name=name)
        if bend_range is not None:
            # RPN 0 (pitch-bend sensitivity): FluidSynth honours it, so meend can span a few swaras.
            for number, value in ((101, 0), (100, 0), (6, bend_range), (38, 0)):
                inst.control_changes.append(pretty_midi.ControlChange(number, value, 0.0))
        self.midi.instruments.append(inst)
        return inst

    def add_layer(self, start: float, samples: np.ndarray) -> None:
        self.layers.append((start, samples.astype(np.float32)))


def note(inst: pretty_midi.Instrument, pitch: int, start: float, duration: float, velocity: float) -> None:
    """Append a note, clamping velocity and pitch into MIDI range."""
    inst.notes.append(
        pretty_midi.Note(
            velocity=int(np.clip(velocity, 1, 127)),
            pitch=int(np.clip(pitch, 0, 127)),
            start=float(start),
            end=float(start + max(duration, 0.02)),
        )
    )


def control(inst: pretty_midi.Instrument, number: int, value: float, time: float) -> None:
    inst.control_changes.append(pretty_midi.ControlChange(number, int(np.clip(value, 0, 127)), float(time)))


def pan(mono: np.ndarray, position: float) -> np.ndarray:
    """Constant-power pan: position -1 (left) .. +1 (right)."""
    angle = (position + 1.0) * np.pi / 4.0
    return np.stack([mono * np.cos(angle), mono * np.sin(angle)], axis=1)


@dataclass(frozen=True)
class CueRequest:
    """What to compose: style, mood, exact length and the seed that makes it repeatable."""

    style: str
    mood: str = "neutral"
    seconds: float = 10.0
    seed: int = 0
    time_of_day: str = "day"
    ending: str = "cadence"
    """'cadence': resolve and fade at the end; 'loop': the last sample flows into the first."""
    raga_instrument: str = "auto"
    """'auto', 'sitar', 'shehnai' or 'flute'."""

    @property
    def cadence(self) -> bool:
        return self.ending == "cadence"


def midi_hz(pitch: float) -> float:
    return 440.0 * 2 ** ((pitch - 69) / 12)
