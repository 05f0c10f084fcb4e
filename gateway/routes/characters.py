"""The character library: saved characters (a look or a photo, and a voice), every version kept."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
from fastapi import APIRouter, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from commands.characters import NO_CHARACTER, owned
from commands.errors import Invalid, NotFound
from gateway import reads
from gateway.deps import CallerCommands, CurrentUser, LinkOrBearerUser, LinksDep, StudioDep, ViewsDep
from gateway.ownership import check_references, library_character
from gateway.problems import problem_responses
from schemas.characters import AddCharacterVersion, CharacterDesign, DeleteCharacter, SaveCharacter

router = APIRouter(prefix="/api/characters", tags=["characters"])

PREVIEW_HEIGHT = 400
MINE = (
    "SELECT id, name, latest_version, created_at, updated_at FROM library_characters "
    "WHERE owner_id = %s AND deleted = 0 ORDER BY name, id"
)
ONE = (
    "SELECT id, name, latest_version, created_at, updated_at FROM library_characters "
    "WHERE id = %s AND owner_id = %s AND deleted = 0"
)
VERSIONS = "SELECT version, design, created_at FROM library_character_versions WHERE character_id = %s ORDER BY version"


class CharacterAccepted(BaseModel):
    """A saved character or version; read it back with X-Min-Position: `position`."""

    id: UUID
    version: int
    reference: str = Field(description="put in a project's library_characters, e.g. {'Priya': reference}")
    position: int
    duplicate: bool = False


class CharacterSummary(BaseModel):
    id: UUID
    name: str
    latest_version: int
    reference: str = Field(description="'id@version' of the latest version")
    preview_url: str
    created_at: datetime
    updated_at: datetime


class CharacterVersionOut(BaseModel):
    version: int
    reference: str
    design: CharacterDesign
    preview_url: str
    created_at: datetime


class CharacterOut(CharacterSummary):
    versions: list[CharacterVersionOut]


def _preview_url(links: Any, character_id: str, version: int) -> str:
    return f"{links(f'/api/characters/{character_id}/preview.png')}&version={version}"


def _summary(row: dict[str, Any], links: Any) -> dict[str, Any]:
    version = int(row["latest_version"])
    return {
        **row,
        "reference": f"{row['id']}@{version}",
        "preview_url": _preview_url(links, row["id"], version),
    }


def _check_design(studio: Any, owner_id: UUID, design: CharacterDesign) -> None:
    """Refuse a design the studio could not use: someone else's photo, an unknown voice, an undrawable look."""
    from gpu_stages.cast.colors import InvalidColour
    from gpu_stages.cast.draw import UnknownAttire, draw_character
    from gpu_stages.voice.presets import UnknownPreset, get_preset

    if design.photo:
        check_references(studio.bus, owner_id, {"character_images": {design.name: design.photo}})
    if design.voice:
        try:
            get_preset(design.voice)
        except UnknownPreset as unknown:
            raise Invalid(f"voice: {unknown}. Pick a preset from GET /api/catalog/voices.") from None
    try:
        draw_character(design.character_look("check", 1), 120, 1)
    except (UnknownAttire, InvalidColour, KeyError, ValueError) as error:
        raise Invalid(f"look: {error}") from None


@router.get("", summary="My saved characters", responses=problem_responses(401, 504))
async def list_characters(caller: CurrentUser, views: ViewsDep, links: LinksDep) -> list[CharacterSummary]:
    """The caller's library, by name; each with the reference of its latest version and a preview."""
    rows = await reads.run(views, views.query, MINE, (str(caller.id),))
    return [CharacterSummary.model_validate(_summary(row, links)) for row in rows]


@router.post("", status_code=status.HTTP_202_ACCEPTED, summary="Save a character",
             responses=problem_responses(401, 404, 422))  # fmt: skip
def save_character(
    body: CharacterDesign, caller: CurrentUser, commands: CallerCommands, studio: StudioDep
) -> CharacterAccepted:
    """Saves a name with a drawn look (age, gender, skin tone, hair, attire) or an uploaded photo, and a voice."""
    _check_design(studio, caller.id, body)
    outcome = commands.send(SaveCharacter(owner_id=caller.id, design=body))
    return CharacterAccepted(
        id=outcome.aggregate_id,
        version=1,
        reference=f"{outcome.aggregate_id}@1",
        position=outcome.position,
        duplicate=outcome.duplicate,
    )


