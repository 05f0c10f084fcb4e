"""`filmstudio render` as a user runs it: a subprocess that turns a template into files on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def render(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "infra.cli", "render", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def test_render_turns_a_template_into_a_film_subtitles_and_thumbnails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # A square draft without music keeps this under a minute on a busy machine; the full chain still runs.
    options = '{"draft": true, "aspects": ["1:1"], "music": "none"}'
    done = render("marketing", "--out", str(out), "--data-dir", str(tmp_path / "data"), "--options", options)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    names = sorted(p.name for p in out.iterdir())
    [video] = [n for n in names if n.endswith(".mp4")]
    assert video.endswith("-1x1-480p.mp4")
    base = video.removesuffix("-1x1-480p.mp4")
    assert f"{base}-en.srt" in names and f"{base}-en.vtt" in names
    # A draft gets one thumbnail (the full film gets three: tests/gpu_stages/test_thumbnails.py).
    assert [n for n in names if n.endswith(".jpg")] == [f"{base}-thumbnail-1.jpg"]
    probed = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(out / video)],
            capture_output=True, check=True, text=True,
        ).stdout
    )  # fmt: skip
    codecs = {s["codec_type"]: s for s in probed["streams"]}
    assert codecs["video"]["codec_name"] == "h264" and codecs["audio"]["codec_name"] == "aac"
    assert float(codecs["video"]["duration"]) > 20  # the whole template, not a stub
    assert "-->" in (out / f"{base}-en.srt").read_text()
    with Image.open(out / f"{base}-thumbnail-1.jpg") as thumbnail:
        assert thumbnail.size == (1280, 720)
    assert str(out.resolve()) in " ".join(done.stdout.split())


def test_render_exits_non_zero_with_the_reason_when_the_film_fails(tmp_path: Path) -> None:
    script = tmp_path / "hello.txt"
    script.write_text("ASHA: Hello there.\n")
    options = {"draft": True, "subtitles": {"translate_to": ["fr"]}}  # no translator is configured here
    done = render(
        str(script),
        "--out",
        str(tmp_path / "out"),
        "--data-dir",
        str(tmp_path / "data"),
        "--options",
        json.dumps(options),
    )
    assert done.returncode == 1
    text = " ".join(done.stdout.split())
    assert "failed" in text and "translator" in text
    assert not (tmp_path / "out").exists()


def test_render_refuses_an_unknown_script_before_starting(tmp_path: Path) -> None:
    done = render(
        "no-such-template", "--out", str(tmp_path / "out"), "--data-dir", str(tmp_path / "data"), timeout=60
    )
    assert done.returncode == 2
    text = " ".join(done.stdout.split())
    assert "no-such-template" in text and "story" in text  # names the templates to choose from


def test_render_remote_submits_over_http_and_downloads_the_named_files(tmp_path: Path) -> None:
    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient

    from gateway.app import create_app
    from infra.container import build_studio
    from infra.render_job import render_remote
    from infra.settings import Settings

    studio = build_studio(Settings(data_dir=tmp_path / "studio", environment="test"))
    studio.start_embedded()
    script = tmp_path / "Morning.txt"
    script.write_text("PRIYA: Good morning!\n\nBEN: Morning, Priya.\n")
    out = tmp_path / "out"
    hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    try:
        with TestClient(create_app(studio, password_hasher=hasher)) as client:
            render_remote(
                "http://testserver", script, out, {"draft": True}, "cli@example.com", "long-password", client
            )
    finally:
        studio.stop()
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "morning-16x9-480p.mp4",
        "morning-en.srt",
        "morning-en.vtt",
        "morning-thumbnail-1.jpg",  # a draft: one thumbnail
    ]
    assert "Good morning!" in (out / "morning-en.srt").read_text()
    assert (out / "morning-16x9-480p.mp4").read_bytes()[4:8] == b"ftyp"
