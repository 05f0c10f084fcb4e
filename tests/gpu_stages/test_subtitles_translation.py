"""Translation adapters (a LibreTranslate-protocol server started here) and the subtitles stage."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.subtitles import (
    HttpTranslator,
    OfflineModelTranslator,
    SubtitleInput,
    SubtitleSettings,
    SubtitleStage,
    TranslationFailed,
    TranslationUnavailable,
)
from schemas.film import SubtitleStyle
from schemas.media import StageFailure, Subtitles, TimedLine, Timeline, VoicedLine, VoiceTrack, WordTiming

GLOSSARY = {"Good morning.": "सुप्रभात।", "Where is the station?": "स्टेशन कहाँ है?", "Thank you.": "धन्यवाद।"}


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """Speaks LibreTranslate's POST /translate: q (str or list), source, target, api_key."""

    requests: list[dict[str, Any]] = []
    fail_with: int | None = None

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.path != "/translate":
            return self._reply(404, {"error": "not found"})
        if type(self).fail_with:
            return self._reply(type(self).fail_with or 500, {"error": "server is overloaded"})
        if body.get("api_key") != "secret-key":
            return self._reply(403, {"error": "Invalid API key"})
        if body["target"] != "hi":
            return self._reply(400, {"error": f"{body['target']} is not supported"})
        texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
        out = [GLOSSARY.get(t, f"[hi] {t}") for t in texts]
        self._reply(200, {"translatedText": out if isinstance(body["q"], list) else out[0]})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FakeLibreTranslate.requests = []
    FakeLibreTranslate.fail_with = None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_http_translator_keeps_order_batches_and_sends_the_key(server: str) -> None:
    texts = ["Good morning.", "Where is the station?", "Thank you.", "Good morning.", "Bye"]
    out = HttpTranslator(server, api_key="secret-key", batch_size=2).translate(texts, "en-US", "hi")
    assert out == ["सुप्रभात।", "स्टेशन कहाँ है?", "धन्यवाद।", "सुप्रभात।", "[hi] Bye"]
    assert [len(r["q"]) for r in FakeLibreTranslate.requests] == [2, 2, 1]
    assert {(r["source"], r["target"], r["format"]) for r in FakeLibreTranslate.requests} == {
        ("en", "hi", "text")
    }


def test_http_translator_reports_refusals_and_outages(server: str) -> None:
    with pytest.raises(TranslationFailed, match="Invalid API key") as refused:
        HttpTranslator(server, api_key="wrong").translate(["Thank you."], "en", "hi")
    assert refused.value.retryable is False
    FakeLibreTranslate.fail_with = 503
    with pytest.raises(TranslationFailed, match="overloaded") as outage:
        HttpTranslator(server, api_key="secret-key").translate(["Thank you."], "en", "hi")
    assert outage.value.retryable is True
    with pytest.raises(TranslationFailed, match="could not be reached") as unreachable:
        HttpTranslator("http://127.0.0.1:9", timeout=2).translate(["x"], "en", "hi")
    assert unreachable.value.retryable is True


@pytest.mark.skipif(
    importlib.util.find_spec("argostranslate") is not None, reason="argostranslate is installed"
)
def test_offline_translator_says_what_to_install_when_no_model_is_present(tmp_path: Path) -> None:
    with pytest.raises(TranslationUnavailable, match="argostranslate"):
        OfflineModelTranslator().translate(["Hello"], "en", "hi")
    reason = OfflineModelTranslator(marian_dir=tmp_path).available("en", "hi")
    assert reason is not None and "config.json" in reason


def _film() -> tuple[Timeline, VoiceTrack]:
    texts = list(GLOSSARY)
    lines, voiced, clock = [], [], 0.6
    for n, text in enumerate(texts):
        words = [
            WordTiming(word=w.strip(".?"), start=0.1 + 0.3 * i, end=0.35 + 0.3 * i)
            for i, w in enumerate(text.split())
        ]
        duration = words[-1].end + 0.1
        voiced.append(
            VoicedLine(line_id=f"l{n}", audio="k", duration=duration, words=words, phonemes=[], voice_id="v")
        )
        lines.append(
            TimedLine(
                line_id=f"l{n}",
                scene_index=0,
                speaker="narrator",
                text=text,
                start=clock,
                end=clock + duration,
            )
        )
        clock += duration + 0.5
    return Timeline(duration=clock, scenes=[], lines=lines), VoiceTrack(lines=voiced)


def _inputs(translate_to: list[str]) -> SubtitleInput:
    timeline, voices = _film()
    return SubtitleInput(timeline=timeline, voices=voices, language="en", style=SubtitleStyle(),
                         width=1280, height=720, translate_to=translate_to)  # fmt: skip


def test_stage_writes_srt_vtt_and_ass_for_the_original_and_a_translated_track(
    server: str, tmp_path: Path
) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    settings = SubtitleSettings(translator="http", translate_url=server, translate_api_key="secret-key")  # type: ignore[arg-type]
    result = SubtitleStage(settings).run(_inputs(["hi"]), StageContext(artifacts=store, work_dir=tmp_path))
    assert isinstance(result, Subtitles)
    english, hindi = result.tracks
    assert (english.label, english.translated) == ("English", False)
    assert (hindi.language, hindi.label, hindi.translated) == ("hi", "Hindi (machine translated)", True)
    assert [c.text for c in hindi.cues] == list(GLOSSARY.values())
    assert [c.start for c in hindi.cues] == [c.start for c in english.cues]
    srt = store.path(hindi.srt).read_text(encoding="utf-8")
    ass = store.path(hindi.ass).read_text(encoding="utf-8")
    assert "स्टेशन कहाँ है?" in srt and store.path(hindi.vtt).read_text(encoding="utf-8").startswith("WEBVTT")
    assert "PlayResX: 1280" in ass and "Noto Sans Devanagari" in ass
    assert "Noto Sans," in store.path(english.ass).read_text(encoding="utf-8")


def test_stage_fails_with_a_clear_reason_when_translation_is_asked_without_a_translator(
    tmp_path: Path,
) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    result = SubtitleStage(SubtitleSettings()).run(
        _inputs(["hi"]), StageContext(artifacts=store, work_dir=tmp_path)
    )
    assert isinstance(result, StageFailure)
    assert "Hindi" in result.reason and "translator" in result.reason and not result.retryable


def test_stage_reports_an_outage_as_retryable(server: str, tmp_path: Path) -> None:
    FakeLibreTranslate.fail_with = 502
    settings = SubtitleSettings(translator="http", translate_url=server, translate_api_key="secret-key")  # type: ignore[arg-type]
    store = LocalArtifactStore(tmp_path / "artifacts")
    result = SubtitleStage(settings).run(_inputs(["hi"]), StageContext(artifacts=store, work_dir=tmp_path))
    assert isinstance(result, StageFailure) and result.retryable