@router.get(
    "/{character_id}",
    summary="A saved character with its versions",
    responses=problem_responses(401, 404, 504),
)
async def get_character(
    character_id: UUID, caller: CurrentUser, views: ViewsDep, links: LinksDep
) -> CharacterOut:
    """One of the caller's characters and every version of it, oldest first."""
    row = await reads.run(views, reads.one, views, ONE, (str(character_id), str(caller.id)))
    if row is None:
        raise NotFound(NO_CHARACTER)
    versions = await reads.run(views, views.query, VERSIONS, (str(character_id),))
    return CharacterOut.model_validate(
        {
            **_summary(row, links),
            "versions": [
                {
                    "version": v["version"],
                    "reference": f"{character_id}@{v['version']}",
                    "design": json.loads(v["design"]),
                    "preview_url": _preview_url(links, str(character_id), int(v["version"])),
                    "created_at": v["created_at"],
                }
                for v in versions
            ],
        }
    )


@router.post("/{character_id}/versions", status_code=status.HTTP_202_ACCEPTED, summary="Save a new version",
             responses=problem_responses(401, 404, 422))  # fmt: skip
def add_version(
    character_id: UUID,
    body: CharacterDesign,
    caller: CurrentUser,
    commands: CallerCommands,
    studio: StudioDep,
) -> CharacterAccepted:
    """Adds a version; earlier versions stay, and projects that name them keep them (an unchanged design adds none)."""
    owned(library_character(studio.bus, character_id), caller.id)
    _check_design(studio, caller.id, body)
    outcome = commands.send(AddCharacterVersion(character_id=character_id, owner_id=caller.id, design=body))
    version = len(library_character(studio.bus, character_id).versions)
    return CharacterAccepted(
        id=character_id,
        version=version,
        reference=f"{character_id}@{version}",
        position=outcome.position,
        duplicate=outcome.duplicate,
    )


@router.delete("/{character_id}", status_code=status.HTTP_202_ACCEPTED, summary="Delete a saved character",
               responses=problem_responses(401, 404))  # fmt: skip
def delete_character(character_id: UUID, caller: CurrentUser, commands: CallerCommands) -> CharacterAccepted:
    """Removes it from the library; films already made keep their pictures."""
    outcome = commands.send(DeleteCharacter(character_id=character_id, owner_id=caller.id))
    return CharacterAccepted(
        id=character_id,
        version=0,
        reference="",
        position=outcome.position,
        duplicate=outcome.duplicate,
    )


def _preview(studio: Any, character_id: UUID, version: int, design: CharacterDesign) -> bytes:
    from gpu_stages.cast.preview import preview_png

    # Versions never change, so each preview is drawn once.
    cache = studio.settings.data_dir / "cache" / "character-previews" / f"{character_id}-{version}.png"
    if cache.exists():
        return bytes(cache.read_bytes())
    photo = studio.artifacts.path(design.photo).read_bytes() if design.photo else None
    png = preview_png(design.character_look(str(character_id), version), photo, PREVIEW_HEIGHT)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial")
    partial.write_bytes(png)
    partial.replace(cache)
    return png


@router.get("/{character_id}/preview.png", summary="A character's preview picture", response_class=Response,
            responses={200: {"content": {"image/png": {}}}, **problem_responses(401, 404, 422)})  # fmt: skip
async def preview(
    character_id: UUID,
    caller: LinkOrBearerUser,
    studio: StudioDep,
    version: Annotated[int | None, Query(ge=1, description="default: the latest")] = None,
) -> Response:
    """The character drawn by the cast code (or cut from its photo) as the film will show it."""
    from gpu_stages.cast.errors import CastRejected, FaceDetectorUnavailable

    state = owned(library_character(studio.bus, character_id), caller.id)
    number = version or len(state.versions)
    if number > len(state.versions):
        raise NotFound(
            f"This character has {len(state.versions)} version(s); ask for one of 1-{len(state.versions)}."
        )
    design = state.versions[number - 1]
    try:
        png = await anyio.to_thread.run_sync(_preview, studio, character_id, number, design)
    except (CastRejected, FaceDetectorUnavailable) as error:
        raise Invalid(f"the photo cannot be used: {error}") from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})
