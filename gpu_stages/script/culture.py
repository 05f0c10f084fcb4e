"""Which cultural world a scene belongs to, from names, places, words and writing system."""

from __future__ import annotations

import re
from collections import Counter

from schemas.media import Culture


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (easier to read and extend)."""
    return frozenset(text.split())


_CULTURE_WORDS: dict[Culture, frozenset[str]] = {
    "indian": _wordset(
        """india indian delhi mumbai bombay kolkata chennai bengaluru bangalore varanasi kashi
            jaipur kerala goa punjab rajasthan ganga ganges yamuna himalaya himalayas diwali
            holi navratri namaste namaskar ji beta beti dadi dada nani nanaji dadaji amma maa
            bhaiya didi chacha chachi mausi bua chai roti chapati dal paneer samosa biryani dosa
            idli laddoo ladoo sari saree kurta dhoti lehenga bindi rangoli diya mandir puja
            pooja aarti tulsi ghat ghats krishna rama sita radha shiva ganesha ganesh hanuman
            lakshmi durga vishnu gita bhagavad om sloka shloka mantra sanskrit hindi rupee
            rupees rickshaw priya ravi arjun rahul amit anjali meera kavya ananya aarav vivaan
            rohan sanjay sunita geeta rajesh suresh lakshman deepak pooja neha ishaan aditya"""
    ),
    "middle_eastern": _wordset(
        """arab arabic cairo dubai riyadh baghdad beirut damascus amman doha muscat tehran
            istanbul jerusalem mecca makkah medina egypt jordan lebanon syria iraq oman qatar
            saudi emirates yemen mosque masjid minaret souk bazaar habibi habibti inshallah
            mashallah alhamdulillah salaam salam assalamu ramadan iftar eid hijab abaya thobe
            keffiyeh falafel hummus shawarma baklava oasis ahmed ahmad mohammed muhammad omar
            hassan hussein yusuf youssef khalid fatima aisha layla leila zainab mariam maryam
            noor nour amira yasmin salma rania karim tariq abu umm sheikh"""
    ),
    "east_asian": _wordset(
        """japan japanese china chinese korea korean tokyo kyoto osaka beijing shanghai hong
            kong taipei seoul busan sensei sama kimono hanbok qipao sushi ramen dumplings
            noodles matcha sakura shrine torii pagoda dojo samurai ninja chopsticks hiroshi
            kenji takeshi haruto sakura yuki yuna aiko hana mei ling wei jin chen wang zhang liu
            jun minho jisoo hyun"""
    ),
    "african": _wordset(
        """africa african lagos abuja nairobi accra kampala kigali addis ababa dakar
            johannesburg soweto cape town kinshasa nigeria kenya ghana uganda rwanda ethiopia
            senegal tanzania zambia savanna savannah baobab serengeti kilimanjaro sahel jollof
            ugali injera fufu kente dashiki kwame kofi kojo ama akosua chinedu chiamaka ngozi
            emeka oluwaseun tunde amara zawadi wanjiru baraka jabari imani nia ayodele thandiwe
            sipho mandla nomvula"""
    ),
    "western": _wordset(
        """london paris new york boston chicago texas california berlin rome madrid dublin
            sydney toronto christmas thanksgiving halloween pub diner sheriff john james david
            michael tom emma olivia sarah jessica emily jack harry william mary elizabeth mike
            jennifer"""
    ),
}
_LANGUAGE_CULTURE: dict[str, Culture] = {
    "hi": "indian", "bn": "indian", "ar": "middle_eastern", "fa": "middle_eastern",
    "ur": "indian", "ja": "east_asian", "zh": "east_asian", "ko": "east_asian",
}  # fmt: skip
_SCRIPT_CULTURE: tuple[tuple[int, int, Culture], ...] = (
    (0x0900, 0x097F, "indian"),
    (0x0980, 0x09FF, "indian"),
    (0x0600, 0x06FF, "middle_eastern"),
    (0x3040, 0x30FF, "east_asian"),
    (0x4E00, 0x9FFF, "east_asian"),
    (0xAC00, 0xD7AF, "east_asian"),
)
_WORD = re.compile(r"[^\W\d_]+")


def culture_scores(text: str) -> Counter[Culture]:
    """Evidence for each culture: matching words, plus non-Latin letters (a word's worth per 20)."""
    scores: Counter[Culture] = Counter()
    for word in _WORD.findall(text.lower()):
        for culture, words in _CULTURE_WORDS.items():
            if word in words:
                scores[culture] += 1
    letters: Counter[Culture] = Counter()
    for ch in text:
        code = ord(ch)
        for lo, hi, culture in _SCRIPT_CULTURE:
            if lo <= code <= hi:
                letters[culture] += 1
                break
    for culture, count in letters.items():
        scores[culture] += count // 20
    return scores


def infer_culture(scene_text: str, script_scores: Counter[Culture], language: str) -> Culture:
    """The scene's own evidence first, then the whole script's, then the language; else western."""
    scene = culture_scores(scene_text)
    for scores in (scene, script_scores):
        if scores:
            ranked = scores.most_common(2)
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                return ranked[0][0]
    return _LANGUAGE_CULTURE.get(language, "western")
