"""Turn recognised words into script lines: split at sentence ends and long pauses, timed to the audio."""

from __future__ import annotations

from dataclasses import dataclass

SENTENCE_ENDS = (".", "!", "?", "\u0964", "\u3002", "\uff01", "\uff1f", "\u061f")
"""Latin, Devanagari danda, CJK and Arabic sentence ends."""
PAUSE_SPLIT = 0.7
"""A silence this long between words starts a new line even without punctuation."""
MAX_LINE_WORDS = 40
MIN_WORD_SECONDS = 0.02
"""Shorter words are alignment artefacts (Whisper's hallucinations on silence get no duration)."""


@dataclass(frozen=True)
class HeardWord:
    """One recognised word, seconds from the start of the recording."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class HeardLine:
    words: tuple[HeardWord, ...]

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return self.words[-1].end

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def clean_words(words: list[HeardWord], duration: float) -> list[HeardWord]:
    """Words inside the recording, in time order, never overlapping; empty and instant ones dropped."""
    out: list[HeardWord] = []
    clock = 0.0
    for word in sorted(words, key=lambda w: w.start):
        text = word.text.strip()
        start = min(max(word.start, clock, 0.0), duration)
        end = min(max(word.end, start), duration)
        if not text or end - start < MIN_WORD_SECONDS:
            continue
        out.append(HeardWord(text, start, end))
        clock = end
    return out


def split_lines(words: list[HeardWord]) -> list[HeardLine]:
    """Group words into lines at sentence ends, pauses over `PAUSE_SPLIT` and `MAX_LINE_WORDS` words."""
    lines: list[HeardLine] = []
    current: list[HeardWord] = []
    for n, word in enumerate(words):
        current.append(word)
        following = words[n + 1] if n + 1 < len(words) else None
        ends = (
            following is None
            or word.text.endswith(SENTENCE_ENDS)
            or following.start - word.end >= PAUSE_SPLIT
            or len(current) >= MAX_LINE_WORDS
        )
        if ends:
            lines.append(HeardLine(tuple(current)))
            current = []
    return lines
