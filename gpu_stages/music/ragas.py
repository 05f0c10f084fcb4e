"""Ragas (swaras, aroha, avaroha, pakad, time and mood) and a phrase generator that obeys them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np

from schemas.media import Emotion, TimeOfDay


@dataclass(frozen=True)
class Raga:
    """A raga as semitones from Sa; aroha/avaroha may reach below 0 (mandra) or to 12 (taar Sa)."""

    name: str
    aroha: tuple[int, ...]
    avaroha: tuple[int, ...]
    pakad: tuple[tuple[int, ...], ...]
    vadi: int
    samvadi: int
    times: frozenset[TimeOfDay]
    moods: frozenset[Emotion]
    drone: str = "pa"
    """First tanpura string: 'pa', or 'ma' for ragas without Pa."""

    @property
    def pitch_classes(self) -> frozenset[int]:
        return frozenset(p % 12 for p in self.aroha + self.avaroha)


def _r(name: str, aroha: tuple[int, ...], avaroha: tuple[int, ...], pakad: tuple[tuple[int, ...], ...],
       vadi: int, samvadi: int, times: str, moods: str, drone: str = "pa") -> Raga:  # fmt: skip
    when = cast(frozenset[TimeOfDay], frozenset(times.split()))
    feel = cast(frozenset[Emotion], frozenset(moods.split()))
    return Raga(name, aroha, avaroha, pakad, vadi, samvadi, when, feel, drone)


# fmt: off
RAGAS: dict[str, Raga] = {
    r.name: r
    for r in (
        _r("Yaman", (-1, 2, 4, 6, 9, 11, 12), (12, 11, 9, 7, 6, 4, 2, 0),
           ((-1, 2, 4, 2, 0), (7, 6, 4, 2, 0)),
           4, 11, "dusk night", "calm happy neutral surprised"),
        _r("Bhairav", (0, 1, 4, 5, 7, 8, 11, 12), (12, 11, 8, 7, 5, 4, 1, 0),
           ((0, 4, 5, 8, 8, 7), (4, 5, 4, 1, 1, 0)),
           8, 1, "dawn", "calm sad neutral"),
        _r("Kafi", (0, 2, 3, 5, 7, 9, 10, 12), (12, 10, 9, 7, 5, 3, 2, 0),
           ((0, 0, 2, 2, 3, 3, 5, 5, 7), (5, 7, 3, 2, 0)),
           7, 0, "day night", "happy excited neutral"),
        _r("Bhupali", (0, 2, 4, 7, 9, 12), (12, 9, 7, 4, 2, 0),
           ((4, 2, 0, -3, 0, 2, 4), (7, 4, 9, 7, 4, 2, 0)),
           4, 9, "dusk", "calm happy"),
        _r("Darbari", (0, 2, 3, 5, 7, 8, 10, 12), (12, 8, 10, 7, 5, 3, 2, 0),
           ((3, 5, 2, 0), (8, 10, 7, 5, 3, 2, 0)),
           2, 7, "night", "sad calm"),
        _r("Bhimpalasi", (-2, 0, 3, 5, 7, 10, 12), (12, 10, 9, 7, 5, 3, 2, 0),
           ((-2, 0, 3, 5, 3, 5, 7), (5, 3, 2, 0)),
           5, 0, "day", "sad calm"),
        _r("Todi", (0, 1, 3, 6, 8, 11, 12), (12, 11, 8, 7, 6, 3, 1, 0),
           ((1, 3, 1, 0), (8, 6, 3, 1, 0)),
           8, 3, "dawn day", "sad angry"),
        _r("Desh", (0, 2, 5, 7, 11, 12), (12, 10, 9, 7, 5, 4, 2, 0),
           ((2, 5, 7, 11, 12), (10, 9, 7, 5, 4, 2, 0)),
           2, 7, "night dusk", "happy excited surprised"),
        _r("Malkauns", (0, 3, 5, 8, 10, 12), (12, 10, 8, 5, 3, 0),
           ((5, 3, 5, 8, 10, 8, 5), (3, 5, 3, 0)),
           5, 0, "night", "angry calm excited", drone="ma"),
    )
}
# fmt: on


def choose_raga(mood: Emotion, time_of_day: TimeOfDay, seed: int) -> Raga:
    """A raga suited to the mood, preferring one whose time (prahar) matches the scene's."""
    fitting = [r for r in RAGAS.values() if mood in r.moods]
    timely = [r for r in fitting if time_of_day in r.times] or fitting or list(RAGAS.values())
    return timely[seed % len(timely)]


@dataclass
class Swara:
    """One melody note: seconds, semitones from Sa, and the pitch it glides (meend) from."""

    start: float
    duration: float
    offset: int
    velocity: int
    glide_from: int | None = None
    andolan: bool = False


@dataclass
class RagaPhraser:
    """Walks up by the aroha and down by the avaroha, resting on Sa, vadi, samvadi or Pa."""

    raga: Raga
    rng: np.random.Generator
    low: int = -5
    high: int = 19
    position: int = 0
    _up: list[int] = field(default_factory=list)
    _down: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._up = sorted(
            {a + 12 * k for a in self.raga.aroha for k in (-1, 0, 1) if self.low <= a + 12 * k <= self.high}
        )
        self._down = sorted(
            {a + 12 * k for a in self.raga.avaroha for k in (-1, 0, 1) if self.low <= a + 12 * k <= self.high}
        )

    @property
    def resting_notes(self) -> list[int]:
        bases = {0, self.raga.vadi, self.raga.samvadi} | ({7} if 7 in self.raga.pitch_classes else set())
        return sorted(
            {b + 12 * k for b in bases for k in (-1, 0, 1) if self.low + 2 <= b + 12 * k <= self.high - 2}
        )

    def step(self, up: bool) -> int:
        ladder = self._up if up else self._down
        candidates = [p for p in ladder if (p > self.position if up else p < self.position)]
        if not candidates:
            return self.step(not up) if (self._up if not up else self._down) else self.position
        self.position = candidates[0] if up else candidates[-1]
        return self.position

    def phrase(self, target: int | None = None, max_notes: int = 9) -> list[int]:
        """Notes from the current position to a resting note, with an occasional turn (vakra)."""
        if target is None:
            rests = [r for r in self.resting_notes if r != self.position and abs(r - self.position) <= 12]
            target = int(self.rng.choice(rests)) if rests else 0
        notes: list[int] = []
        guard = 0
        while self.position != target and len(notes) < max_notes and guard < 40:
            guard += 1
            up = target > self.position
            if len(notes) >= 2 and self.rng.random() < 0.15:
                up = not up  # a brief turn back, as ragas move in curves, not scales
            before = self.position
            notes.append(self.step(up))
            if self.position == before:
                break
        if self.position != target:
            self.position = target
            notes.append(target)
        return notes

    def pakad(self) -> list[int]:
        """The raga's catch phrase, placed in the octave nearest the current position."""
        phrase = list(self.raga.pakad[int(self.rng.integers(len(self.raga.pakad)))])
        shift = 12 * round((self.position - phrase[0]) / 12)
        shifted = [p + shift for p in phrase]
        if min(shifted) < self.low or max(shifted) > self.high:
            shifted = phrase
        self.position = shifted[-1]
        return shifted
