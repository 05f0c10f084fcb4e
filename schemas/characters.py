"""The character library: a creator's saved characters, every version kept; commands and events."""

from __future__ import annotations

from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.media import AgeGroup, CharacterLook, Gender


class Look(BaseModel):
    """How a drawn character looks (the drawable part of `schemas.media.CharacterLook`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    age: AgeGroup = "adult"
    gender: Gender = "female"
    skin_tone: str = Field("#c68642", description="#rrggbb")
    hair: str = Field("short", description="short, long, bun, braid, bald, hijab, turban...")
    hair_color: str = "#2b1d14"
    attire: str = Field(
        "shirt", description="shirt, sari, kurta, dhoti, kimono, thobe, abaya, suit, dress..."
    )
    attire_color: str = "#3366aa"


class CharacterDesign(BaseModel):
    """One version of a saved character: a name and a drawn look or an uploaded photo, plus a voice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    look: Look = Field(default_factory=Look)
    photo: str | None = Field(
        None,
        description="artifact key of the creator's photo (POST /api/uploads/image); used instead of the look",
    )
    voice: str | None = Field(None, description="voice preset id (GET /api/catalog/voices)")

    def character_look(self, character_id: str, version: int) -> CharacterLook:
        """The look as the cast stage takes it."""
        return CharacterLook(
            character_id=character_id, version=version, uploaded_image=self.photo, **self.look.model_dump()
        )


# --- commands ------------------------------------------------------------------------------------


class SaveCharacter(Command):
    aggregate = "character"
    character_id: UUID = Field(default_factory=uuid4)
    owner_id: UUID
    design: CharacterDesign


class AddCharacterVersion(Command):
    aggregate = "character"
    character_id: UUID
    owner_id: UUID
    design: CharacterDesign


class DeleteCharacter(Command):
    aggregate = "character"
    character_id: UUID
    owner_id: UUID


# --- events --------------------------------------------------------------------------------------


class CharacterSaved(DomainEvent):
    """A creator saved a new character to their library (its version 1)."""

    type = "CharacterSaved"
    aggregate = "character"
    owner_id: str
    design: CharacterDesign


class CharacterVersionAdded(DomainEvent):
    """A new version of a saved character; earlier versions stay usable."""

    type = "CharacterVersionAdded"
    aggregate = "character"
    owner_id: str
    version: int
    design: CharacterDesign


class CharacterDeleted(DomainEvent):
    type = "CharacterDeleted"
    aggregate = "character"
    owner_id: str
