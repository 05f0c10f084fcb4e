"""Western harmony by mood: key, mode, tempo, loudness and chord progression."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.media import Emotion

MODES: dict[str, tuple[int, ...]] = {
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
}


@dataclass(frozen=True)
class MoodProfile:
    """What a mood means musically; `progression` holds 0-based scale degrees, one per bar."""

    tonic: int
    mode: str
    bpm: float
    velocity: int
    progression: tuple[int, ...]
    loudness_offset: float
    """LU relative to the house music level: calm cues sit lower, excited ones higher."""
    density: float
    """0..1, how busy melody and accompaniment are."""

    @property
    def scale(self) -> tuple[int, ...]:
        return MODES[self.mode]

    @property
    def is_minor(self) -> bool:
        return self.scale[2] == 3


MOODS: dict[Emotion, MoodProfile] = {
    "neutral": MoodProfile(65, "ionian", 92, 72, (0, 3, 5, 4), 0.0, 0.45),
    "happy": MoodProfile(67, "ionian", 112, 88, (0, 4, 5, 3), 1.0, 0.7),
    "sad": MoodProfile(62, "aeolian", 66, 58, (0, 5, 3, 4), -2.5, 0.3),
    "angry": MoodProfile(60, "phrygian", 132, 108, (0, 1, 0, 6), 2.0, 0.85),
    "surprised": MoodProfile(65, "lydian", 104, 84, (0, 1, 5, 4), 0.5, 0.6),
    "calm": MoodProfile(63, "ionian", 70, 54, (0, 3, 5, 3), -3.5, 0.25),
    "excited": MoodProfile(69, "mixolydian", 138, 100, (5, 3, 0, 6), 2.0, 0.9),
}


def degree_pitch(profile: MoodProfile, degree: int, octave_shift: int = 0) -> int:
    """MIDI pitch of a scale degree (may be negative or beyond 7) around the tonic."""
    scale = profile.scale
    octave, index = divmod(degree, len(scale))
    return profile.tonic + 12 * (octave + octave_shift) + scale[index]


def chord_pitches(
    profile: MoodProfile, degree: int, *, seventh: bool = False, dominant: bool = False
) -> list[int]:
    """A diatonic triad (or seventh) on a degree; `dominant` forces a major V for a real cadence."""
    if dominant:
        root = degree_pitch(profile, 4)
        return [root, root + 4, root + 7] + ([root + 10] if seventh else [])
    steps = (0, 2, 4, 6) if seventh else (0, 2, 4)
    return [degree_pitch(profile, degree + s) for s in steps]
