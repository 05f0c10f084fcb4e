"""Character aggregate: a creator's saved character and all its versions; and how films refer to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from uuid import UUID

from commands.errors import Invalid, NotFound
from schemas.characters import (
    AddCharacterVersion,
    CharacterDeleted,
    CharacterDesign,
    CharacterSaved,
    CharacterVersionAdded,
    DeleteCharacter,
    SaveCharacter,
)
from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.film import FilmSpec, VoiceChoice

NO_CHARACTER = "No such character in your library. List your characters with GET /api/characters."


@dataclass(frozen=True)
class LibraryCharacter:
    owner_id: str = ""
    versions: tuple[CharacterDesign, ...] = ()
    deleted: bool = False

    @property
    def exists(self) -> bool:
        return bool(self.versions) and not self.deleted


def evolve(state: LibraryCharacter, event: DomainEvent) -> LibraryCharacter:
    match event:
        case CharacterSaved():
            return LibraryCharacter(event.owner_id, (event.design,))
        case CharacterVersionAdded():
            return replace(state, versions=(*state.versions, event.design))
        case CharacterDeleted():
            return replace(state, deleted=True)
    return state


def aggregate_id(command: Command) -> UUID:
    assert isinstance(command, SaveCharacter | AddCharacterVersion | DeleteCharacter)
    return command.character_id


def owned(state: LibraryCharacter, owner_id: UUID | str) -> LibraryCharacter:
    """The character if it exists and is this creator's; the same 404 otherwise (never reveal others')."""
    if not state.exists or state.owner_id != str(owner_id):
        raise NotFound(NO_CHARACTER)
    return state


def decide(command: Command, state: LibraryCharacter) -> list[DomainEvent]:
    if isinstance(command, SaveCharacter):
        if state.versions:
            if state.owner_id == str(command.owner_id) and state.versions[0] == command.design:
                return []  # a retried save
            raise Invalid("That character id is taken; leave character_id out to get a new one.")
        return [CharacterSaved(owner_id=str(command.owner_id), design=command.design)]
    if isinstance(command, AddCharacterVersion):
        current = owned(state, command.owner_id)
        if current.versions[-1] == command.design:
            return []  # unchanged: no new version
        return [
            CharacterVersionAdded(
                owner_id=current.owner_id, version=len(current.versions) + 1, design=command.design
            )
        ]
    if isinstance(command, DeleteCharacter):
        owned(state, command.owner_id)
        return [CharacterDeleted(owner_id=str(command.owner_id))]
    raise TypeError(f"character cannot handle {type(command).__name__}")


def parse_reference(reference: str) -> tuple[UUID, int | None]:
    """'id@version' (or 'id' for the latest version) as (id, version)."""
    text, _, version = reference.strip().partition("@")
    try:
        character_id = UUID(text)
        number = int(version) if version else None
    except ValueError:
        raise Invalid(
            f"library_characters: {reference!r} is not 'character id@version'; "
            "copy the reference from GET /api/characters/{id}"
        ) from None
    if number is not None and number < 1:
        raise Invalid(f"library_characters: {reference!r} has no version {number}; versions start at 1")
    return character_id, number


def resolve(
    reference: str, owner_id: UUID | str, load: Callable[[UUID], LibraryCharacter]
) -> tuple[UUID, int, CharacterDesign]:
    """The saved design a reference names, if it is the owner's; 404 or 422 saying what to fix."""
    character_id, number = parse_reference(reference)
    state = owned(load(character_id), owner_id)
    version = number or len(state.versions)
    if version > len(state.versions):
        raise Invalid(
            f"library_characters: {state.versions[-1].name!r} has {len(state.versions)} version(s), "
            f"not {version}; pick one of 1-{len(state.versions)}"
        )
    return character_id, version, state.versions[version - 1]


def with_library(spec: FilmSpec, owner_id: UUID | str, load: Callable[[UUID], LibraryCharacter]) -> FilmSpec:
    """The spec with each library character's look (or photo) and voice filled in, for the film to use.

    What the creator set on the project directly (a photo, a look or a voice) wins over the library.
    """
    looks = dict(spec.character_looks)
    images = dict(spec.character_images)
    voices = list(spec.voices)
    voiced = {v.character_id for v in voices}
    for name, reference in spec.library_characters.items():
        character_id, version, design = resolve(reference, owner_id, load)
        if design.photo and name not in images:
            images[name] = design.photo
        elif not design.photo and name not in looks:
            looks[name] = design.character_look(str(character_id), version)
        if design.voice and name not in voiced:
            voices.append(VoiceChoice(character_id=name, preset=design.voice))
    return spec.model_copy(update={"character_looks": looks, "character_images": images, "voices": voices})
