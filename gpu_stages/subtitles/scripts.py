"""Writing systems: which script a text is in, its direction, its fonts, and its grapheme clusters."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Script = Literal["latin", "devanagari", "arabic", "cjk"]

NOTO_TRUETYPE = Path("/usr/share/fonts/truetype/noto")
NOTO_OPENTYPE = Path("/usr/share/fonts/opentype/noto")

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "ps", "sd", "ug", "yi"})
CJK_LANGUAGES = frozenset({"ja", "zh", "ko"})

LANGUAGE_NAMES = {
    "en": "English", "hi": "Hindi", "ar": "Arabic", "es": "Spanish", "fr": "French",
    "de": "German", "it": "Italian", "pt": "Portuguese", "ja": "Japanese", "zh": "Chinese",
    "ko": "Korean", "ru": "Russian", "bn": "Bengali", "ur": "Urdu", "fa": "Persian",
    "mr": "Marathi", "ne": "Nepali", "ta": "Tamil", "te": "Telugu", "tr": "Turkish",
    "nl": "Dutch", "pl": "Polish", "id": "Indonesian", "sw": "Swahili", "he": "Hebrew",
}  # fmt: skip

VIRAMA = "\u094d"  # Devanagari halant: joins the next consonant into the same cluster
JOINERS = frozenset({"\u200c", "\u200d"})  # ZWNJ / ZWJ never start a cluster


@dataclass(frozen=True)
class ScriptFont:
    """A font as libass names it (family) and as Pillow opens it (file and face index)."""

    family: str
    regular: Path
    bold: Path
    index: int = 0


def language_name(code: str) -> str:
    """English name of a BCP-47 language tag, or the tag itself when unknown."""
    return LANGUAGE_NAMES.get(primary_subtag(code), code)


def primary_subtag(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def char_script(ch: str) -> Script | None:
    """The script of one character, or None for punctuation, digits, spaces and marks."""
    cp = ord(ch)
    if 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF:
        return "devanagari"
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFEFF:
        return "arabic"
    if is_cjk_char(ch):
        return "cjk"
    if ch.isalpha():
        return "latin"
    return None


def is_cjk_char(ch: str) -> bool:
    """Han, kana, hangul and full-width CJK punctuation: characters laid out without spaces."""
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF  # hangul syllables
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x20000 <= cp <= 0x2FA1F
    )


def dominant_script(text: str, language: str | None = None) -> Script:
    """The script most letters of `text` are in; the language decides when there are no letters."""
    counts: dict[Script, int] = {}
    for ch in text:
        script = char_script(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if counts:
        return max(counts, key=lambda s: counts[s])
    lang = primary_subtag(language or "en")
    if lang in CJK_LANGUAGES:
        return "cjk"
    if lang in RTL_LANGUAGES:
        return "arabic"
    if lang in {"hi", "mr", "ne", "sa"}:
        return "devanagari"
    return "latin"


def is_rtl(language: str, text: str = "") -> bool:
    """Whether the text reads right to left (Arabic script or an RTL language)."""
    return primary_subtag(language) in RTL_LANGUAGES or (bool(text) and dominant_script(text) == "arabic")


def font_for(script: Script, language: str = "") -> ScriptFont:
    """The Noto font (Debian fonts-noto-core / fonts-noto-cjk) that covers a script."""
    if script == "devanagari":
        return ScriptFont(
            "Noto Sans Devanagari",
            NOTO_TRUETYPE / "NotoSansDevanagari-Regular.ttf",
            NOTO_TRUETYPE / "NotoSansDevanagari-Bold.ttf",
        )
    if script == "arabic":
        return ScriptFont(
            "Noto Sans Arabic",
            NOTO_TRUETYPE / "NotoSansArabic-Regular.ttf",
            NOTO_TRUETYPE / "NotoSansArabic-Bold.ttf",
        )
    if script == "cjk":
        # Face order inside the Debian .ttc files: JP, KR, SC, TC, HK.
        tag = language.lower().replace("_", "-")
        if tag.startswith("ko"):
            family, index = "Noto Sans CJK KR", 1
        elif tag.startswith("zh"):
            traditional = any(part in tag for part in ("hant", "-tw", "-hk", "-mo"))
            family, index = ("Noto Sans CJK TC", 3) if traditional else ("Noto Sans CJK SC", 2)
        else:
            family, index = "Noto Sans CJK JP", 0
        return ScriptFont(
            family,
            NOTO_OPENTYPE / "NotoSansCJK-Regular.ttc",
            NOTO_OPENTYPE / "NotoSansCJK-Bold.ttc",
            index,
        )
    return ScriptFont(
        "Noto Sans", NOTO_TRUETYPE / "NotoSans-Regular.ttf", NOTO_TRUETYPE / "NotoSans-Bold.ttf"
    )


def graphemes(text: str) -> list[str]:
    """Split text into user-perceived characters: a base plus its marks, and virama conjuncts.

    A simplified extended-grapheme segmentation that is exact for Devanagari and Arabic:
    combining marks (vowel signs, nukta, anusvara, harakat) and a consonant after a virama
    stay with the cluster they belong to, so a line break never falls inside one.
    """
    clusters: list[str] = []
    for ch in text:
        if clusters and _continues_cluster(clusters[-1], ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _continues_cluster(cluster: str, ch: str) -> bool:
    if ch in JOINERS or unicodedata.category(ch) in {"Mn", "Mc", "Me"}:
        return True
    last = cluster[-1]
    if last in JOINERS:
        return True
    return last == VIRAMA and char_script(ch) == "devanagari"


def display_width(text: str) -> int:
    """Length of a line in grapheme clusters (what the per-line character limits count)."""
    return len(graphemes(text))
