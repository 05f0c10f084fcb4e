"""Publish-when-done: a film that asked for it is uploaded on completion with the suggested metadata,
its thumbnail, a caption track per language and an automatic playlist — each once, even when redelivered."""

from __future__ import annotations

import uuid
from pathlib import Path

from infra.container import Studio
from infra.youtube.wiring import YouTube
from processors.follower import Follower
from processors.youtube_uploader import TRIGGERS, auto_upload_id
from schemas.commands import CompleteFilm, CompleteStage, CreateProject, RequestFilm, RequestStage, StartStage
from schemas.film import FilmSpec
from schemas.media import Character, Line, Scene, ScriptPlan
from schemas.video_metadata import PublishOptions
from tests.publishing.conftest import connected_account, random_file
from tests.support.fakes.youtube_server import FakeYouTube

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 2000
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nThe keeper wakes.\n"


def completed_film(studio: Studio, owner: uuid.UUID, tmp_path: Path, publish: PublishOptions) -> uuid.UUID:
    artifacts = studio.artifacts
    video = artifacts.put_file(random_file(tmp_path / "v.mp4", 700_000), ".mp4")
    thumb = artifacts.put_bytes(PNG, ".png")
    srt_en, srt_hi = artifacts.put_bytes(SRT, ".srt"), artifacts.put_bytes(SRT + b"\n", ".srt")
    plan = ScriptPlan(
        title="The Lighthouse Keeper",
        scenes=[
            Scene(
                index=0,
                heading="EXT. VILLAGE - DUSK",
                setting="village",
                lines=[
                    Line(id="a", speaker="narrator", text="The lighthouse keeper wakes before the storm."),
                    Line(id="b", speaker="priya", text="The boats are late tonight."),
                ],
            ),
        ],
        characters=[Character(id="priya", name="Priya")],
        estimated_seconds=20,
    )
    track = {"cues": [], "srt": srt_en, "vtt": srt_en, "ass": srt_en}
    outputs = {
        "renditions": [{"aspect": "16:9", "resolution": "720p", "video": video, "duration": 20, "width": 1280,
                        "height": 720}],
        "subtitles": [{**track, "language": "en", "label": "English"},
                      {**track, "language": "hi", "label": "Hindi", "srt": srt_hi}],
        "thumbnails": [thumb],
    }  # fmt: skip
    spec = FilmSpec(title="Draft title", script="The keeper wakes.", publish=publish)
    bus = studio.bus
    project = bus.handle(CreateProject(owner_id=owner, spec=spec)).aggregate_id
    stages = {"script": [], "thumbnails": ["script"]}
    film = bus.handle(RequestFilm(project_id=project, owner_id=owner, spec=spec, stages=stages)).aggregate_id
    for stage, output in (("script", plan.model_dump(mode="json")), ("thumbnails", outputs)):
        bus.handle(RequestStage(film_id=film, stage=stage, attempt=1))
        bus.handle(StartStage(film_id=film, stage=stage, attempt=1, worker="t"))
        bus.handle(CompleteStage(film_id=film, stage=stage, attempt=1, output=output, seconds=1))
    bus.handle(CompleteFilm(film_id=film))
    return film


def test_a_film_that_asked_is_published_on_completion_once_with_its_finishing_steps(
    studio: Studio, youtube: YouTube, fake: FakeYouTube, tmp_path: Path
) -> None:
    owner = connected_account(studio, youtube, fake)
    film = completed_film(studio, owner, tmp_path, PublishOptions(privacy="unlisted", playlist_auto="theme"))
    uploader = youtube.uploader(studio, name="t")
    for delivery in range(2):  # the second pass replays everything from the start: at-least-once delivery
        Follower(f"publisher-{delivery}", studio.store, uploader.handle, types=TRIGGERS).run_until_idle()
    upload = [e.event() for e in studio.store.load(auto_upload_id(film))]
    types = [type(e).__name__ for e in upload]
    assert types.count("UploadPublished") == 1 and types.count("UploadRequested") == 1, types
    requested = upload[0]
    assert requested.metadata.title == "The Lighthouse Keeper" and requested.automatic  # type: ignore[attr-defined]
    assert "Priya" in requested.metadata.tags and "village" in requested.metadata.tags  # type: ignore[attr-defined]
    (video,) = fake.videos.values()
    assert video["status"]["privacyStatus"] == "unlisted"
    assert "lighthouse keeper wakes" in video["snippet"]["description"]
    assert fake.thumbnails == {video["id"]: len(PNG)}
    assert sorted(c["snippet"]["language"] for c in fake.captions.values()) == ["en", "hi"]
    assert [p["snippet"]["title"] for p in fake.playlists.values()] == ["Village films"]
    assert len(fake.playlist_items) == 1
