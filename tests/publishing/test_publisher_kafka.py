"""`filmstudio publisher --transport kafka` as a real process in the `youtube-publishers` group, behind
the relay and the bundled broker: a film that asked to be published is uploaded once, even across a kill -9."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.broker import start_broker
from infra.container import Studio, build_studio
from infra.settings import Settings
from infra.youtube.wiring import youtube_of
from processors.youtube_uploader import auto_upload_id
from schemas.video_metadata import PublishOptions
from tests.publishing.conftest import connected_account, youtube_env, youtube_settings
from tests.publishing.test_auto_publish import completed_film
from tests.support.fakes.youtube_server import FakeYouTube
from tests.support.postgres import free_port
from tests.support.processes import Processes, wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def kafka_studio(postgres_url: str, tmp_path: Path, fake: FakeYouTube) -> Iterator[tuple[Studio, Processes]]:
    port = free_port()
    broker = start_broker(port)
    env = {
        "FILMSTUDIO_EVENT_STORE_URL": postgres_url,
        "FILMSTUDIO_VIEWS_URL": postgres_url,
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
        "FILMSTUDIO_STAGE_SET": "titlecards",
        "FILMSTUDIO_DATA_DIR": str(tmp_path / "data"),
        "FILMSTUDIO_KAFKA_PARTITIONS": "2",
        **youtube_env(fake),
    }
    studio = build_studio(
        Settings(data_dir=tmp_path / "data", event_store_url=postgres_url, views_url=postgres_url)
    )
    studio.projector.setup()
    youtube_of(
        studio, youtube_settings(fake)
    )  # creates the vault and quota tables before the processes start
    procs = Processes(env, tmp_path)
    procs.start("relay", "relay")
    yield studio, procs
    procs.stop_all()
    for log in sorted(tmp_path.glob("*.log")):  # shown by pytest only when the test failed
        print(f"===== {log.name}\n{log.read_text(errors='replace')[-3000:]}")
    broker.kill()
    broker.wait(5)
    studio.stop()


def upload_events(studio: Studio, film: Any) -> list[str]:
    return [e.type for e in studio.store.load(auto_upload_id(film))]


def test_the_kafka_publisher_uploads_an_auto_publish_film_once_even_after_a_kill(
    kafka_studio: tuple[Studio, Processes], fake: FakeYouTube, tmp_path: Path
) -> None:
    studio, procs = kafka_studio
    procs.start("publisher", "publisher", "--transport", "kafka", "--name", "publisher-a")
    owner = connected_account(studio, youtube_of(studio), fake)
    film = completed_film(studio, owner, tmp_path, PublishOptions(privacy="unlisted"))
    wait_for(lambda: "UploadPublished" in upload_events(studio, film), 90, "the upload to be published")
    assert len(fake.videos) == 1
    # A new process in the group starts from the committed offsets (or earlier): nothing is uploaded again.
    procs.kill9("publisher")
    procs.start("publisher", "publisher", "--transport", "kafka", "--name", "publisher-b")
    wait_for(lambda: "assigned" in procs.log("publisher"), 60, "the restarted publisher to join its group")
    time.sleep(3.0)
    types = upload_events(studio, film)
    assert types.count("UploadRequested") == 1 and types.count("UploadPublished") == 1, types
    assert len(fake.videos) == 1
    (video,) = fake.videos.values()
    assert (
        video["snippet"]["title"] == "The Lighthouse Keeper"
        and video["status"]["privacyStatus"] == "unlisted"
    )
