"""What a speech engine returns: mono audio with word and phoneme spans, before any transform."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


class EngineUnavailable(Exception):
    """A speech engine cannot run here (assets missing, library absent); the message says what to install."""


@dataclass(frozen=True)
class RawWord:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class RawPhoneme:
    symbol: str
    start: float
    end: float


@dataclass(frozen=True)
class Synthesis:
    """Float32 mono audio in [-1, 1] with timings in seconds from the audio's first sample."""

    audio: np.ndarray
    sample_rate: int
    words: list[RawWord]
    phonemes: list[RawPhoneme]

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate

    def retimed(self, audio: np.ndarray, factor: float) -> Synthesis:
        """The same speech with new audio whose time axis is this one's scaled by `factor`."""
        return replace(
            self,
            audio=audio,
            words=[RawWord(w.text, w.start * factor, w.end * factor) for w in self.words],
            phonemes=[RawPhoneme(p.symbol, p.start * factor, p.end * factor) for p in self.phonemes],
        )

    def shifted(self, audio: np.ndarray, offset: float) -> Synthesis:
        """The same speech placed `offset` seconds later in new audio."""
        return replace(
            self,
            audio=audio,
            words=[RawWord(w.text, w.start + offset, w.end + offset) for w in self.words],
            phonemes=[RawPhoneme(p.symbol, p.start + offset, p.end + offset) for p in self.phonemes],
        )
