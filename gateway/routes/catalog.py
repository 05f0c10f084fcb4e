"""What a creator picks from: starter scripts, voice presets and music styles with previews, and uploads."""

from __future__ import annotations

import functools
import hashlib
import threading
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import anyio.to_thread
from fastapi import APIRouter, File, Header, Query, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from commands.errors import Invalid, NotFound
from gateway.deps import CallerCommands, CurrentUser, StudioDep
from gateway.models import FieldError
from gateway.problems import problem_response, problem_responses
from schemas.assets import RecordAsset
from schemas.characters import Look
from schemas.media import CharacterLook, Culture, MusicStyle, ScriptPlan

router = APIRouter(prefix="/api", tags=["catalog"])

MAX_SCRIPT_BYTES = 5 * 1024 * 1024
MUSIC_LABELS = {
    "orchestral": "Orchestral",
    "piano": "Piano",
    "pop": "Pop",
    "ambient": "Ambient",
    "raga": "Raga (Indian)",
    "devotional": "Devotional",
    "recitation": "Recitation (drone)",
    "upload": "My own track (MP3/WAV)",
    "none": "No music",
}
PREVIEW_SECONDS = 8.0
LOOK_PREVIEW_HEIGHT = 300
_music_lock = threading.Lock()


class TemplateOut(BaseModel):
    name: str
    format: str
    script: str
    words: int


class VoiceOut(BaseModel):
    id: str
    label: str
    language: str
    age: str
    gender: str
    engine: str
    preview_url: str


class MusicOut(BaseModel):
    id: str
    label: str
    preview_url: str | None


class ScriptUploaded(BaseModel):
    filename: str
    text: str
    format: str
    words: int


class MusicUploaded(BaseModel):
    filename: str
    key: str
    bytes: int


@router.get("/catalog/templates", summary="Starter scripts", responses=problem_responses(500))
def templates() -> list[TemplateOut]:
    """The bundled templates (story, educational, marketing, podcast, devotional) with their text."""
    from gpu_stages.script.intake import count_words
    from gpu_stages.script.templates import list_templates, load_template

    out = []
    for name in list_templates():
        text, fmt = load_template(name)
        out.append(TemplateOut(name=name, format=fmt, script=text, words=count_words(text)))
    return out


@router.get("/catalog/voices", summary="Voice presets", responses=problem_responses(422))
def voices(
    language: Annotated[str | None, Query(description="e.g. en, hi, es, fr, ar")] = None,
) -> list[VoiceOut]:
    """Every voice preset a character can be given, each with a link to a short sample of it."""
    from gpu_stages.voice.presets import list_presets

    return [
        VoiceOut(
            id=p.id,
            label=p.label,
            language=p.language,
            age=p.age,
            gender=p.gender,
            engine=p.engine,
            preview_url=f"/api/catalog/voices/{p.id}/preview",
        )
        for p in list_presets(language)
    ]


@router.get(
    "/catalog/voices/{preset_id}/preview",
    summary="Hear a voice preset",
    response_class=Response,
    responses={200: {"content": {"audio/wav": {}}}, **problem_responses(404)},
)
async def voice_preview(
    preset_id: str, studio: StudioDep, quality: Literal["full", "draft"] = "full"
) -> Response:
    """A WAV of the preset saying one sentence in its language (made once, then cached)."""
    from gpu_stages.voice.presets import UnknownPreset, get_preset
    from gpu_stages.voice.previews import preview

    try:
        preset = get_preset(preset_id)
    except UnknownPreset as unknown:
        raise NotFound(str(unknown)) from None
    cache = studio.settings.data_dir / "cache" / "voice-previews"
    wav = await anyio.to_thread.run_sync(lambda: preview(preset, draft=quality == "draft", cache_dir=cache))
    return Response(wav, media_type="audio/wav", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/catalog/music", summary="Music styles", responses=problem_responses(500))
def music_styles() -> list[MusicOut]:
    """The styles the score can be composed in, each with a link to a short sample."""
    return [
        MusicOut(
            id=style,
            label=MUSIC_LABELS.get(style, style),
            preview_url=None if style in ("upload", "none") else f"/api/catalog/music/{style}/preview",
        )
        for style in get_args(MusicStyle)
    ]


def _music_preview(style: str, cache: Path) -> Path:
    from gpu_stages.music.arrangement import CueRequest
    from gpu_stages.music.compose import write_cue

    path = cache / f"{style}.wav"
    with _music_lock:  # one FluidSynth render per style, however many listeners ask at once
        if not path.exists():
            cache.mkdir(parents=True, exist_ok=True)
            partial = cache / f"{style}.partial.wav"
            write_cue(
                CueRequest(style=style, seconds=PREVIEW_SECONDS, seed=7), partial, work_dir=cache / "midi"
            )
            partial.replace(path)
    return path


@router.get(
    "/catalog/music/{style}/preview",
    summary="Hear a music style",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, **problem_responses(404)},
)
async def music_preview(style: str, studio: StudioDep) -> FileResponse:
    """An 8-second WAV composed in the style (made once, then cached)."""
    if style not in get_args(MusicStyle) or style in ("upload", "none"):
        raise NotFound(f"No music style {style!r} to preview. List the styles with GET /api/catalog/music.")
    cache = studio.settings.data_dir / "cache" / "music-previews"
    path = await anyio.to_thread.run_sync(_music_preview, style, cache)
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "public, max-age=86400"})


