"""A project may only reference its creator's own uploads and library characters (checked on the aggregates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from commands.bus import CommandBus
from commands.characters import LibraryCharacter, resolve, with_library
from commands.errors import Invalid, NotFound
from schemas.assets import asset_id
from schemas.film import FilmSpec

UPLOAD_FIELDS: dict[str, str] = {
    "character_images": "image",
    "backdrop_uploads": "image",
    "narration_upload": "narration",
    "music_upload": "music",
}
"""Spec field -> the kind of upload it takes."""
KIND_WORDS = {"image": "a picture", "narration": "a narration recording", "music": "a music track"}
ROUTE_FOR = {"image": "POST /api/uploads/image", "narration": "POST /api/uploads/narration",
             "music": "POST /api/uploads/music"}  # fmt: skip


def _keys(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [str(v) for v in value.values()]
    return [str(value)] if value else []


def check_references(bus: CommandBus, owner_id: UUID, fields: Mapping[str, Any]) -> None:
    """Refuse (404 / 422) any upload key or library character in `fields` that is not the owner's."""
    for field, kind in UPLOAD_FIELDS.items():
        for key in _keys(fields.get(field)):
            asset, _ = bus.state_of("asset", asset_id(owner_id, key))
            if not asset.exists:
                # The same answer whether the key is someone else's or nobody's.
                raise NotFound(
                    f"{field}: you have no upload {key!r}. Upload the file with {ROUTE_FOR[kind]} and use "
                    "the key it returns."
                )
            if asset.kind != kind:
                raise Invalid(
                    f"{field}: {key!r} is {KIND_WORDS[asset.kind]}, not {KIND_WORDS[kind]}; "
                    f"upload {KIND_WORDS[kind]} with {ROUTE_FOR[kind]}."
                )
    for reference in _keys(fields.get("library_characters")):
        resolve(reference, owner_id, lambda cid: library_character(bus, cid))


def library_character(bus: CommandBus, character_id: UUID) -> LibraryCharacter:
    """A saved character's current state, straight from its events (never behind the caller's last write)."""
    state, _ = bus.state_of("character", character_id)
    assert isinstance(state, LibraryCharacter)
    return state


def film_spec(bus: CommandBus, owner_id: UUID, spec: FilmSpec) -> FilmSpec:
    """The spec a film is made from: library characters filled in as looks, photos and voices."""
    return with_library(spec, owner_id, lambda cid: library_character(bus, cid))
