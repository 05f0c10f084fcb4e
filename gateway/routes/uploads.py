"""The creator's own pictures and narration: checked by decoding, stored, and recorded as theirs."""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel, Field

from commands.errors import Invalid
from gateway import reads
from gateway.deps import CallerCommands, CurrentUser, StudioDep, ViewsDep
from gateway.problems import TooLarge, problem_responses
from schemas.assets import AssetKind, RecordAsset

router = APIRouter(prefix="/api/uploads", tags=["uploads"])

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_NARRATION_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
"""Refuse decompression bombs: a small file that would expand to gigabytes of pixels."""
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
AUDIO_FORMATS = {"wav": ".wav", "mp3": ".mp3"}
MIN_NARRATION_SECONDS = 0.5
MY_UPLOADS = (
    "SELECT key, kind, filename, bytes, position FROM creator_assets WHERE owner_id = %s "
    "ORDER BY position DESC LIMIT 500"
)
NOT_AN_IMAGE = "that file is not an image: upload a JPG, PNG or WEBP up to 10 MB"
NOT_AUDIO = "that file is not a WAV or MP3 recording: upload a WAV or MP3 of the narration up to 50 MB"


class AssetOut(BaseModel):
    """A stored upload: put `key` in a project's field (character_images, backdrop_uploads, narration_upload)."""

    key: str
    kind: AssetKind
    filename: str
    bytes: int
    width: int | None = None
    height: int | None = None
    seconds: float | None = Field(None, description="length of a recording")
    position: int = Field(0, description="send as X-Min-Position to see it in GET /api/uploads")


def check_image(data: bytes) -> tuple[str, int, int]:
    """(suffix, width, height) of a JPG/PNG/WEBP that decodes completely; `Invalid` otherwise."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in IMAGE_FORMATS:
                raise Invalid(
                    f"{probe.format} pictures are not accepted: upload a JPG, PNG or WEBP up to 10 MB"
                )
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise Invalid(
                    f"the picture is {probe.width}x{probe.height} pixels: upload one under 60 megapixels"
                )
            probe.verify()  # truncated and corrupt files fail here, before a full decode
            image = Image.open(io.BytesIO(data))
            image.load()
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(NOT_AN_IMAGE) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise Invalid(
            f"the picture looks damaged ({error}): re-export it as JPG or PNG and upload it again"
        ) from None
    return IMAGE_FORMATS[str(probe.format)], image.width, image.height


def check_narration(data: bytes) -> tuple[str, float]:
    """(suffix, seconds) of a WAV or MP3 with an audio stream, as ffprobe reads it; `Invalid` otherwise."""
    with tempfile.NamedTemporaryFile(suffix=".upload") as file:
        file.write(data)
        file.flush()
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_type",
             "-of", "json", file.name],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    if probe.returncode != 0:
        raise Invalid(NOT_AUDIO)
    found: dict[str, Any] = json.loads(probe.stdout or "{}")
    formats = str(found.get("format", {}).get("format_name", "")).split(",")
    suffix = next((AUDIO_FORMATS[f] for f in formats if f in AUDIO_FORMATS), None)
    streams = [s for s in found.get("streams", []) if s.get("codec_type") == "audio"]
    if suffix is None or not streams:
        raise Invalid(NOT_AUDIO)
    seconds = float(found.get("format", {}).get("duration") or 0.0)
    if seconds < MIN_NARRATION_SECONDS:
        raise Invalid(
            f"the recording is {seconds:.2f} s long: upload at least {MIN_NARRATION_SECONDS} s of speech"
        )
    return suffix, round(seconds, 3)


async def _read(file: UploadFile, limit: int, what: str) -> tuple[bytes, str]:
    data = await file.read(limit + 1)
    name = Path(file.filename or what).name
    if len(data) > limit:
        raise TooLarge(f"'{name}' is over {limit // (1024 * 1024)} MB: upload {what} of at most that size")
    if not data:
        raise Invalid(f"'{name}' is empty: upload {what}")
    return data, name


def _store(
    studio: Any, commands: Any, caller: Any, data: bytes, suffix: str, kind: AssetKind, name: str
) -> tuple[str, int]:
    """Store the bytes and record them as the caller's: (artifact key, log position of the record)."""
    key = str(studio.artifacts.put_bytes(data, suffix))
    outcome = commands.send(
        RecordAsset(owner_id=caller.id, key=key, kind=kind, filename=name, bytes=len(data)),
        scope=f"{caller.id}:RecordAsset:{key}",
    )
    return key, int(outcome.position)


@router.post(
    "/image",
    summary="Upload a picture (character photo or backdrop)",
    responses=problem_responses(401, 413, 422),
)
async def upload_image(
    caller: CurrentUser, studio: StudioDep, commands: CallerCommands, file: Annotated[UploadFile, File()]
) -> AssetOut:
    """A JPG, PNG or WEBP up to 10 MB, checked by decoding it; use the key in `character_images` or `backdrop_uploads`."""
    data, name = await _read(file, MAX_IMAGE_BYTES, "a JPG, PNG or WEBP picture")
    suffix, width, height = await anyio.to_thread.run_sync(check_image, data)
    key, position = await anyio.to_thread.run_sync(
        _store, studio, commands, caller, data, suffix, "image", name
    )
    return AssetOut(
        key=key, kind="image", filename=name, bytes=len(data), width=width, height=height, position=position
    )


@router.post(
    "/narration", summary="Upload your narration (WAV or MP3)", responses=problem_responses(401, 413, 422)
)
async def upload_narration(
    caller: CurrentUser, studio: StudioDep, commands: CallerCommands, file: Annotated[UploadFile, File()]
) -> AssetOut:
    """A WAV or MP3 up to 50 MB of you reading the script; put the key in a project's `narration_upload`."""
    data, name = await _read(file, MAX_NARRATION_BYTES, "a WAV or MP3 recording")
    suffix, seconds = await anyio.to_thread.run_sync(check_narration, data)
    key, position = await anyio.to_thread.run_sync(
        _store, studio, commands, caller, data, suffix, "narration", name
    )
    return AssetOut(
        key=key, kind="narration", filename=name, bytes=len(data), seconds=seconds, position=position
    )


@router.get("", summary="My uploads", responses=problem_responses(401, 504))
async def list_uploads(caller: CurrentUser, views: ViewsDep) -> list[AssetOut]:
    """The caller's uploaded pictures, recordings and tracks, newest first."""
    rows = await reads.run(views, views.query, MY_UPLOADS, (str(caller.id),))
    return [AssetOut.model_validate(row) for row in rows]
