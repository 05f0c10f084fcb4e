"""Cast voices: pick a fitting, distinct preset for each character the creator did not voice."""

from __future__ import annotations

from collections.abc import Collection

from gpu_stages.voice.presets import (
    CHILD,
    SENIOR,
    VoicePreset,
    VoiceTransform,
    get_preset,
    list_presets,
)
from schemas.film import VoiceChoice
from schemas.media import AgeGroup, Character, Gender

_AGE_ORDER: dict[AgeGroup, int] = {"child": 0, "young_adult": 1, "adult": 2, "senior": 3}
_UK = {"uk", "gb", "british", "en-gb", "england", "scottish", "irish"}
_ESPEAK_VARIANTS: dict[Gender, list[str]] = {
    "female": ["f2", "f3", "f4", "f1"],
    "male": ["m1", "m3", "m2", "m4"],
}


def preset_language(language: str, accent: str | None = None) -> str:
    """The preset language for a BCP-47 tag and accent: en -> en-us or en-gb, pt -> pt-br, cmn -> zh."""
    parts = language.lower().replace("_", "-").split("-")
    base, region = parts[0], parts[1] if len(parts) > 1 else ""
    accent_key = (accent or "").lower()
    if base == "en":
        return "en-gb" if region in {"gb", "uk"} or accent_key in _UK else "en-us"
    if base == "pt":
        return "pt-br"
    if base in {"zh", "cmn"}:
        return "zh"
    return base


def _age_transform(age: AgeGroup, base: VoicePreset) -> VoiceTransform:
    if age == "child":
        return CHILD
    if age == "senior":
        return SENIOR
    return base.transform if base.age in ("adult", "young_adult") else VoiceTransform()


def derive(base: VoicePreset, age: AgeGroup) -> VoicePreset:
    """A preset for another age built on `base`'s voices (child/senior transforms)."""
    return base.model_copy(
        update={
            "id": f"{base.id}~{age}",
            "label": f"{base.label}, as {age.replace('_', ' ')}",
            "age": age,
            "transform": _age_transform(age, base),
        }
    )


def _variant(base: VoicePreset, k: int) -> VoicePreset:
    """A distinct take on `base`: pitch nudged up or down by 6 % steps."""
    step = 1 + 0.06 * ((k + 1) // 2) * (1 if k % 2 else -1)
    transform = base.transform.model_copy(update={"pitch_factor": base.transform.pitch_factor * step})
    return base.model_copy(
        update={"id": f"{base.id}~v{k}", "label": f"{base.label}, variant {k}", "transform": transform}
    )


def espeak_preset(language: str, age: AgeGroup, gender: Gender, n: int = 1) -> VoicePreset:
    """An espeak-ng preset for a language no named preset covers."""
    variants = _ESPEAK_VARIANTS[gender]
    transform = CHILD if age == "child" else SENIOR if age == "senior" else VoiceTransform()
    return VoicePreset(
        id=f"{language}-{age.replace('_', '-')}-{gender}-espeak{n}",
        label=f"{language} {age.replace('_', ' ')} {gender} (espeak-ng)",
        language=language,
        age=age,
        gender=gender,
        engine="espeak",
        voices={language: 1.0},
        espeak_variant=variants[(n - 1) % len(variants)],
        transform=transform,
    )


def choose_voice(
    character: Character,
    language: str,
    choice: VoiceChoice | None = None,
    taken: Collection[str] = (),
) -> VoicePreset:
    """The creator's preset if named; else the best untaken preset for the language, age and gender.

    Falls back to deriving an age from a same-gender voice, then to a pitch variant, so two characters
    share a voice only if the creator asked for it.
    """
    if choice is not None and choice.preset:
        return get_preset(choice.preset)
    lang = preset_language(
        (choice.language if choice and choice.language else language), choice.accent if choice else None
    )
    age: AgeGroup = (choice.age if choice and choice.age else None) or character.age
    gender: Gender = (choice.gender if choice and choice.gender else None) or character.gender
    pool = [p for p in list_presets() if p.language == lang]

    def rank(p: VoicePreset) -> tuple[int, int, str]:
        return (p.engine != "kokoro", abs(_AGE_ORDER[p.age] - _AGE_ORDER[age]), p.id)

    exact = sorted((p for p in pool if p.age == age and p.gender == gender), key=rank)
    for preset in exact:
        if preset.id not in taken:
            return preset
    # derive the age from a same-gender voice nobody uses yet (never from another child/senior preset)
    same_gender = sorted(
        (p for p in pool if p.gender == gender and p.age in ("adult", "young_adult") and p.id not in taken),
        key=rank,
    )
    for base in same_gender:
        candidate = derive(base, age) if base.age != age else base
        if candidate.id not in taken:
            return candidate
    n = 1
    while not exact and not pool:
        candidate = espeak_preset(lang, age, gender, n)
        if candidate.id not in taken or n > 4:
            exact = [candidate]
            break
        n += 1
    if not exact:
        fallback = sorted((p for p in pool if p.gender == gender), key=rank) or sorted(pool, key=rank)
        exact = [derive(fallback[0], age) if fallback[0].age != age else fallback[0]]
    base = exact[0]
    if base.id not in taken:
        return base
    k = 1
    while _variant(base, k).id in taken:
        k += 1
    return _variant(base, k)


SPREAD_PITCH = (1.0, 1.22, 0.84, 1.45)
"""Pitch factors for the 1st..4th voice sharing a gender and language: each pair at least ~19 % apart."""


def spread_voices(cast: dict[str, VoicePreset], fixed: Collection[str] = ()) -> dict[str, VoicePreset]:
    """Make voices that share a gender and language audibly distinct by moving their pitch apart.

    Speakers in `fixed` (the creator picked their preset) keep it as chosen.
    """
    seen: dict[tuple[str, str], int] = {}
    spread: dict[str, VoicePreset] = {}
    for speaker, preset in cast.items():
        group = (preset.gender, preset.language)
        k = seen.get(group, 0)
        seen[group] = k + 1
        if k == 0 or speaker in fixed:
            spread[speaker] = preset
            continue
        factor = SPREAD_PITCH[k % len(SPREAD_PITCH)]
        transform = preset.transform.model_copy(
            update={"pitch_factor": preset.transform.pitch_factor * factor}
        )
        spread[speaker] = preset.model_copy(
            update={
                "id": f"{preset.id}~host{k + 1}",
                "label": f"{preset.label}, host {k + 1}",
                "transform": transform,
            }
        )
    return spread
