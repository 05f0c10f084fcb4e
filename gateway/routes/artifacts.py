"""Downloads of the files a film produced."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter
from fastapi.responses import FileResponse

from commands.errors import NotFound
from gateway import reads
from gateway.deps import LinkOrBearerUser, StudioDep
from gateway.problems import problem_responses

router = APIRouter(prefix="/api/artifacts", tags=["artifacts"])

NO_ARTIFACT = "No such file among your films' outputs. Take download links from GET /api/films/{id}."


@router.get(
    "/{key}",
    summary="Download a film's output file",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "the file (supports Range)"},
               **problem_responses(401, 404)},
)  # fmt: skip
def download(key: str, caller: LinkOrBearerUser, studio: StudioDep) -> FileResponse:
    """Streams an output file of one of your films (video, audio, subtitles...); Range requests work."""
    if not reads.ARTIFACT_KEY.match(key):
        raise NotFound(NO_ARTIFACT)
    if not caller.is_admin and not reads.owns_artifact(studio.views, str(caller.id), key):
        raise NotFound(NO_ARTIFACT)
    path = studio.artifacts.path(key)
    if not path.exists():
        raise NotFound("The file is no longer stored. Generate the film again to recreate it.")
    media_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type, filename=key)
