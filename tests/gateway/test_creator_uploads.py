"""Uploads of pictures and narration, the character library, and ownership of both, over HTTP."""

from __future__ import annotations

import io
from uuid import UUID

import numpy as np
import soundfile as sf
from fastapi.testclient import TestClient
from PIL import Image

from gateway.routes.uploads import MAX_IMAGE_BYTES
from infra.container import Studio
from tests.gateway.conftest import User, create_project, generate_film, is_problem, sign_up


def png_bytes(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def wav_bytes(seconds: float = 1.0) -> bytes:
    t = np.arange(int(seconds * 24000)) / 24000
    buffer = io.BytesIO()
    sf.write(buffer, 0.2 * np.sin(2 * np.pi * 220 * t), 24000, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def upload(client: TestClient, user: User, kind: str, name: str, data: bytes) -> dict[str, object]:
    response = client.post(f"/api/uploads/{kind}", files={"file": (name, data)}, headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_text_file_renamed_png_is_refused(client: TestClient) -> None:
    user = sign_up(client)
    response = client.post(
        "/api/uploads/image",
        files={"file": ("face.png", b"just some notes, not a picture\n")},
        headers=user.headers,
    )
    body = is_problem(response, 422)
    assert "not an image" in body["detail"] and "JPG, PNG or WEBP" in body["detail"]


def test_a_picture_over_10_mb_is_refused_with_413(client: TestClient) -> None:
    user = sign_up(client)
    big = png_bytes() + b"\0" * (11 * 1024 * 1024)
    assert len(big) > MAX_IMAGE_BYTES
    body = is_problem(
        client.post("/api/uploads/image", files={"file": ("big.png", big)}, headers=user.headers), 413
    )
    assert "10 MB" in body["detail"]


def test_a_real_png_is_stored_and_listed_as_mine(client: TestClient, studio: Studio) -> None:
    user = sign_up(client)
    data = png_bytes((80, 60))
    stored = upload(client, user, "image", "backdrop.webp", data)  # the name's extension does not matter
    assert (stored["kind"], stored["width"], stored["height"], stored["bytes"]) == (
        "image",
        80,
        60,
        len(data),
    )
    key = str(stored["key"])
    assert key.endswith(".png") and studio.artifacts.path(key).read_bytes() == data
    mine = client.get("/api/uploads", headers={**user.headers, "X-Min-Position": str(stored["position"])})
    assert [item["key"] for item in mine.json()] == [key]


def test_narration_is_probed_wav_accepted_and_noise_refused(client: TestClient) -> None:
    user = sign_up(client)
    stored = upload(client, user, "narration", "me.wav", wav_bytes(1.5))
    assert stored["kind"] == "narration" and abs(float(stored["seconds"]) - 1.5) < 0.05  # type: ignore[arg-type]
    refused = client.post(
        "/api/uploads/narration",
        files={"file": ("me.mp3", b"ID3 but not really audio" * 40)},
        headers=user.headers,
    )
    assert "WAV or MP3" in is_problem(refused, 422)["detail"]


def test_a_project_may_use_only_my_own_uploads(client: TestClient) -> None:
    owner, other = sign_up(client), sign_up(client)
    key = str(upload(client, owner, "image", "priya.png", png_bytes())["key"])
    refused = client.post(
        "/api/projects",
        json={"title": "Not mine", "script": "PRIYA: Hello.", "character_images": {"Priya": key}},
        headers=other.headers,
    )
    assert "no upload" in is_problem(refused, 404)["detail"]
    mine = create_project(client, owner, character_images={"Priya": key}, backdrop_uploads={"1": key})
    patch = client.patch(f"/api/projects/{mine['id']}", json={"narration_upload": key}, headers=owner.headers)
    assert (
        "is a picture, not a narration recording" in is_problem(patch, 422)["detail"]
    )  # a picture is not a narration


def save(client: TestClient, user: User, design: dict[str, object]) -> dict[str, object]:
    response = client.post("/api/characters", json=design, headers=user.headers)
    assert response.status_code == 202, response.text
    return dict(response.json())


def test_a_saved_character_keeps_every_version_and_only_its_creator_sees_it(client: TestClient) -> None:
    user, other = sign_up(client), sign_up(client)
    saved = save(client, user, {"name": "Amma", "look": {"age": "senior", "attire": "sari"}, "voice": None})
    cid = saved["id"]
    again = client.post(
        f"/api/characters/{cid}/versions",
        json={"name": "Amma", "look": {"age": "senior", "attire": "kurta", "attire_color": "#228844"}},
        headers=user.headers,
    )
    assert (
        again.status_code == 202 and again.json()["version"] == 2 and again.json()["reference"] == f"{cid}@2"
    )
    read = client.get(
        f"/api/characters/{cid}", headers={**user.headers, "X-Min-Position": str(again.json()["position"])}
    )
    assert read.status_code == 200, read.text
    body = read.json()
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert [v["design"]["look"]["attire"] for v in body["versions"]] == ["sari", "kurta"]
    assert body["latest_version"] == 2
    preview = client.get(body["versions"][0]["preview_url"])  # a link that works without headers (<img src>)
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(preview.content))
    assert picture.height == 400
    is_problem(client.get(f"/api/characters/{cid}", headers=other.headers), 404)
    is_problem(client.get(f"/api/characters/{cid}/preview.png", headers=other.headers), 404)
    is_problem(
        client.post(f"/api/characters/{cid}/versions", json={"name": "Mine now"}, headers=other.headers), 404
    )
    is_problem(client.delete(f"/api/characters/{cid}", headers=other.headers), 404)
    gone = client.delete(f"/api/characters/{cid}", headers=user.headers)
    assert gone.status_code == 202
    listed = client.get(
        "/api/characters", headers={**user.headers, "X-Min-Position": str(gone.json()["position"])}
    )
    assert listed.json() == []


def test_a_character_refuses_an_unknown_attire_and_someone_elses_photo(client: TestClient) -> None:
    user, other = sign_up(client), sign_up(client)
    bad = client.post(
        "/api/characters", json={"name": "X", "look": {"attire": "spacesuit"}}, headers=user.headers
    )
    assert "spacesuit" in is_problem(bad, 422)["detail"]
    key = str(upload(client, other, "image", "them.png", png_bytes())["key"])
    is_problem(client.post("/api/characters", json={"name": "X", "photo": key}, headers=user.headers), 404)


def test_a_film_gets_the_library_characters_look_and_voice(client: TestClient, studio: Studio) -> None:
    user, other = sign_up(client), sign_up(client)
    saved = save(
        client,
        user,
        {"name": "Amma", "look": {"age": "senior", "attire": "sari"}, "voice": "en-us-adult-female-1"},
    )
    reference = str(saved["reference"])
    refused = client.post(
        "/api/projects",
        json={"title": "T", "script": "AMMA: Hello.", "library_characters": {"Amma": reference}},
        headers=other.headers,
    )
    is_problem(refused, 404)
    project = create_project(client, user, script="AMMA: Hello.", library_characters={"Amma": reference})
    film = generate_film(client, user, str(project["id"]))
    state, _ = studio.bus.state_of("film", UUID(str(film["film_id"])))
    assert state.spec.character_looks["Amma"].attire == "sari"
    assert state.spec.character_looks["Amma"].age == "senior"
    assert [(v.character_id, v.preset) for v in state.spec.voices] == [("Amma", "en-us-adult-female-1")]
