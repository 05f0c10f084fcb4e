# ruff: noqa: RUF001 - kana and IPA are meant here
"""Japanese text to Kokoro phonemes: MeCab (fugashi + unidic-lite) readings, then kana to IPA.

espeak-ng reads kanji as "Chinese letter" and drops kana vowels, so it cannot phonemise Japanese.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_KANA = {
    "ア": "a", "イ": "i", "ウ": "ɯ", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "kɯ", "ケ": "ke", "コ": "ko",
    "ガ": "ɡa", "ギ": "ɡi", "グ": "ɡɯ", "ゲ": "ɡe", "ゴ": "ɡo",
    "サ": "sa", "シ": "ɕi", "ス": "sɯ", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "ʥi", "ズ": "zɯ", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "ʨi", "ツ": "ʦɯ", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "ʥi", "ヅ": "zɯ", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ɲi", "ヌ": "nɯ", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "çi", "フ": "ɸɯ", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bɯ", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pɯ", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mɯ", "メ": "me", "モ": "mo",
    "ヤ": "ja", "ユ": "jɯ", "ヨ": "jo",
    "ラ": "ɾa", "リ": "ɾi", "ル": "ɾɯ", "レ": "ɾe", "ロ": "ɾo",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ヴ": "vɯ",
    "ァ": "a", "ィ": "i", "ゥ": "ɯ", "ェ": "e", "ォ": "o", "ャ": "ja", "ュ": "jɯ", "ョ": "jo",
}  # fmt: skip
_SMALL_VOWEL = {"ャ": "a", "ュ": "ɯ", "ョ": "o", "ァ": "a", "ィ": "i", "ゥ": "ɯ", "ェ": "e", "ォ": "o"}
_PALATAL = ("ɕ", "ʨ", "ʥ", "ɲ", "ç")
_PUNCTUATION = {"。": ".", "、": ",", "！": "!", "？": "?", "!": "!", "?": "?", ",": ",", ".": ".", "…": "…"}
_ATTACHED_POS = {"助詞", "助動詞", "接尾辞", "補助記号"}
"""Particles, auxiliaries, suffixes and punctuation join the word before them."""


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def kana_to_ipa(kana: str) -> str:
    """IPA for a katakana or hiragana reading ('ー' lengthens, 'ッ' is a glottal catch, 'ン' assimilates)."""
    kana = _katakana(kana)
    out: list[str] = []
    i = 0
    while i < len(kana):
        ch = kana[i]
        small = kana[i + 1] if i + 1 < len(kana) and kana[i + 1] in _SMALL_VOWEL else None
        if ch == "ー":
            out.append("ː")
        elif ch == "ッ":
            out.append("ʔ")
        elif ch == "ン":
            out.append("N")  # place decided below, from the next sound
        elif ch in _KANA and small and ch not in _SMALL_VOWEL:
            consonant = _KANA[ch][:-1]
            glide = "j" if small in "ャュョ" and not consonant.endswith(_PALATAL) and consonant else ""
            out.append(consonant + glide + _SMALL_VOWEL[small])
            i += 1
        elif ch in _KANA:
            out.append(_KANA[ch])
        elif ch in _PUNCTUATION:
            out.append(_PUNCTUATION[ch])
        i += 1
    ipa = "".join(out)
    resolved = []
    for k, ch in enumerate(ipa):
        if ch == "N":
            following = ipa[k + 1 : k + 2]
            resolved.append("m" if following in ("p", "b", "m") else "ŋ" if following in ("k", "ɡ") else "ɴ")
        else:
            resolved.append(ch)
    return "".join(resolved)


@lru_cache(maxsize=1)
def _tagger() -> Any:
    try:
        import fugashi
    except ImportError as error:
        raise ImportError("Japanese voices need the packages fugashi and unidic-lite") from error
    return fugashi.Tagger()


def japanese_words(text: str) -> list[tuple[str, str]]:
    """(surface, phonemes) per spoken chunk: a content word with the particles and marks after it."""
    chunks: list[tuple[str, str]] = []
    prefix = ("", "")
    for token in _tagger()(text):
        pos = token.pos.split(",")[0]
        reading = (
            getattr(token.feature, "pron", None) or getattr(token.feature, "kana", None) or token.surface
        )
        ipa = kana_to_ipa(reading) if pos != "補助記号" else _PUNCTUATION.get(token.surface, "")
        if pos == "接頭辞":
            prefix = (prefix[0] + token.surface, prefix[1] + ipa)
            continue
        if chunks and (pos in _ATTACHED_POS) and not prefix[0]:
            surface, phonemes = chunks[-1]
            chunks[-1] = (surface + token.surface, phonemes + ipa)
        else:
            chunks.append((prefix[0] + token.surface, prefix[1] + ipa))
        prefix = ("", "")
    return [(s, p) for s, p in chunks if any(c.isalpha() for c in p)]
