"""What the wizard picks from: templates, the script stage's analysis, voice and music previews, uploads."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.gateway.conftest import is_problem, make_app, make_studio, sign_up, stop

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    studio = make_studio(tmp_path_factory.mktemp("catalog"), workers=False)
    with TestClient(make_app(studio)) as c:
        yield c
    stop(studio)


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / w.getframerate()


def test_templates_come_with_their_text_format_and_word_count(client: TestClient) -> None:
    templates = {t["name"]: t for t in client.get("/api/catalog/templates").json()}
    assert set(templates) == {"story", "educational", "marketing", "podcast", "devotional"}
    assert templates["story"]["format"] == "fountain"
    assert "PRIYA" in templates["story"]["script"] and templates["story"]["words"] > 50


def test_the_script_analysis_finds_the_cast_with_the_ids_voice_choices_use(client: TestClient) -> None:
    script = "The kitchen wakes up.\n\nPRIYA: Good morning, Dadi!\nMR. SHARMA: The tea is ready."
    answer = client.post("/api/catalog/script/plan", json={"script": script, "format": "text"})
    assert answer.status_code == 200, answer.text
    cast = {c["id"]: c for c in answer.json()["characters"]}
    assert {"priya", "mr_sharma"} <= set(cast)
    assert cast["priya"]["lines"] == 1
    assert answer.json()["language"] == "en" and answer.json()["estimated_seconds"] > 0


def test_a_script_with_nothing_to_say_is_refused_with_what_to_add(client: TestClient) -> None:
    problem = is_problem(client.post("/api/catalog/script/plan", json={"script": "INT. HOUSE - NIGHT"}), 422)
    assert "no lines to speak" in problem["detail"]


def test_voices_list_their_preview_and_a_preview_is_speech_in_the_voice_language(client: TestClient) -> None:
    arabic = client.get("/api/catalog/voices", params={"language": "ar"}).json()
    assert arabic and all(v["language"] == "ar" for v in arabic)
    clip = client.get(arabic[0]["preview_url"], params={"quality": "draft"})
    assert clip.status_code == 200 and clip.headers["content-type"] == "audio/wav"
    assert 1.0 < wav_seconds(clip.content) < 10.0
    is_problem(client.get("/api/catalog/voices/no-such-voice/preview"), 404)


def test_a_music_preview_is_a_short_piece_in_the_style(client: TestClient) -> None:
    styles = {m["id"]: m for m in client.get("/api/catalog/music").json()}
    assert styles["none"]["preview_url"] is None and styles["upload"]["preview_url"] is None
    clip = client.get(styles["piano"]["preview_url"])
    assert clip.status_code == 200
    assert 7.0 < wav_seconds(clip.content) < 9.5
    is_problem(client.get("/api/catalog/music/polka/preview"), 404)


def test_an_uploaded_script_comes_back_as_text_with_its_format(client: TestClient) -> None:
    user = sign_up(client)
    fountain = b"INT. BEACH - DAY\n\nMAYA\nLook at the waves!\n"
    answer = client.post(
        "/api/uploads/script", files={"file": ("beach.fountain", fountain)}, headers=user.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["format"] == "fountain" and "waves" in answer.json()["text"]
    png = client.post(
        "/api/uploads/script", files={"file": ("script.txt", b"\x89PNG\r\n\x1a\n....")}, headers=user.headers
    )
    assert "PNG image" in is_problem(png, 422)["detail"]
    is_problem(client.post("/api/uploads/script", files={"file": ("a.txt", b"hello")}), 401)


def test_uploaded_music_is_stored_for_the_project_and_other_files_are_refused(client: TestClient) -> None:
    user = sign_up(client)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000), w.writeframes(b"\x00\x00" * 8000)
    stored = client.post(
        "/api/uploads/music", files={"file": ("theme.wav", buffer.getvalue())}, headers=user.headers
    )
    assert stored.status_code == 200, stored.text
    assert stored.json()["key"].endswith(".wav") and stored.json()["bytes"] == len(buffer.getvalue())
    refused = client.post("/api/uploads/music", files={"file": ("theme.ogg", b"OggS")}, headers=user.headers)
    assert "MP3 or WAV" in is_problem(refused, 422)["detail"]
