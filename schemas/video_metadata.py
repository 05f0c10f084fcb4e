"""Video metadata a creator edits before publishing to YouTube, and the film spec's "publish when done"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Privacy = Literal["public", "unlisted", "private"]
PlaylistAuto = Literal["none", "theme", "date"]

TITLE_LIMIT = 100
DESCRIPTION_LIMIT = 5000
TAGS_LIMIT = 500
"""YouTube's limits: title 100 characters, description 5,000 bytes, all tags together 500 characters."""


def tags_length(tags: list[str]) -> int:
    """How YouTube counts tags: their characters, a comma between each, quotes around tags with spaces."""
    return sum(len(t) + (2 if " " in t else 0) for t in tags) + max(0, len(tags) - 1)


class VideoMetadata(BaseModel):
    """What YouTube shows for a video: suggested from the script analysis, edited by the creator."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=TITLE_LIMIT)
    description: str = Field("", max_length=DESCRIPTION_LIMIT)
    tags: list[str] = []
    category_id: str = Field(
        "1", pattern=r"^\d{1,3}$", description="YouTube video category; 1 = Film & Animation"
    )
    privacy: Privacy = "private"
    made_for_kids: bool = False
    publish_at: datetime | None = Field(
        None, description="scheduled publishing: the video stays private until then, then becomes public"
    )
    playlist_id: str | None = Field(None, description="add the video to this playlist of the channel")
    playlist_auto: PlaylistAuto = Field(
        "none",
        description="or fill a playlist automatically: one per theme (the film's setting) or per month",
    )
    thumbnail_index: int | None = Field(
        0, ge=0, description="which of the film's thumbnails; None: YouTube's own"
    )
    captions: list[str] | None = Field(
        None, description="languages of the caption tracks to upload; None: all"
    )

    @field_validator("title")
    @classmethod
    def _no_angle_brackets(cls, title: str) -> str:
        if "<" in title or ">" in title:
            raise ValueError("YouTube does not accept < or > in a title; remove them.")
        return title.strip()

    @field_validator("tags")
    @classmethod
    def _tags_fit(cls, tags: list[str]) -> list[str]:
        cleaned = [t.strip() for t in tags if t.strip()]
        if tags_length(cleaned) > TAGS_LIMIT:
            raise ValueError(
                f"The tags add up to {tags_length(cleaned)} characters; YouTube allows {TAGS_LIMIT}. "
                "Remove a few tags."
            )
        return cleaned

    @model_validator(mode="after")
    def _schedule_is_possible(self) -> VideoMetadata:
        # Whether publish_at lies in the future is checked when the upload is requested, not here:
        # events carrying this model are validated again on every replay.
        if self.publish_at is not None and self.privacy == "unlisted":
            raise ValueError(
                "YouTube schedules only public videos: choose privacy public (or private) with publish_at."
            )
        return self

    def scheduled_at(self) -> datetime | None:
        """publish_at in UTC (a time without a zone is taken as UTC)."""
        if self.publish_at is None:
            return None
        return self.publish_at if self.publish_at.tzinfo else self.publish_at.replace(tzinfo=UTC)


class PublishOptions(BaseModel):
    """`FilmSpec.publish`: upload to YouTube when the film is done; unset fields take the suggestion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = Field(None, max_length=TITLE_LIMIT)
    description: str | None = Field(None, max_length=DESCRIPTION_LIMIT)
    tags: list[str] | None = None
    category_id: str | None = Field(None, pattern=r"^\d{1,3}$")
    privacy: Privacy = "private"
    made_for_kids: bool = False
    publish_at: datetime | None = None
    playlist_id: str | None = None
    playlist_auto: PlaylistAuto = "none"
    thumbnail_index: int | None = 0
    captions: list[str] | None = None
