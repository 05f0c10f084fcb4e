"""Age and gender hints for a character from titles, names, pronouns and ages in the text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from schemas.media import AgeGroup, Gender


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (easier to read and extend)."""
    return frozenset(text.split())


_FEMALE_TITLES = _wordset(
    """mrs ms miss madam madame lady aunt auntie aunty grandma granny grandmother dadi nani
        amma maa mother mom mum mommy mummy queen princess sister didi behen mausi bua chachi
        girl woman daughter wife bibi begum umm ammi mata devi rani sita nun"""
)
_MALE_TITLES = _wordset(
    """mr sir lord king prince uncle grandpa grandfather dada dadaji nana nanaji father dad
        daddy papa brother bhaiya chacha man boy son husband baba abu abba sheikh monk priest
        pandit pujari guru swami rishi sage raja bhai"""
)
_SENIOR_WORDS = _wordset(
    """grandma granny grandmother grandpa grandfather dadi nani dada dadaji nana nanaji elder
        elderly old aged sage rishi"""
)
_CHILD_WORDS = frozenset(
    ["boy", "girl", "kid", "child", "baby", "little", "toddler", "schoolgirl", "schoolboy"]
)
_YOUNG_WORDS = frozenset(["teen", "teenager", "teenage", "student", "youth", "young"])
_FEMALE_NAMES = _wordset(
    """priya meera anjali sita radha kavya ananya sunita geeta pooja neha lakshmi durga parvati
        aisha fatima layla leila zainab mariam maryam noor nour amira yasmin salma rania sarah
        emma olivia mary anna jessica emily elizabeth jennifer lily sophia sofia maria lucia
        isabella chloe grace alice yuki yuna aiko hana mei ling sakura jisoo amara zawadi
        wanjiru ngozi chiamaka akosua ama imani nia thandiwe nomvula maya zara tara riya diya
        asha usha rekha nisha"""
)
_MALE_NAMES = _wordset(
    """ravi arjun rahul amit raj rohan sanjay rajesh suresh deepak vikram aarav vivaan ishaan
        aditya krishna rama ram shiva ganesh hanuman lakshman ahmed ahmad mohammed muhammad omar
        ali hassan hussein yusuf youssef khalid karim tariq john james david michael tom jack
        harry william mike peter paul mark daniel carlos luca marco pierre hans hiroshi kenji
        takeshi haruto wei jin chen minho hyun kwame kofi kojo chinedu emeka tunde sipho mandla
        baraka jabari leo sam ben max"""
)
_HE = re.compile(r"\b(he|him|his|himself)\b", re.I)
_SHE = re.compile(r"\b(she|her|hers|herself)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?।])\s+")


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    return re.findall(r"[^\W\d_]+", "".join(ch for ch in folded if not unicodedata.combining(ch)))


def _age_from_years(years: int) -> AgeGroup:
    if years < 13:
        return "child"
    if years < 25:
        return "young_adult"
    if years < 60:
        return "adult"
    return "senior"


def character_hints(name: str, context: str) -> tuple[AgeGroup | None, Gender | None]:
    """(age, gender) suggested by the name itself and by sentences of `context` that mention it."""
    name_words = _words(name)
    age: AgeGroup | None = None
    gender: Gender | None = None
    if any(word in _SENIOR_WORDS for word in name_words):
        age = "senior"
    elif any(word in _CHILD_WORDS for word in name_words):
        age = "child"
    if any(word in _FEMALE_TITLES for word in name_words):
        gender = "female"
    elif any(word in _MALE_TITLES for word in name_words):
        gender = "male"
    elif name_words and name_words[0] in _FEMALE_NAMES:
        gender = "female"
    elif name_words and name_words[0] in _MALE_NAMES:
        gender = "male"

    mentions = _mentions(name, context)
    if age is None:
        age = _age_from_mentions(name, mentions)
    if gender is None and mentions:
        he = sum(len(_HE.findall(sentence)) for sentence in mentions)
        she = sum(len(_SHE.findall(sentence)) for sentence in mentions)
        mention_words = Counter(word for sentence in mentions for word in _words(sentence))
        she += sum(mention_words[word] for word in ("girl", "woman", "daughter", "mother", "wife"))
        he += sum(mention_words[word] for word in ("boy", "man", "son", "father", "husband"))
        if he != she:
            gender = "male" if he > she else "female"
    return age, gender


def _mentions(name: str, context: str) -> list[str]:
    """Sentences naming the character, each with the sentence after it (where pronouns follow)."""
    sentences = _SENTENCE.split(context)
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)
    found: list[str] = []
    for index, sentence in enumerate(sentences):
        if pattern.search(sentence):
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            # Only carry on into the next sentence when no one else is named there.
            found.append(
                sentence if re.search(r"\b[A-Z][a-z]+\b", following[1:]) else f"{sentence} {following}"
            )
    return found


def _age_from_mentions(name: str, mentions: list[str]) -> AgeGroup | None:
    escaped = re.escape(name)
    for sentence in mentions:
        numeric = re.search(rf"{escaped}\s*(?:\(|,\s*)(\d{{1,3}})\b", sentence, re.I) or re.search(
            rf"(\d{{1,3}})[- ]year[- ]old\s+(?:\w+\s+)?{escaped}", sentence, re.I
        )
        if numeric:
            return _age_from_years(int(numeric[1]))
    # Only words attached to the name count: "little Priya", "Ravi, an old fisherman".
    described: list[str] = []
    for sentence in mentions:
        for match in re.finditer(rf"(\w+)\s+{escaped}\b", sentence, re.I):
            described.append(match[1].lower())
        for match in re.finditer(
            rf"{escaped},?\s+(?:is\s+|was\s+)?(?:a|an|the|her|his)\s+((?:[\w-]+\s+){{0,2}}[\w-]+)",
            sentence,
            re.I,
        ):
            described.extend(_words(match[1]))
    if any(word in _SENIOR_WORDS or word in ("grandmother", "grandfather") for word in described):
        return "senior"
    if any(word in _CHILD_WORDS for word in described):
        return "child"
    if any(word in _YOUNG_WORDS for word in described):
        return "young_adult"
    return None
