"""S3 artifact store against a real S3-compatible HTTP server (moto in server mode), real boto3 calls."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from pydantic import BaseModel

from gpu_stages.contract import Stage, StageContext, run_cached
from infra.container import build_studio
from infra.settings import Settings
from infra.storage_s3 import (
    ArtifactNotFound,
    BucketMissing,
    InvalidArtifactKey,
    S3ArtifactStore,
    make_s3_client,
)
from schemas.commands import RequestFilm
from schemas.film import FilmSpec
from schemas.media import StageFailure
from tests.support.postgres import free_port
from tests.support.processes import wait_for

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "studio-test",
    "AWS_SECRET_ACCESS_KEY": "studio-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    saved = {k: os.environ.get(k) for k in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"films-{uuid.uuid4().hex[:10]}"
    make_s3_client(s3_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def store(s3_endpoint: str, bucket: str, tmp_path: Path) -> S3ArtifactStore:
    return S3ArtifactStore.from_url(
        f"s3://{bucket}/studio", endpoint_url=s3_endpoint, cache_dir=tmp_path / "cache"
    )


def count_calls(client: Any) -> Counter[str]:
    """Counts the S3 operations a client sends (a boto3 event hook: the request still goes out)."""
    calls: Counter[str] = Counter()
    client.meta.events.register("before-call.s3.*", lambda model, **_: calls.update([model.name]))
    return calls


def objects(s3_endpoint: str, bucket: str) -> dict[str, dict[str, Any]]:
    listing = make_s3_client(s3_endpoint).list_objects_v2(Bucket=bucket)
    return {o["Key"]: o for o in listing.get("Contents", [])}


def test_bytes_round_trip_through_the_bucket_into_a_fresh_cache(
    store: S3ArtifactStore, s3_endpoint: str, bucket: str, tmp_path: Path
) -> None:
    data = os.urandom(50_000)
    key = store.put_bytes(data, ".wav")
    assert key == hashlib.sha256(data).hexdigest() + ".wav"
    assert list(objects(s3_endpoint, bucket)) == [f"studio/{key[:2]}/{key}"]
    # Another machine with an empty cache reads the same artifact from the bucket.
    other = S3ArtifactStore.from_url(
        f"s3://{bucket}/studio", endpoint_url=s3_endpoint, cache_dir=tmp_path / "other"
    )
    assert other.exists(key)
    local = other.path(key)
    assert local.read_bytes() == data
    assert local.is_relative_to(tmp_path / "other")


def test_a_second_put_of_the_same_bytes_uploads_nothing(
    store: S3ArtifactStore, s3_endpoint: str, bucket: str, tmp_path: Path
) -> None:
    calls = count_calls(store.client)
    data = b"the same frame twice" * 1000
    first = store.put_bytes(data, ".png")
    modified = objects(s3_endpoint, bucket)[store.object_key(first)]["LastModified"]
    file = tmp_path / "same.png"
    file.write_bytes(data)
    time.sleep(1.1)  # LastModified has one-second resolution: a re-upload would move it
    assert store.put_bytes(data, ".png") == first
    assert store.put_file(file) == first
    assert calls["PutObject"] == 1 and calls["CreateMultipartUpload"] == 0
    listing = objects(s3_endpoint, bucket)
    assert len(listing) == 1
    assert listing[store.object_key(first)]["LastModified"] == modified


def test_path_downloads_once_then_serves_the_cached_file(
    s3_endpoint: str, bucket: str, tmp_path: Path
) -> None:
    writer = S3ArtifactStore.from_url(f"s3://{bucket}", endpoint_url=s3_endpoint, cache_dir=tmp_path / "w")
    key = writer.put_bytes(b"subtitle cues\n" * 100, ".srt")
    reader = S3ArtifactStore.from_url(f"s3://{bucket}", endpoint_url=s3_endpoint, cache_dir=tmp_path / "r")
    calls = count_calls(reader.client)
    paths = {reader.path(key) for _ in range(5)}
    assert len(paths) == 1
    assert calls["GetObject"] == 1
    assert paths.pop().read_bytes() == b"subtitle cues\n" * 100
    assert not list((tmp_path / "r").rglob("*.tmp"))


def test_big_files_go_up_in_parts_and_come_back_whole(s3_endpoint: str, bucket: str, tmp_path: Path) -> None:
    mib = 1024 * 1024
    store = S3ArtifactStore.from_url(
        f"s3://{bucket}/big",
        endpoint_url=s3_endpoint,
        cache_dir=tmp_path / "c",
        multipart_threshold=5 * mib,
        multipart_chunk=5 * mib,
    )
    calls = count_calls(store.client)
    film = tmp_path / "film.mp4"
    film.write_bytes(os.urandom(11 * mib))
    key = store.put_file(film)
    assert key.endswith(".mp4")
    assert calls["CreateMultipartUpload"] == 1 and calls["UploadPart"] == 3
    etag = objects(s3_endpoint, bucket)[store.object_key(key)]["ETag"]
    assert etag.strip('"').endswith("-3")  # S3 marks multipart objects with their part count
    fresh = S3ArtifactStore.from_url(f"s3://{bucket}/big", endpoint_url=s3_endpoint, cache_dir=tmp_path / "d")
    assert hashlib.sha256(fresh.path(key).read_bytes()).hexdigest() == key.removesuffix(".mp4")


def test_presigned_url_downloads_over_plain_http_without_credentials(store: S3ArtifactStore) -> None:
    data = b"\x00\x00\x00\x18ftypmp42 a tiny film"
    key = store.put_bytes(data, ".mp4")
    url = store.presigned_url(key, seconds=300)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert key in response.headers["content-disposition"]
    # (moto does not verify signatures, so a tampered link is not tested here; MinIO and AWS reject it)


def test_a_missing_key_is_a_clear_error(store: S3ArtifactStore) -> None:
    absent = "0" * 64 + ".mp4"
    assert store.exists(absent) is False
    with pytest.raises(ArtifactNotFound, match=r"is not in s3://.*generate the film again"):
        store.path(absent)
    with pytest.raises(ArtifactNotFound):
        store.presigned_url(absent)
    assert not list(store.cache_dir.rglob("*.tmp"))
    with pytest.raises(InvalidArtifactKey, match="sha256 hex"):
        store.path("../../etc/passwd")


def test_ensure_bucket_creates_it_once(s3_endpoint: str, tmp_path: Path) -> None:
    name = f"new-{uuid.uuid4().hex[:10]}"
    store = S3ArtifactStore.from_url(f"s3://{name}/p", endpoint_url=s3_endpoint, cache_dir=tmp_path)
    assert store.ensure_bucket() is True
    assert store.ensure_bucket() is False
    assert name in {b["Name"] for b in make_s3_client(s3_endpoint).list_buckets()["Buckets"]}


@pytest.mark.media
def test_a_film_made_by_the_studio_lands_in_the_bucket(s3_endpoint: str, bucket: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        stage_set="titlecards",
        storage_url=f"s3://{bucket}/films",
        s3_endpoint_url=s3_endpoint,
        retry_backoff_seconds=0.1,
    )
    studio = build_studio(settings)
    assert isinstance(studio.artifacts, S3ArtifactStore)
    studio.start_embedded()
    try:
        spec = FilmSpec(script="Opening card\n\nClosing card")
        command = RequestFilm(
            project_id=uuid.uuid4(), owner_id=uuid.uuid4(), spec=spec, stages=studio.pipeline
        )
        film = studio.bus.handle(command).aggregate_id

        def status() -> str | None:
            rows = studio.views.query("SELECT status FROM films WHERE id = %s", (str(film),))
            return rows[0]["status"] if rows and rows[0]["status"] in ("completed", "failed") else None

        assert wait_for(status, 60, "the film to finish") == "completed"
        video = next(
            e.payload["output"]["video"]
            for e in studio.store.load(film)
            if e.type == "StageCompleted" and e.payload["stage"] == "titlecards"
        )
    finally:
        studio.stop()
    head = boto3.client("s3", endpoint_url=s3_endpoint).head_object(
        Bucket=bucket, Key=f"films/{video[:2]}/{video}"
    )
    assert head["ContentLength"] > 1000
    body = httpx.get(studio.artifacts.presigned_url(video)).content  # type: ignore[attr-defined]
    assert body[4:8] == b"ftyp"  # an MP4 file, downloaded from the bucket


class EchoSettings(BaseModel):
    tone: str = "warm"


class EchoInput(BaseModel):
    text: str


class EchoOutput(BaseModel):
    key: str


class EchoStage(Stage[EchoSettings, EchoInput, EchoOutput]):
    """Stores its input as an artifact and counts how often it really ran."""

    name = "echo"
    runs = 0

    def run(self, inputs: EchoInput, ctx: StageContext) -> EchoOutput | StageFailure:
        EchoStage.runs += 1
        return EchoOutput(key=ctx.artifacts.put_bytes(inputs.text.encode(), ".txt"))


def test_cached_stage_results_are_reused_on_an_s3_store(store: S3ArtifactStore) -> None:
    ctx = StageContext(artifacts=store)
    stage = EchoStage(EchoSettings())
    first = run_cached(stage, EchoInput(text="hello"), ctx, EchoOutput)
    again = run_cached(stage, EchoInput(text="hello"), ctx, EchoOutput)
    other = run_cached(stage, EchoInput(text="bye"), ctx, EchoOutput)
    assert EchoStage.runs == 2
    assert first == again != other
    assert isinstance(first, EchoOutput) and store.exists(first.key)


def test_writing_to_a_missing_bucket_says_to_run_init(s3_endpoint: str, tmp_path: Path) -> None:
    store = S3ArtifactStore.from_url("s3://never-created/p", endpoint_url=s3_endpoint, cache_dir=tmp_path)
    with pytest.raises(BucketMissing, match="'never-created' does not exist: run `filmstudio init`"):
        store.put_bytes(b"frame", ".png")
    film = tmp_path / "film.mp4"
    film.write_bytes(b"not really a film")
    with pytest.raises(BucketMissing):
        store.put_file(film)


def test_filmstudio_init_creates_the_artifact_bucket(s3_endpoint: str, tmp_path: Path) -> None:
    name = f"init-{uuid.uuid4().hex[:10]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMSTUDIO_")}
    env |= {"FILMSTUDIO_STORAGE_URL": f"s3://{name}/films", "FILMSTUDIO_S3_ENDPOINT_URL": s3_endpoint}
    done = subprocess.run(
        [sys.executable, "-m", "infra.cli", "init", "--data-dir", str(tmp_path)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"artifact bucket S3ArtifactStore(s3://{name}/films) created" in done.stdout
    assert name in {b["Name"] for b in make_s3_client(s3_endpoint).list_buckets()["Buckets"]}
