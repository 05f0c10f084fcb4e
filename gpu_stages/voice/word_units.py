"""The units a line's timings are kept in: spaced words, and single characters inside Chinese or Japanese text.

Chinese and Japanese are written without spaces, so splitting on whitespace gives a whole sentence
one timing span. Each Han or kana character is one spoken syllable (or mora), so it gets its own
unit: karaoke subtitles and the mouths can then follow the speech character by character.
Punctuation stays on the character before it, and Latin letters or digits inside CJK text stay
together as one unit (they are read as one word). Hangul is written with spaces, so Korean keeps
its spaced words.
"""

from __future__ import annotations

import re


def is_han_or_kana(ch: str) -> bool:
    """Han ideographs, hiragana and katakana: characters spoken one syllable or mora at a time."""
    cp = ord(ch)
    return (
        0x3041 <= cp <= 0x30FF  # hiragana, katakana
        or 0x31F0 <= cp <= 0x31FF  # katakana phonetic extensions
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FA1F
    )


_JOINS_PREVIOUS = frozenset("ーゝゞヽヾ々ぁぃぅぇぉゃゅょゎァィゥェォャュョヮ")
"""Length and iteration marks and small kana: they lengthen, repeat or bend the sound before
(きゃ is one mora), so they join that character."""


def split_units(text: str) -> list[tuple[int, int]]:
    """(begin, end) spans of `text`: whitespace-separated tokens, with Han/kana runs cut per character."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"\S+", text):
        token = match.group()
        if not any(is_han_or_kana(ch) for ch in token):
            spans.append((match.start(), match.end()))
            continue
        pieces: list[tuple[int, int]] = []
        for offset, ch in enumerate(token):
            at = match.start() + offset
            starts_unit = is_han_or_kana(ch) and ch not in _JOINS_PREVIOUS
            previous_cjk = offset > 0 and is_han_or_kana(token[offset - 1])
            # Latin or digits after a CJK character open their own unit; punctuation never does.
            opens_run = ch.isalnum() and not is_han_or_kana(ch) and (offset == 0 or previous_cjk)
            # An opening bracket or quote before the first character stays with that character.
            unspoken = bool(pieces) and not any(c.isalnum() for c in text[pieces[-1][0] : pieces[-1][1]])
            if not pieces or ((starts_unit or opens_run) and not unspoken):
                pieces.append((at, at + 1))
            else:
                pieces[-1] = (pieces[-1][0], at + 1)
        spans.extend(pieces)
    return spans


def spoken_units(text: str) -> list[str]:
    """The unit texts of `text` (see `split_units`), punctuation-only ones included."""
    return [text[begin:end] for begin, end in split_units(text)]


def timed_units(text: str) -> list[str]:
    """The units that are spoken: those holding a letter or digit."""
    return [unit for unit in spoken_units(text) if any(ch.isalnum() for ch in unit)]
