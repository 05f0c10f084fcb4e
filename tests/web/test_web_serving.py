"""The gateway serves the built web app at `/`: SPA fallback, cached hashed assets, gzip, API paths untouched."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway.routes.web import web_router


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('app')" * 50)
    (tmp_path / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(b"/* the gzipped copy */"))
    return tmp_path


def client_for(dist: Path) -> TestClient:
    app = FastAPI()
    app.include_router(web_router(dist))

    @app.get("/api/ping")  # an API route included after the web app still answers
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return TestClient(app)


def test_any_page_path_gets_the_app_shell_uncached(dist: Path) -> None:
    client = client_for(dist)
    for path in ("/", "/dashboard", "/projects/0b0e8e7e-1b7e-4c1e-9f0e-2f6b7b3c1a11"):
        response = client.get(path)
        assert response.status_code == 200
        assert "<div id=root>" in response.text
        assert response.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_cached_for_a_year_and_sent_gzipped_when_accepted(dist: Path) -> None:
    client = client_for(dist)
    plain = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.text.startswith("console.log")
    assert "immutable" in plain.headers["cache-control"]
    gz = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"
    assert gz.text == "/* the gzipped copy */"  # the precompressed file, decoded by the client
    assert gz.headers["content-type"].startswith("text/javascript")


def test_missing_asset_is_404_not_the_app(dist: Path) -> None:
    assert client_for(dist).get("/assets/old-build.js").status_code == 404


def test_api_paths_are_never_answered_by_the_app(dist: Path) -> None:
    client = client_for(dist)
    assert client.get("/api/ping").json() == {"pong": "yes"}
    assert client.get("/api/no-such-route").status_code == 404


def test_paths_cannot_escape_the_build_folder(dist: Path) -> None:
    (dist.parent / "secret.txt").write_text("top secret")
    response = client_for(dist).get("/..%2Fsecret.txt")
    assert "top secret" not in response.text


def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    response = client_for(tmp_path).get("/")
    assert response.status_code == 503
    assert "npm run build" in response.text
