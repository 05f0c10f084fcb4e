# ruff: noqa: RUF001 - IPA and non-Latin scripts are meant here
"""Map IPA phonemes (as Kokoro and espeak-ng spell them) to the mouth shapes the animator draws."""

from __future__ import annotations

from schemas.media import Viseme

PAUSE = "_"
"""The phoneme name given to a silence inside a line."""

_CLOSED = set("mbpʙ")
_TEETH = set("fvɱ")
_ROUND = set("oɔuʊwɒʉøœɵyʏɥɞʍ") | {"O", "W", "Y"}  # misaki-style diphthong letters too
_OPEN = set("aɑæɐʌəɚɝɜɶ") | {"I"}
_WIDE = set("eɛiɪɨɯɤ") | {"A", "E"}
_MODIFIERS = set("ˈˌːˑ̪̩̯̃ʰʲʷˠˤ̚-'")
_PUNCTUATION = set(' .,!?;:…—–"“”«»()¡¿、。，！？')


def is_modifier(symbol: str) -> bool:
    """Stress, length and diacritic marks: they colour a neighbouring phoneme, not a mouth shape."""
    return bool(symbol) and all(ch in _MODIFIERS for ch in symbol)


def is_pause(symbol: str) -> bool:
    """Spaces, punctuation and empty events: the mouth rests."""
    return not symbol.strip() or all(ch in _PUNCTUATION for ch in symbol) or symbol == PAUSE


def viseme_for(symbol: str) -> Viseme:
    """The mouth shape of one phoneme; diphthongs take the shape of their first vowel."""
    if is_pause(symbol):
        return "rest"
    for ch in symbol:
        if ch in _MODIFIERS:
            continue
        if ch in _CLOSED:
            return "closed"
        if ch in _TEETH:
            return "teeth"
        if ch in _ROUND:
            return "round"
        if ch in _OPEN:
            return "open"
        if ch in _WIDE:
            return "wide"
        return "narrow"
    return "rest"
