"""Word and mouth timings from character spans, for engines and transcripts that give no phonemes."""

from __future__ import annotations

from collections.abc import Sequence

from gpu_stages.voice.synthesis import RawPhoneme, RawWord
from gpu_stages.voice.visemes import PAUSE


def letters_in(words: Sequence[RawWord]) -> list[RawPhoneme]:
    """Each word's letters spread evenly over its span (a letter's mouth shape stands in for its sound),
    with a pause between words that do not touch."""
    phonemes: list[RawPhoneme] = []
    clock = 0.0
    for word in words:
        if word.start > clock:
            phonemes.append(RawPhoneme(PAUSE, clock, word.start))
        letters = [ch for ch in word.text.lower() if ch.isalpha()] or [PAUSE]
        step = max(0.0, word.end - word.start) / len(letters)
        for n, letter in enumerate(letters):
            phonemes.append(RawPhoneme(letter, word.start + n * step, word.start + (n + 1) * step))
        clock = max(clock, word.end)
    return phonemes


def spread_words(texts: Sequence[str], start: float, end: float) -> list[RawWord]:
    """Words laid over [start, end] in proportion to their lengths (when an engine's own word split
    does not match the script's words)."""
    weights = [max(1, len(text)) for text in texts]
    total = sum(weights) or 1
    out: list[RawWord] = []
    clock = start
    for text, weight in zip(texts, weights, strict=True):
        span = (end - start) * weight / total
        out.append(RawWord(text, clock, clock + span))
        clock += span
    return out