@router.post("/uploads/script", summary="Upload a script file", responses=problem_responses(401, 422))
async def upload_script(caller: CurrentUser, file: Annotated[UploadFile, File()]) -> ScriptUploaded:
    """Converts a .txt, .md, .fountain, .docx or .pdf file to script text (nothing is stored)."""
    from gpu_stages.script.errors import ScriptRejected
    from gpu_stages.script.intake import count_words, read_upload

    data = await file.read(MAX_SCRIPT_BYTES + 1)
    name = file.filename or "script.txt"
    if len(data) > MAX_SCRIPT_BYTES:
        raise Invalid(f"'{name}' is over 5 MB. Upload the script text alone, without pictures.")
    try:
        script = await anyio.to_thread.run_sync(lambda: read_upload(data, name))
    except ScriptRejected as rejected:
        raise Invalid(str(rejected)) from None
    return ScriptUploaded(
        filename=name, text=script.text, format=script.format, words=count_words(script.text)
    )


@router.post("/uploads/music", summary="Upload your own music", responses=problem_responses(401, 422))
async def upload_music(
    caller: CurrentUser, studio: StudioDep, commands: CallerCommands, file: Annotated[UploadFile, File()]
) -> MusicUploaded:
    """Stores an MP3 or WAV for a project's score; put the returned key in the project's `music_upload`."""
    from gpu_stages.music.upload import MAX_UPLOAD_BYTES

    data = await file.read(MAX_UPLOAD_BYTES + 1)
    name = file.filename or "music"
    suffix = Path(name).suffix.lower()
    if suffix not in (".mp3", ".wav"):
        raise Invalid(f"'{name}' is not an MP3 or WAV file. Export the track as MP3 or WAV and upload that.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(f"'{name}' is over 50 MB. Upload a shorter track or a lower bit rate.")
    key: Any = await anyio.to_thread.run_sync(lambda: studio.artifacts.put_bytes(data, suffix))
    record = RecordAsset(owner_id=caller.id, key=str(key), kind="music", filename=name, bytes=len(data))
    # Recorded as the caller's, so only they can put it in a project's music_upload.
    await anyio.to_thread.run_sync(lambda: commands.send(record, scope=f"{caller.id}:RecordAsset:{key}"))
    return MusicUploaded(filename=name, key=str(key), bytes=len(data))


class ScriptCheck(BaseModel):
    script: str
    format: Literal["text", "markdown", "fountain"] = "text"
    language: str | None = None
    culture: Culture | None = None
    target_seconds: float | None = None


class CharacterOut(BaseModel):
    id: str
    name: str
    age: str
    gender: str
    is_narrator: bool
    lines: int
    look: Look | None = None
    """The look the cast stage draws when the creator picks none (None for the narrator, who is not drawn)."""


def automatic_looks(plan: ScriptPlan) -> dict[str, Look]:
    """Character id -> the look the cast stage would draw for it, by the stage's own code and seed."""
    from gpu_stages.cast.looks import distinct_looks
    from gpu_stages.cast.stage import CastSettings, _cultures

    # The same people, cultures and seed as CastStage.run with no look chosen (plan_for_cast keeps both).
    people = [c for c in plan.characters if not c.is_narrator and c.id != "narrator"]
    cultures, traditional = _cultures(plan, people)
    looks = distinct_looks(people, cultures, traditional, CastSettings().seed)
    drawable = set(Look.model_fields)
    return {cid: Look(**look.model_dump(include=drawable)) for cid, look in looks.items()}


class ScriptChecked(BaseModel):
    language: str
    scenes: int
    words: int
    estimated_seconds: float
    characters: list[CharacterOut]
    warnings: list[str]


@router.post(
    "/catalog/script/plan", summary="Check a script and find its cast", responses=problem_responses(422)
)
async def check_script(body: ScriptCheck) -> ScriptChecked:
    """Runs the script stage's own analysis: language, scenes, characters (ids for voice choices), length.

    Each drawn character comes with the look the cast stage gives it automatically (`culture` as the
    project's setting); show it with GET /api/catalog/look-preview.png."""
    from gpu_stages.script.errors import ScriptRejected
    from gpu_stages.script.intake import count_words
    from gpu_stages.script.stage import plan_script

    try:
        plan = await anyio.to_thread.run_sync(
            lambda: plan_script(
                body.script,
                body.format,
                title="Untitled",
                language=body.language,
                culture=body.culture,
                target_seconds=body.target_seconds,
            )
        )
    except ScriptRejected as rejected:
        raise Invalid(str(rejected)) from None
    looks = automatic_looks(plan)
    lines: dict[str, int] = {}
    for scene in plan.scenes:
        for line in scene.lines:
            lines[line.speaker] = lines.get(line.speaker, 0) + 1
    return ScriptChecked(
        language=plan.language,
        scenes=len(plan.scenes),
        words=count_words(body.script),
        estimated_seconds=plan.estimated_seconds,
        characters=[
            CharacterOut(
                id=c.id,
                name=c.name,
                age=c.age,
                gender=c.gender,
                is_narrator=c.is_narrator,
                lines=lines.get(c.id, 0),
                look=looks.get(c.id),
            )
            for c in plan.characters
        ],
        warnings=plan.warnings,
    )


def unusable_field(look: Look) -> FieldError | None:
    """The first field of a look the cast code cannot draw, saying what to send instead."""
    from gpu_stages.cast.colors import InvalidColour, parse_hex
    from gpu_stages.cast.draw import UnknownAttire, attire_name
    from gpu_stages.cast.hair import HAIR_STYLES

    def bad(field: str, message: str) -> FieldError:
        return FieldError(field=field, location="query", message=message, type="value_error")

    if look.hair not in HAIR_STYLES:
        return bad("hair", f"unknown hair style {look.hair!r}; choose one of {', '.join(HAIR_STYLES)}")
    try:
        attire_name(look.attire)
    except UnknownAttire as unknown:
        return bad("attire", str(unknown))
    for field in ("skin_tone", "hair_color", "attire_color"):
        try:
            parse_hex(getattr(look, field))
        except InvalidColour as invalid:
            return bad(field, str(invalid))
    return None


def look_hash(look: Look) -> str:
    return hashlib.sha256(look.model_dump_json().encode()).hexdigest()[:20]


@functools.lru_cache(maxsize=512)  # about 15 KB each; bounded, since anyone may ask for any look
def _look_png(look: Look) -> bytes:
    from gpu_stages.cast.preview import preview_png

    return preview_png(CharacterLook(character_id="preview", **look.model_dump()), height=LOOK_PREVIEW_HEIGHT)


@router.get(
    "/catalog/look-preview.png",
    summary="See a drawn look",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}},
        304: {"description": "Not modified"},
        **problem_responses(422),
    },
)
async def look_preview(
    look: Annotated[Look, Query()],
    if_none_match: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The look drawn by the cast code as the film will show it, 300 px high (the same look, the same bytes).

    A field the drawing cannot use answers 422 naming it (`errors[].field`)."""
    problem = unusable_field(look)
    if problem:
        return problem_response(422, f"{problem.field}: {problem.message}", errors=[problem])
    etag = f'"{look_hash(look)}"'
    headers = {"Cache-Control": "public, max-age=86400", "ETag": etag}
    if if_none_match == etag:
        return Response(status_code=304, headers=headers)
    png = await anyio.to_thread.run_sync(_look_png, look)
    return Response(png, media_type="image/png", headers=headers)
