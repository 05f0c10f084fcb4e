"""Where and when a scene happens: a procedural setting, interior or exterior, time of day."""

from __future__ import annotations

import re
from collections import Counter

from schemas.media import TimeOfDay

SETTINGS = (
    "temple", "riverbank", "home", "kitchen", "classroom", "office", "city_street", "market",
    "village", "forest", "beach", "desert", "mountains", "podcast_studio", "stage", "garden",
    "night_sky",
)  # fmt: skip
"""The backdrops the picture stage can draw; every scene gets exactly one."""

_SETTING_WORDS: dict[str, tuple[str, ...]] = {
    "temple": ("temple", "mandir", "shrine", "church", "mosque", "masjid", "gurdwara", "altar", "puja",
               "pooja", "aarti", "prayer hall", "monastery", "cathedral", "pagoda", "deity", "idol"),
    "riverbank": ("river", "riverbank", "ghat", "ghats", "ganga", "ganges", "stream", "lake", "pond",
                  "boat", "bank of the", "yamuna", "nile"),
    "home": ("home", "house", "living room", "bedroom", "apartment", "flat", "sofa", "couch",
             "verandah", "veranda", "courtyard", "hallway", "dining"),
    "kitchen": ("kitchen", "stove", "cooking", "cook", "pot", "pan", "chai", "recipe", "oven", "tea"),
    "classroom": ("classroom", "class", "school", "teacher", "students", "lesson", "blackboard",
                  "whiteboard", "lecture", "homework", "exam", "desk"),
    "office": ("office", "meeting", "boss", "desk", "laptop", "startup", "company", "team", "client",
               "customer", "product", "business", "conference", "presentation"),
    "city_street": ("street", "city", "traffic", "sidewalk", "downtown", "bus", "taxi",
                    "rickshaw", "crosswalk", "alley", "skyscraper"),
    "market": ("market", "bazaar", "souk", "shop", "stall", "vendor", "store", "mall", "haggling"),
    "village": ("village", "farm", "field", "fields", "hut", "cattle", "cow", "harvest",
                "countryside", "farmer"),
    "forest": ("forest", "woods", "jungle", "trees", "tree", "grove", "deer", "tiger"),
    "beach": ("beach", "sea", "ocean", "waves", "shore", "sand", "coast", "seaside"),
    "desert": ("desert", "dunes", "dune", "camel", "oasis", "sahara"),
    "mountains": ("mountain", "mountains", "peak", "summit", "himalaya", "himalayas", "hill", "hills",
                  "valley", "cliff", "snow"),
    "podcast_studio": ("podcast", "episode", "microphone", "studio", "listeners", "show", "host",
                       "guest", "interview"),
    "stage": ("stage", "theatre", "theater", "audience", "spotlight", "concert", "auditorium", "speech"),
    "garden": ("garden", "park", "flowers", "flower", "lawn", "bench", "tulsi", "roses", "backyard"),
    "night_sky": ("stars", "star", "moon", "sky", "galaxy", "planets", "universe", "cosmos",
                  "constellation", "moonlight"),
}  # fmt: skip
_SPECIFICITY = (
    "temple", "kitchen", "classroom", "podcast_studio", "market", "stage", "riverbank", "beach",
    "desert", "forest", "mountains", "village", "garden", "office", "home", "city_street", "night_sky",
)  # fmt: skip
"""Tie-break order: 'CITY MARKET' is a market, 'VILLAGE ROAD' a village."""
_EXTERIOR = frozenset(
    {"riverbank", "city_street", "market", "village", "forest", "beach", "desert", "mountains",
     "garden", "night_sky"}
)  # fmt: skip
_TIME_WORDS: dict[TimeOfDay, tuple[str, ...]] = {
    "dawn": ("dawn", "sunrise", "daybreak", "early morning", "first light", "morning"),
    "day": ("day", "noon", "afternoon", "midday", "daylight", "sunny"),
    "dusk": ("dusk", "sunset", "evening", "twilight", "sundown", "late afternoon"),
    "night": (
        "night",
        "midnight",
        "moon",
        "moonlight",
        "stars",
        "dark",
        "darkness",
        "lamp",
        "candle",
        "diya",
    ),
}
_INT = re.compile(r"^\s*(?:INT\.?/EXT|I/E)\b|^\s*INT\b", re.I)
_EXT = re.compile(r"^\s*EXT\b", re.I)
_HEADING_WEIGHT = 4
"""A word in the heading counts as much as this many words in the scene's text."""


def _count(words: tuple[str, ...], text: str) -> int:
    return sum(len(re.findall(rf"\b{re.escape(word)}\b", text)) for word in words)


def infer_setting(heading: str, body: str, default: str = "home") -> str:
    """The backdrop whose words the heading and text mention most (heading words weigh more)."""
    heading_l, body_l = heading.lower(), body.lower()
    scores: Counter[str] = Counter()
    for setting, words in _SETTING_WORDS.items():
        scores[setting] = _HEADING_WEIGHT * _count(words, heading_l) + _count(words, body_l)
    best, score = max(scores.items(), key=lambda item: (item[1], -_SPECIFICITY.index(item[0])))
    return best if score > 0 else default


def infer_interior(heading: str, body: str, setting: str) -> bool:
    """INT./EXT. in the heading decides; otherwise 'outside'/'inside' wording, else the setting's nature."""
    if _INT.match(heading):
        return True
    if _EXT.match(heading):
        return False
    text = f"{heading} {body}".lower()
    outside = _count(("outside", "outdoors", "open air", "under the sky"), text)
    inside = _count(("inside", "indoors", "room"), text)
    if outside != inside:
        return inside > outside
    return setting not in _EXTERIOR


def infer_time_of_day(heading: str, body: str, setting: str, previous: TimeOfDay = "day") -> TimeOfDay:
    """Time words in the heading decide; else words in the text; else the previous scene's time."""
    if setting == "night_sky":
        return "night"
    for text in (heading.lower(), body.lower()):
        scores = sorted(((_count(words, text), time) for time, words in _TIME_WORDS.items()), reverse=True)
        (top, best), (runner_up, _) = scores[0], scores[1]
        if top > runner_up:
            return best
    return previous
