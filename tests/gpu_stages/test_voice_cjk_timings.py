# ruff: noqa: RUF001 - Chinese and Japanese punctuation is meant here
"""Chinese and Japanese lines get a timing span per character (or word), measured against the audio."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.subtitles.cues import build_cues
from gpu_stages.voice.assets import KokoroAssets, default_dir
from gpu_stages.voice.espeak_engine import EspeakEngine
from gpu_stages.voice.kokoro_engine import KokoroEngine
from gpu_stages.voice.presets import get_preset
from gpu_stages.voice.voicing import LineVoicer
from gpu_stages.voice.word_units import spoken_units, timed_units
from schemas.media import SceneSpan, TimedLine, Timeline, VoicedLine, VoiceTrack

pytestmark = pytest.mark.media

_kokoro_problem = KokoroAssets(default_dir()).problem()
ENGINES = [
    "espeak",
    pytest.param(
        "kokoro", marks=pytest.mark.skipif(_kokoro_problem is not None, reason=f"{_kokoro_problem}")
    ),
]
TWO_SENTENCES = "我们今天去公园散步，天气很好。明天我们一起去海边看日出吧。"
WINDOW = 0.01


def levels_db(audio: np.ndarray, rate: int) -> np.ndarray:
    """RMS of 10 ms windows in dB below the loudest window."""
    size = int(WINDOW * rate)
    frames = audio[: len(audio) // size * size].reshape(-1, size)
    rms = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) + 1e-12
    db: np.ndarray = 20 * np.log10(rms / rms.max())
    return db


def onset_and_offset(audio: np.ndarray, rate: int) -> tuple[float, float]:
    loud = np.flatnonzero(levels_db(audio, rate) > -30)
    return float(loud[0] * WINDOW), float((loud[-1] + 1) * WINDOW)


def resumptions(audio: np.ndarray, rate: int, min_gap: float = 0.06) -> list[float]:
    """Where speech starts again after a quiet run of at least `min_gap` seconds inside the line."""
    loud = levels_db(audio, rate) > -30
    first, last = np.flatnonzero(loud)[[0, -1]]
    found: list[float] = []
    quiet = 0
    for k in range(first, last + 1):
        if not loud[k]:
            quiet += 1
            continue
        if quiet * WINDOW >= min_gap:
            found.append(k * WINDOW)
        quiet = 0
    return found


@pytest.fixture(scope="module")
def voicer() -> LineVoicer:
    kokoro = None if _kokoro_problem else KokoroEngine(KokoroAssets(default_dir()))
    return LineVoicer(kokoro, EspeakEngine())


def voiced(voicer: LineVoicer, store: LocalArtifactStore, engine: str, text: str) -> VoicedLine:
    language = "ja" if any("\u3041" <= ch <= "\u30ff" for ch in text) else "zh"
    preset = get_preset(f"{language}-adult-female-1")
    # Drafts speak Chinese with espeak-ng; the full film with Kokoro.
    return voicer.voice("l1", text, preset, store, draft=engine == "espeak")


def wav(store: LocalArtifactStore, line: VoicedLine) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(io.BytesIO(store.path(line.audio).read_bytes()), dtype="float32")
    return audio, rate


def test_cjk_text_splits_into_characters_with_punctuation_and_latin_kept_whole() -> None:
    assert spoken_units("我有3个iPhone，好。") == ["我", "有", "3", "个", "iPhone，", "好。"]
    assert spoken_units("「東京」へ行った。") == ["「東", "京」", "へ", "行", "っ", "た。"]
    assert timed_units("きょうはコーヒー") == ["きょ", "う", "は", "コー", "ヒー"]
    assert spoken_units("Hello, world! 안녕 하세요") == ["Hello,", "world!", "안녕", "하세요"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_chinese_sentence_gets_one_monotonic_span_per_character_covering_its_audio(
    tmp_path: Path, voicer: LineVoicer, engine: str
) -> None:
    store = LocalArtifactStore(tmp_path)
    line = voiced(voicer, store, engine, TWO_SENTENCES)
    audio, rate = wav(store, line)
    characters = [ch for ch in TWO_SENTENCES if ch.isalnum()]
    assert [w.word for w in line.words] == characters
    ends = [0.0] + [w.end for w in line.words]
    assert all(ends[i] <= w.start < w.end for i, w in enumerate(line.words))  # monotonic, no overlap
    onset, offset = onset_and_offset(audio, rate)
    assert abs(line.words[0].start - onset) < 0.08
    assert abs(line.words[-1].end - offset) < 0.2
    gaps = [b.start - a.end for a, b in zip(line.words, line.words[1:], strict=False)]
    assert max(gaps) < 0.4  # the spans cover the speech: only pauses at punctuation lie between them
    durations = [w.end - w.start for w in line.words]
    assert min(durations) > 0.03 and max(durations) < 0.8  # one syllable each, not a whole sentence


@pytest.mark.parametrize("engine", ENGINES)
def test_the_second_sentences_subtitle_cue_starts_where_its_speech_resumes(
    tmp_path: Path, voicer: LineVoicer, engine: str
) -> None:
    store = LocalArtifactStore(tmp_path)
    line = voiced(voicer, store, engine, TWO_SENTENCES)
    audio, rate = wav(store, line)
    at = 3.0  # the line's place on the film clock
    timeline = Timeline(
        duration=at + line.duration + 1,
        scenes=[SceneSpan(scene_index=0, start=0, end=at + line.duration + 1)],
        lines=[
            TimedLine(
                line_id="l1",
                scene_index=0,
                speaker="mei",
                text=TWO_SENTENCES,
                start=at,
                end=at + line.duration,
            )
        ],
    )
    cues = build_cues(timeline, VoiceTrack(lines=[line]), "zh")
    assert [c.text for c in cues] == ["我们今天去公园散步，天气很好。", "明天我们一起去海边看日出吧。"]
    onset, _ = onset_and_offset(audio, rate)
    assert abs(cues[0].start - (at + onset)) < 0.08
    # The second cue starts at the first character of its sentence: where speech resumes after the full stop.
    resumed = min(resumptions(audio, rate), key=lambda t: abs(at + t - cues[1].start))
    assert abs(cues[1].start - (at + resumed)) < 0.08
    assert cues[0].end <= cues[1].start


@pytest.mark.skipif(_kokoro_problem is not None, reason=f"{_kokoro_problem}")
def test_a_japanese_line_keeps_a_span_per_word_from_the_tokeniser(tmp_path: Path, voicer: LineVoicer) -> None:
    store = LocalArtifactStore(tmp_path)
    line = voiced(voicer, store, "kokoro", "東京へ行った。明日は京都に行きます。")
    audio, rate = wav(store, line)
    assert [w.word for w in line.words] == ["東京へ", "行った", "明日は", "京都に", "行きます"]
    ends = [0.0] + [w.end for w in line.words]
    assert all(ends[i] <= w.start < w.end for i, w in enumerate(line.words))
    assert abs(line.words[0].start - onset_and_offset(audio, rate)[0]) < 0.08
    cues = build_cues(
        Timeline(
            duration=line.duration,
            scenes=[SceneSpan(scene_index=0, start=0, end=line.duration)],
            lines=[
                TimedLine(
                    line_id="l1",
                    scene_index=0,
                    speaker="a",
                    text="東京へ行った。明日は京都に行きます。",
                    start=0,
                    end=line.duration,
                )
            ],
        ),
        VoiceTrack(lines=[line]),
        "ja",
    )
    assert cues[0].start == pytest.approx(line.words[0].start, abs=1e-3)
