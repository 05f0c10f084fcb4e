"""Chord plans that end in a cadence, and motif-based melodies that follow them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gpu_stages.music.arrangement import Clock
from gpu_stages.music.moods import MoodProfile, chord_pitches, degree_pitch


@dataclass(frozen=True)
class ChordSpan:
    start_beat: float
    beats: float
    degree: int
    pitches: tuple[int, ...]
    """Close-position chord tones around the tonic octave."""

    @property
    def root(self) -> int:
        return self.pitches[0]


def chord_plan(profile: MoodProfile, clock: Clock, *, cadence: bool, seventh: bool = False,
               bars_per_chord: int = 1) -> list[ChordSpan]:  # fmt: skip
    """The mood's progression bar by bar; with `cadence`, the end is V then I, the I ringing out."""
    total = clock.total_beats
    per_chord = clock.beats_per_bar * bars_per_chord
    final = min(per_chord, max(2, total // 3)) if cadence else 0
    dominant = min(per_chord, total - final) if cadence and total - final >= 2 else 0
    spans: list[ChordSpan] = []
    beat = 0
    index = 0
    body = total - final - dominant
    while beat < body:
        length = min(per_chord, body - beat)
        degree = profile.progression[index % len(profile.progression)]
        spans.append(ChordSpan(beat, length, degree, tuple(chord_pitches(profile, degree, seventh=seventh))))
        beat += length
        index += 1
    if dominant:
        if profile.mode == "phrygian":  # the Phrygian cadence falls bII -> i instead of V -> i
            pitches = chord_pitches(profile, 1, seventh=seventh)
        else:
            pitches = chord_pitches(profile, 4, dominant=True, seventh=seventh)
        spans.append(ChordSpan(beat, dominant, 4, tuple(pitches)))
        beat += dominant
    if final:
        spans.append(ChordSpan(beat, final, 0, tuple(chord_pitches(profile, 0, seventh=False))))
    return spans


RHYTHMS = {
    "slow": ((2.0, 2.0), (3.0, 1.0), (4.0,), (1.5, 0.5, 2.0)),
    "medium": ((1.0, 1.0, 2.0), (1.5, 0.5, 2.0), (1.0, 1.0, 1.0, 1.0), (0.5, 0.5, 1.0, 2.0)),
    "busy": (
        (0.5, 0.5, 1.0, 1.0, 1.0),
        (0.5, 0.5, 0.5, 0.5, 2.0),
        (0.75, 0.25, 1.0, 2.0),
        (1.0, 0.5, 0.5, 1.0, 1.0),
    ),
}


@dataclass(frozen=True)
class MelodyNote:
    beat: float
    beats: float
    pitch: int
    accent: float


def _nearest(pitch: int, candidates: list[int]) -> int:
    return min(candidates, key=lambda c: (abs(c - pitch), c))


def melody(profile: MoodProfile, plan: list[ChordSpan], rng: np.random.Generator, *, octave: int = 1,
           cadence: bool = True) -> list[MelodyNote]:  # fmt: skip
    """A two-bar idea repeated and sequenced over the chords, phrases in fours, ending on the tonic.

    Strong beats take the nearest chord tone, weak beats move by step in the mode: that is what
    keeps a generated line singable.
    """
    density = "busy" if profile.density > 0.75 else "medium" if profile.density > 0.4 else "slow"
    rhythm_a = RHYTHMS[density][int(rng.integers(len(RHYTHMS[density])))]
    rhythm_b = RHYTHMS[density][int(rng.integers(len(RHYTHMS[density])))]
    contour = [int(x) for x in rng.choice([-2, -1, -1, 1, 1, 2, 0], size=8)]
    notes: list[MelodyNote] = []
    degree = int(rng.choice([0, 2, 4]))
    for bar, span in enumerate(plan):
        is_final = cadence and bar == len(plan) - 1
        rhythm = (span.beats,) if is_final else (rhythm_a if bar % 4 != 2 else rhythm_b)
        if bar % 4 == 3 and not is_final:
            rhythm = (span.beats,) if span.beats <= 2 else (span.beats - 2.0, 2.0)  # phrase end: breathe
        beat = span.start_beat
        chord_tones = sorted({p + 12 * (octave + k) for p in span.pitches for k in (-1, 0, 1)})
        for i, length in enumerate(rhythm):
            if beat >= span.start_beat + span.beats - 1e-6:
                break
            length = min(length, span.start_beat + span.beats - beat)
            pitch = degree_pitch(profile, degree, octave)
            strong = abs(beat - round(beat)) < 1e-6 and round(beat - span.start_beat) % 2 == 0
            if is_final:
                pitch = _nearest(pitch, [profile.tonic + 12 * octave, profile.tonic + 12 * (octave - 1)])
            elif strong:
                pitch = _nearest(pitch, chord_tones)
            notes.append(MelodyNote(beat, length, pitch, 1.1 if strong else 0.9))
            degree = _degree_of(profile, pitch, octave) + contour[(bar * 3 + i) % len(contour)]
            degree = int(np.clip(degree, -2, 9))  # keep the line in a singable range
            beat += length
    return notes


def _degree_of(profile: MoodProfile, pitch: int, octave: int) -> int:
    """Scale degree nearest a pitch (chromatic tones round down)."""
    relative = pitch - profile.tonic - 12 * octave
    octave_index, pc = divmod(relative, 12)
    index = max(i for i, step in enumerate(profile.scale) if step <= pc)
    return octave_index * len(profile.scale) + index
