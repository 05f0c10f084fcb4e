"""Default looks: a fitting, deterministic appearance from a character's age, gender and culture."""

from __future__ import annotations

import random
from collections.abc import Sequence

from schemas.media import Character, CharacterLook, Culture

SKIN_TONES: dict[str, list[str]] = {
    "indian": ["#8d5a3b", "#a86b4c", "#c68642", "#9c6644", "#b07850", "#7a4a30"],
    "western": ["#f3d2b3", "#f1c9a5", "#e8b98f", "#e0ac85", "#c99a72", "#8d5a3b"],
    "middle_eastern": ["#d9a77f", "#c99a72", "#c08a5e", "#e0b089", "#b07850"],
    "east_asian": ["#f1c9a5", "#f3d2b3", "#e8c09a", "#e0b089", "#d9a77f"],
    "african": ["#5a3825", "#6b4226", "#7a4a30", "#4a2c1d", "#8d5a3b"],
}
HAIR_COLOURS: dict[str, list[str]] = {
    "western": ["#2b1d14", "#5a3a22", "#b5652b", "#d9b26f", "#111111", "#8a5a2b"],
    "default": ["#111111", "#1a1a1a", "#2b1d14", "#3a2418"],
}
GREYS = ["#d8d8d8", "#bdbdbd", "#eeeeee", "#a8a8a8"]
VIVID = [
    "#c2185b",
    "#2e7d32",
    "#1565c0",
    "#e0a030",
    "#6a1b9a",
    "#d35400",
    "#00897b",
    "#ad1457",
    "#3949ab",
    "#8e2430",
    "#f06292",
    "#4a90c8",
]
MODERN_MALE = ["#4a90c8", "#2d3440", "#7a8b99", "#3b6e4f", "#8e2430", "#5d4037", "#1f4e79", "#e2e2e2"]
MODERN_FEMALE = ["#2e9e6b", "#c2185b", "#5e7ce2", "#e0a030", "#8e44ad", "#d35400", "#00897b", "#f06292"]
ABAYA = ["#1d1d24", "#2b2030", "#1f2a36", "#3a2f2a"]
THOBE = ["#fafafa", "#f3efe6", "#e8e4da"]

# Men keep their hair short or bald; women's styles vary.
MALE_HAIR = ["short", "short", "curly", "bald"]
FEMALE_HAIR = ["long", "bun", "braid", "short", "curly"]


def _attire(character: Character, culture: Culture, traditional: bool, rng: random.Random) -> str:
    age, male = character.age, character.gender == "male"
    child = age == "child"
    if culture == "indian":
        if child:
            return rng.choice(["school_uniform", "kurta", "tshirt"] if male else ["school_uniform", "dress"])
        if male:
            if age == "senior":
                return rng.choice(["dhoti", "kurta"])
            return rng.choice(
                ["kurta", "kurta", "turban", "shirt"] if age == "adult" else ["shirt", "kurta", "tshirt"]
            )
        return "sari" if age in ("adult", "senior") else rng.choice(["sari", "kurta"])
    if culture == "middle_eastern":
        if male:
            return "thobe" if not child or traditional else rng.choice(["thobe", "tshirt"])
        if child:
            return rng.choice(["dress", "hijab"])
        return rng.choice(["abaya", "abaya", "hijab"])
    if culture == "east_asian":
        if traditional:
            return "kimono"
        if child:
            return "school_uniform"
        if male:
            return rng.choice(["suit", "shirt", "tshirt"])
        return rng.choice(["dress", "shirt", "suit"])
    if child:
        return rng.choice(["tshirt", "school_uniform"] if male else ["dress", "tshirt", "school_uniform"])
    if male:
        return rng.choice(["suit", "shirt", "shirt", "tshirt"] if age != "senior" else ["suit", "shirt"])
    return rng.choice(["dress", "shirt", "suit", "tshirt"] if age != "senior" else ["dress", "shirt"])


def _attire_colour(attire: str, male: bool, rng: random.Random) -> str:
    if attire == "abaya":
        return rng.choice(ABAYA)
    if attire == "thobe":
        return rng.choice(THOBE)
    if attire in ("sari", "kurta", "turban", "kimono", "hijab", "dhoti"):
        return rng.choice(VIVID)
    return rng.choice(MODERN_MALE if male else MODERN_FEMALE)


def look_for(
    character: Character, culture: Culture, seed: int = 0, *, traditional: bool = False
) -> CharacterLook:
    """A default look that fits the character and the scene culture; the same inputs give the same look."""
    rng = random.Random(f"{character.id}|{culture}|{seed}")
    male = character.gender == "male"
    attire = _attire(character, culture, traditional, rng)
    hair = rng.choice(MALE_HAIR if male else FEMALE_HAIR)
    if character.age == "child" and hair == "bald":
        hair = "short"
    if character.age != "senior" and hair == "bald":
        hair = "short" if rng.random() < 0.6 else "bald"
    palette = HAIR_COLOURS.get(culture, HAIR_COLOURS["default"])
    hair_colour = rng.choice(GREYS) if character.age == "senior" else rng.choice(palette)
    if culture == "african" and hair == "long":
        hair = "braid"
    return CharacterLook(
        character_id=character.id,
        age=character.age,
        gender=character.gender,
        skin_tone=rng.choice(SKIN_TONES[culture]),
        hair=hair,
        hair_color=hair_colour,
        attire=attire,
        attire_color=_attire_colour(attire, male, rng),
        uploaded_image=None,
    )


def _signature(look: CharacterLook) -> tuple[str, str, str]:
    return (look.hair, look.attire, look.attire_color)


def distinct_looks(
    characters: Sequence[Character],
    cultures: dict[str, Culture],
    traditional: dict[str, bool] | None = None,
    seed: int = 0,
) -> dict[str, CharacterLook]:
    """Default looks for a cast, re-drawing any look that repeats another's hair, attire and colour."""
    traditional = traditional or {}
    taken: set[tuple[str, str]] = set()
    looks: dict[str, CharacterLook] = {}
    for character in characters:
        culture = cultures.get(character.id, "western")
        look = look_for(character, culture, seed, traditional=traditional.get(character.id, False))
        for attempt in range(1, 12):
            if (look.attire, look.attire_color) not in taken and _signature(look) not in {
                _signature(other) for other in looks.values()
            }:
                break
            look = look_for(
                character, culture, seed + attempt * 7919, traditional=traditional.get(character.id, False)
            )
        taken.add((look.attire, look.attire_color))
        looks[character.id] = look
    return looks
