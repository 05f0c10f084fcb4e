"""Timed tokens: the unbreakable pieces of a line, each with the time its sound starts and ends.

Spaced scripts break into words; CJK breaks into characters (grapheme clusters), with closing
punctuation kept on the character before it. Times come from the voice's word timings, found in
the displayed text by their letters, so punctuation and capitalisation never break the match;
tokens no timing covers are placed by interpolating along the characters of the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from gpu_stages.subtitles.scripts import graphemes, is_cjk_char
from schemas.media import WordTiming

NO_LINE_START = frozenset(
    "、。，．！？：；）」』】〕〉》〟’”…・ー～,.!?:;)]}%ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"  # noqa: RUF001
)
"""Characters that may not begin a CJK line (kinsoku): they stay with the character before."""
NO_LINE_END = frozenset("（「『【〔〈《〝‘“([{")  # noqa: RUF001


@dataclass(frozen=True)
class Token:
    """An unbreakable span of the line text, `text[begin:end]`, with its timing on the film clock."""

    begin: int
    end: int
    start: float
    stop: float
    spaced: bool
    """True when the token is separated from the one before it by whitespace in the text."""


def split_spans(text: str) -> list[tuple[int, int, bool]]:
    """Spans of unbreakable pieces: words of spaced scripts, grapheme clusters of CJK."""
    spans: list[tuple[int, int, bool]] = []
    for match in re.finditer(r"\S+", text):
        word = match.group()
        spaced = match.start() > 0
        if not any(is_cjk_char(ch) for ch in word):
            spans.append((match.start(), match.end(), spaced))
            continue
        pos = match.start()
        pieces: list[tuple[int, int]] = []
        for cluster in graphemes(word):
            begin, pos = pos, pos + len(cluster)
            glue_to_previous = pieces and (
                cluster[0] in NO_LINE_START
                or _ends_with_opener(text[pieces[-1][0] : pieces[-1][1]])
                or not (is_cjk_char(cluster[0]) or is_cjk_char(text[pieces[-1][1] - 1]))
            )
            if glue_to_previous:
                pieces[-1] = (pieces[-1][0], pos)  # Latin runs inside CJK stay whole, too
            else:
                pieces.append((begin, pos))
        spans.extend((b, e, spaced and i == 0) for i, (b, e) in enumerate(pieces))
    return spans


def _ends_with_opener(piece: str) -> bool:
    return piece[-1] in NO_LINE_END


def _letters_index(text: str) -> tuple[str, list[int]]:
    """Lower-cased letters, marks and digits of the text, and each one's index in the text."""
    kept: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch)[0] in {"L", "M", "N"}:
            kept.append(ch.lower()[:1] or ch)
            where.append(i)
    return "".join(kept), where


def _normalise(word: str) -> str:
    return "".join(ch.lower()[:1] for ch in word if unicodedata.category(ch)[0] in {"L", "M", "N"})


def timed_tokens(
    text: str, words: Sequence[WordTiming], offset: float, fallback: tuple[float, float]
) -> list[Token]:
    """Tokens of `text` timed by `words` (relative times, shifted by `offset` onto the film clock).

    `fallback` is the (start, end) on the film clock used when no word timing matches at all,
    e.g. for a machine-translated line whose words were never voiced.
    """
    spans = split_spans(text)
    if not spans:
        return []
    anchors = _anchor_chars(text, words)
    starts: list[float | None] = []
    stops: list[float | None] = []
    for begin, end, _ in spans:
        hits = [anchors[i] for i in range(begin, end) if i in anchors]
        starts.append(min(h[0] for h in hits) + offset if hits else None)
        stops.append(max(h[1] for h in hits) + offset if hits else None)
    _interpolate(spans, starts, stops, fallback)
    return [
        Token(begin, end, float(s), float(e), spaced)
        for (begin, end, spaced), s, e in zip(spans, starts, stops, strict=True)
        if s is not None and e is not None
    ]


def _anchor_chars(text: str, words: Sequence[WordTiming]) -> dict[int, tuple[float, float]]:
    """Map character indices of `text` to the (start, end) of the timed word found there."""
    letters, where = _letters_index(text)
    anchors: dict[int, tuple[float, float]] = {}
    cursor = 0
    for word in words:
        needle = _normalise(word.word)
        if not needle:
            continue
        found = letters.find(needle, cursor)
        if found < 0:
            continue  # a word the voice said differently (numbers, abbreviations): interpolate
        for k in range(found, found + len(needle)):
            anchors[where[k]] = (word.start, word.end)
        cursor = found + len(needle)
    return anchors


def _interpolate(
    spans: list[tuple[int, int, bool]],
    starts: list[float | None],
    stops: list[float | None],
    fallback: tuple[float, float],
) -> None:
    """Fill untimed tokens in place, proportionally to character position between timed neighbours."""
    n = len(spans)
    total_chars = spans[-1][1] - spans[0][0] or 1
    known = [i for i in range(n) if starts[i] is not None]
    for i in range(n):
        if starts[i] is not None:
            continue
        before = max((k for k in known if k < i), default=None)
        after = min((k for k in known if k > i), default=None)
        if before is not None:
            left_t, left_c = float(stops[before] or 0.0), spans[before][1]
        else:
            left_t, left_c = fallback[0], spans[0][0]
        if after is not None:
            right_t, right_c = float(starts[after] or 0.0), spans[after][0]
        else:
            right_t, right_c = fallback[1], spans[-1][1]
        right_t = max(right_t, left_t)
        width = max(right_c - left_c, 1) if (before is not None or after is not None) else total_chars

        def at(char: int, lt: float = left_t, lc: int = left_c, rt: float = right_t, w: int = width) -> float:
            return lt + (rt - lt) * (char - lc) / w

        starts[i] = round(at(spans[i][0]), 3)
        stops[i] = round(at(spans[i][1]), 3)
