"""What a creator asks for: the film specification carried by `FilmRequested`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.media import (
    AgeGroup,
    AspectRatio,
    CharacterLook,
    Culture,
    Emotion,
    Gender,
    MusicStyle,
    Resolution,
)
from schemas.video_metadata import PublishOptions

ScriptFormat = Literal["text", "markdown", "fountain", "docx", "pdf"]


class VoiceChoice(BaseModel):
    """The voice a creator picked for one character (or the narrator)."""

    character_id: str
    preset: str | None = Field(None, description="named preset, e.g. 'en-us-adult-female-1'")
    age: AgeGroup | None = None
    gender: Gender | None = None
    language: str | None = None
    accent: str | None = None
    emotion: Emotion | None = None
    speed: float = Field(1.0, ge=0.75, le=1.5)


class SubtitleStyle(BaseModel):
    burn_in: bool = True
    font: str | None = None
    size: int = Field(0, ge=0, le=200, description="0 = automatic for the frame height")
    colour: str = "#FFFFFF"
    position: Literal["bottom", "top", "middle"] = "bottom"
    box: bool = True
    align: Literal["centre", "start"] = Field("centre", description="start: right-aligned for Arabic/Hebrew")
    translate_to: list[str] = []


class FilmSpec(BaseModel):
    """Everything the pipeline needs to produce one film from one script."""

    title: str = "Untitled"
    script: str = Field(description="script text (uploads are converted to text at intake)")
    script_format: ScriptFormat = "text"
    language: str | None = Field(None, description="None: detect from the script")
    culture: Culture | None = Field(None, description="None: infer per scene")
    target_seconds: float | None = Field(None, ge=30, le=600)
    aspects: list[AspectRatio] = ["16:9"]
    resolution: Resolution = "1080p"
    fps: Literal[24, 30] = 24
    voices: list[VoiceChoice] = []
    music: MusicStyle = "orchestral"
    music_upload: str | None = Field(None, description="artifact key of the creator's track")
    subtitles: SubtitleStyle = SubtitleStyle()
    watermark: bool = False
    draft: bool = Field(False, description="fast 480p preview with quick voices")
    podcast: bool = Field(False, description="2-4 hosts in a podcast studio, with intro and outro music")
    podcast_layout: Literal["split", "alternating"] = Field(
        "split", description="podcast picture: a tile per host, or the speaking host full frame"
    )
    character_images: dict[str, str] = Field(
        default_factory=dict,
        description="character name or id -> artifact key of the creator's photo (POST /api/uploads/image)",
    )
    character_looks: dict[str, CharacterLook] = Field(
        default_factory=dict,
        description="character name or id -> the drawn look to use instead of the automatic one",
    )
    backdrop_uploads: dict[int, str] = Field(
        default_factory=dict,
        description="scene number (1 = the first scene) -> artifact key of an uploaded picture (POST /api/uploads/image)",
    )
    narration_upload: str | None = Field(
        None,
        description="artifact key of the creator's reading of the script (POST /api/uploads/narration), "
        "used in place of synthesised voices",
    )
    library_characters: dict[str, str] = Field(
        default_factory=dict,
        description="script character name or id -> saved character 'id@version' (GET /api/characters)",
    )
    publish: PublishOptions | None = Field(
        None, description="upload to the connected YouTube channel when the film is done (unset: don't)"
    )
