"""The creator's own assets in a film spec, matched to the analysed script: photos, looks, backdrops, voices.

The spec names characters as the creator knows them (a name like "Priya" or a script id like
"priya"); the stages work with the plan's character ids and 0-based scene indexes.
"""

from __future__ import annotations

from schemas.film import FilmSpec, VoiceChoice
from schemas.media import Character, CharacterLook, ScriptPlan, StageFailure


def find_character(plan: ScriptPlan, name_or_id: str) -> Character | None:
    """The plan's character with this id, or whose name matches ignoring case and spacing."""
    wanted = " ".join(name_or_id.split()).casefold()
    for character in plan.characters:
        if character.id == name_or_id or " ".join(character.name.split()).casefold() == wanted:
            return character
    return None


def _unknown(field: str, name: str, plan: ScriptPlan) -> StageFailure:
    known = ", ".join(c.name for c in plan.characters if not c.is_narrator) or "none"
    return StageFailure(
        reason=f"{field} names {name!r}, who is not in the script (its characters: {known}); "
        "fix the name or remove the entry"
    )


def cast_choices(
    spec: FilmSpec, plan: ScriptPlan
) -> tuple[dict[str, CharacterLook], dict[str, str]] | StageFailure:
    """(looks, photos) keyed by plan character id, from `character_looks` and `character_images`."""
    looks: dict[str, CharacterLook] = {}
    photos: dict[str, str] = {}
    for name, look in spec.character_looks.items():
        character = find_character(plan, name)
        if character is None:
            return _unknown("character_looks", name, plan)
        looks[character.id] = look.model_copy(update={"character_id": character.id})
    for name, key in spec.character_images.items():
        character = find_character(plan, name)
        if character is None:
            return _unknown("character_images", name, plan)
        photos[character.id] = key
    return looks, photos


def scene_uploads(spec: FilmSpec, plan: ScriptPlan) -> dict[int, str] | StageFailure:
    """Scene index -> uploaded picture, from `backdrop_uploads` (numbered from 1, as scenes are shown)."""
    indexes = [scene.index for scene in plan.scenes]
    uploads: dict[int, str] = {}
    for number, key in spec.backdrop_uploads.items():
        if not 1 <= number <= len(indexes):
            return StageFailure(
                reason=f"backdrop_uploads has a picture for scene {number}, but the script has "
                f"{len(indexes)} scene(s); number scenes from 1 to {len(indexes)}"
            )
        uploads[indexes[number - 1]] = key
    return uploads


def voice_choices(spec: FilmSpec, plan: ScriptPlan) -> list[VoiceChoice]:
    """The spec's voice choices with character names turned into the plan's ids (unknown names kept)."""
    out: list[VoiceChoice] = []
    for choice in spec.voices:
        character = find_character(plan, choice.character_id)
        out.append(choice.model_copy(update={"character_id": character.id}) if character else choice)
    return out
