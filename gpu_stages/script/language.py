"""Detect a script's language: writing-system ranges first, then py3langid over a fixed set."""

from __future__ import annotations

from functools import cache
from typing import Any

LANGUAGES = ("en", "hi", "ar", "es", "fr", "de", "ja", "zh", "pt", "it", "nl", "ru", "ko", "ur", "fa", "bn")
"""Languages the detector may answer with; a short list keeps short texts from being misread."""
_LATIN_LANGUAGES = ["en", "es", "fr", "de", "pt", "it", "nl"]

# Unicode blocks that decide the language (or narrow it) on their own.
_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    "bengali": ((0x0980, 0x09FF),),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF)),
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)),
    "hangul": ((0xAC00, 0xD7AF), (0x1100, 0x11FF)),
    "cyrillic": ((0x0400, 0x04FF),),
}
_SCRIPT_SHARE = 0.3
"""A writing system decides the language once it holds this share of the letters."""


def script_counts(text: str) -> dict[str, int]:
    """How many letters of each non-Latin writing system the text holds, plus 'latin' and 'letters'."""
    counts = dict.fromkeys([*_RANGES, "latin", "letters"], 0)
    for ch in text:
        if not ch.isalpha() and not (0x0900 <= ord(ch) <= 0x097F):
            continue
        counts["letters"] += 1
        code = ord(ch)
        if code < 0x0250:
            counts["latin"] += 1
            continue
        for name, ranges in _RANGES.items():
            if any(lo <= code <= hi for lo, hi in ranges):
                counts[name] += 1
                break
    return counts


def detect_language(text: str) -> str:
    """The script's main language as a BCP-47 primary tag ('en', 'hi', 'ar', ...); 'en' if unsure."""
    counts = script_counts(text)
    letters = counts["letters"]
    if not letters:
        return "en"

    def share(*names: str) -> float:
        return sum(counts[name] for name in names) / letters

    if share("devanagari") >= _SCRIPT_SHARE:
        return "hi"
    if share("bengali") >= _SCRIPT_SHARE:
        return "bn"
    if share("arabic") >= _SCRIPT_SHARE:
        return _classify(text, ["ar", "fa", "ur"])
    if share("hangul") >= _SCRIPT_SHARE:
        return "ko"
    if share("kana") >= 0.05 and share("kana", "han") >= _SCRIPT_SHARE:
        return "ja"  # Japanese mixes kana into Han text; Chinese has none
    if share("han") >= _SCRIPT_SHARE:
        return "zh"
    if share("cyrillic") >= _SCRIPT_SHARE:
        return "ru"
    return _classify(_latin_only(text), _LATIN_LANGUAGES)


def _latin_only(text: str) -> str:
    """Drop other writing systems so a Sanskrit verse inside English does not sway the vote."""
    return "".join(ch if ord(ch) < 0x0250 else " " for ch in text)


def _classify(text: str, candidates: list[str]) -> str:
    identifier = language_model()
    identifier.set_languages(candidates)
    language, _score = identifier.classify(text)
    return str(language)


@cache
def language_model() -> Any:
    """The langid model, loaded once on first use (about 0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
