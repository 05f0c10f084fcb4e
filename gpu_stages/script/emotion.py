"""How a line is said (from its parenthetical and wording) and the mood of a scene."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from schemas.media import Emotion

_PAREN_WORDS: dict[Emotion, tuple[str, ...]] = {
    "angry": ("angrily", "angry", "furious", "furiously", "shout", "shouting", "shouts", "yell", "yelling",
              "yells", "snapping", "snaps", "irritated", "annoyed", "fuming", "glaring", "sternly", "harshly",
              "enraged", "bitterly"),
    "sad": ("sadly", "sad", "tearful", "tearfully", "crying", "cries", "sobbing", "sobs", "mournful",
            "heartbroken", "sighs", "sighing", "gloomy", "wistful", "wistfully", "grieving", "choked",
            "downcast"),
    "happy": ("happily", "happy", "laughing", "laughs", "smiling", "smiles", "cheerful", "cheerfully",
              "giggling", "giggles", "warmly", "delighted", "proud", "proudly", "grinning", "beaming",
              "joyful", "joyfully", "playfully", "teasing"),
    "surprised": ("surprised", "shocked", "gasps", "gasping", "amazed", "astonished", "stunned",
                  "startled", "disbelief", "wide-eyed"),
    "calm": ("whispering", "whispers", "whisper", "softly", "gently", "quietly", "calmly", "calm",
             "soothing", "tenderly", "reverently", "serenely", "peacefully", "slowly", "prayerfully",
             "hushed", "reassuring", "reassuringly", "kindly"),
    "excited": ("excited", "excitedly", "eagerly", "eager", "thrilled", "breathless", "enthusiastically",
                "jumping", "bouncing", "energetic", "energetically"),
}  # fmt: skip
_TEXT_WORDS: dict[Emotion, tuple[str, ...]] = {
    "angry": ("how dare", "get out", "shut up", "furious", "i hate", "idiot", "stop it", "enough",
              "unacceptable", "liar", "how could you"),
    "sad": ("i'm sorry", "i am sorry", "miss you", "goodbye", "lost", "died", "cry", "tears", "alone",
            "lonely", "heartbroken", "grief", "sad", "gone forever"),
    "surprised": ("wow", "no way", "unbelievable", "can't believe", "cannot believe", "really?",
                  "what?!", "oh my", "suddenly", "whoa"),
    "excited": ("yay", "hooray", "let's go", "can't wait", "awesome", "amazing", "incredible",
                "fantastic", "hurry"),
    "happy": ("thank you", "i love", "wonderful", "happy", "beautiful", "smile", "laugh", "joy",
              "delicious", "congratulations", "welcome"),
    "calm": ("peace", "breathe", "shanti", "gently", "pray", "prayer", "quiet",
             "serene", "om"),
}  # fmt: skip
_PRIORITY: tuple[Emotion, ...] = ("angry", "surprised", "sad", "excited", "happy", "calm")
_CALM_SETTINGS = frozenset({"temple", "night_sky", "garden", "riverbank"})


def _matches(phrases: tuple[str, ...], text: str) -> int:
    return sum(len(re.findall(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)) for phrase in phrases)


def _best(scores: dict[Emotion, int]) -> Emotion | None:
    top = max(scores.values(), default=0)
    if top <= 0:
        return None
    return next(emotion for emotion in _PRIORITY if scores.get(emotion, 0) == top)


def line_emotion(text: str, parenthetical: str | None, language: str = "en") -> Emotion:
    """Parenthetical first ("(angrily)"), then emotional words and punctuation, then sentiment."""
    if parenthetical:
        paren = parenthetical.lower()
        found = _best({emotion: _matches(words, paren) for emotion, words in _PAREN_WORDS.items()})
        if found:
            return found
    lowered = text.lower()
    by_words = _best({emotion: _matches(words, lowered) for emotion, words in _TEXT_WORDS.items()})
    if by_words in ("angry", "surprised", "sad"):
        return by_words
    if "?!" in text or "!?" in text:
        return "surprised"
    sentiment = _compound(text) if language == "en" else 0.0
    if "!" in text or "！" in text:  # noqa: RUF001
        if sentiment <= -0.4:
            return "angry"
        return by_words if by_words in ("happy", "excited") else "excited"
    if by_words:
        return by_words
    if sentiment >= 0.6:
        return "happy"
    if sentiment <= -0.5:
        return "sad"
    return "neutral"


def scene_mood(emotions: list[Emotion], text: str, setting: str, language: str = "en") -> Emotion:
    """The scene's prevailing emotion; a quiet sacred or natural place reads as calm."""
    felt = Counter(emotion for emotion in emotions if emotion != "neutral")
    if felt:
        emotion, count = felt.most_common(1)[0]
        if count * 3 >= len(emotions):
            return emotion
    sentiment = _compound(text) if language == "en" else 0.0
    if sentiment >= 0.8:
        return "happy"
    if sentiment <= -0.8:
        return "sad"
    if setting in _CALM_SETTINGS:
        return "calm"
    return "neutral"


def _compound(text: str) -> float:
    """VADER compound sentiment in [-1, 1] for English text."""
    return float(sentiment_analyser().polarity_scores(text)["compound"])


@cache
def sentiment_analyser() -> Any:
    """The VADER analyser, built once on first use (reads its lexicon file)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
