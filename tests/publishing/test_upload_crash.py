"""The issue's check: a 50 MB film survives two dropped connections and a worker killed with -9, and ends
published exactly once (one video on the fake, byte for byte)."""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

import pytest

from infra.container import Studio
from infra.youtube.wiring import YouTube
from schemas.commands import CompleteFilm, CompleteStage, CreateProject, RequestFilm, RequestStage, StartStage
from schemas.film import FilmSpec
from schemas.publishing import RequestUpload
from schemas.video_metadata import VideoMetadata
from tests.publishing.conftest import connected_account, random_file, youtube_env
from tests.support.fakes.youtube_server import FakeYouTube
from tests.support.processes import Processes, wait_for

MB = 1024 * 1024


def finished_film(studio: Studio, owner: uuid.UUID, video: Path) -> uuid.UUID:
    """A film whose one stage produced `video` (stored as an artifact), completed."""
    key = studio.artifacts.put_file(video, ".mp4")
    bus = studio.bus
    project = bus.handle(CreateProject(owner_id=owner, spec=FilmSpec(script="The lighthouse."))).aggregate_id
    film = bus.handle(
        RequestFilm(project_id=project, owner_id=owner, spec=FilmSpec(script="x"), stages={"titlecards": []})
    ).aggregate_id
    bus.handle(RequestStage(film_id=film, stage="titlecards", attempt=1))
    bus.handle(StartStage(film_id=film, stage="titlecards", attempt=1, worker="test"))
    bus.handle(
        CompleteStage(
            film_id=film, stage="titlecards", attempt=1, output={"video": key, "duration": 60}, seconds=1
        )
    )
    bus.handle(CompleteFilm(film_id=film))
    return film


def upload_events(studio: Studio, upload_id: uuid.UUID) -> list[tuple[str, dict[str, object]]]:
    return [(e.type, e.payload) for e in studio.store.load(upload_id)]


@pytest.mark.slow
def test_a_50_mb_upload_survives_two_drops_and_a_kill_9_and_publishes_once(
    studio: Studio, youtube: YouTube, fake: FakeYouTube, tmp_path: Path
) -> None:
    started = time.monotonic()
    owner = connected_account(studio, youtube, fake)
    video = random_file(tmp_path / "film.mp4", 50 * MB)
    film = finished_film(studio, owner, video)
    upload_id = uuid.uuid4()
    studio.bus.handle(
        RequestUpload(
            upload_id=upload_id,
            film_id=film,
            owner_id=owner,
            channel_id=fake.channel_id,
            metadata=VideoMetadata(title="The Lighthouse", privacy="public", thumbnail_index=None),
        )
    )
    fake.drop_connection_at(8 * MB, after_bytes=700_000)
    gate = fake.hold_chunk_at(20 * MB)
    fake.drop_connection_at(35 * MB, after_bytes=400_000)
    env = {
        "FILMSTUDIO_DATA_DIR": str(studio.settings.data_dir),
        "FILMSTUDIO_STAGE_SET": "titlecards",
        "FILMSTUDIO_ENVIRONMENT": "test",
        **youtube_env(fake),
    }
    processes = Processes(env, tmp_path)
    try:
        processes.start("publisher-a", "publisher", "--transport", "embedded", "--name", "publisher-a")
        assert gate.reached.wait(30), processes.log("publisher-a")
        recorded_before_kill = max(
            (int(p["bytes_sent"]) for t, p in upload_events(studio, upload_id) if t == "UploadProgressed"),  # type: ignore[call-overload]
            default=0,
        )
        processes.kill9("publisher-a")
        gate.release.set()
        processes.start("publisher-b", "publisher", "--transport", "embedded", "--name", "publisher-b")
        wait_for(
            lambda: any(
                t in ("UploadPublished", "UploadFailed") for t, _ in upload_events(studio, upload_id)
            ),
            30,
            "the upload to finish",
        )
    finally:
        processes.stop_all()
    events = upload_events(studio, upload_id)
    types = [t for t, _ in events]
    assert types.count("UploadPublished") == 1 and "UploadFailed" not in types, processes.log("publisher-b")
    assert types.count("UploadStarted") == 1  # one session, resumed rather than started again
    (resumed,) = [p for t, p in events if t == "UploadResumed"]
    assert resumed["worker"] == "publisher-b"
    # The server kept the chunk whose answer the killed worker never saw: it resumes beyond what was recorded.
    assert int(resumed["confirmed_bytes"]) >= 20 * MB > recorded_before_kill  # type: ignore[call-overload]
    (published,) = [p for t, p in events if t == "UploadPublished"]
    assert list(fake.videos) == [published["video_id"]]
    assert fake.video_bytes[str(published["video_id"])] == hashlib.sha256(video.read_bytes()).hexdigest()
    assert fake.count("drops") == 2
    assert time.monotonic() - started < 40
