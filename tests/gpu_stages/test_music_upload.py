"""Creator uploads: looped or trimmed to the exact length, corrupt and oversized files refused clearly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from gpu_stages.music.arrangement import SAMPLE_RATE
from gpu_stages.music.upload import MusicRejected, music_from_upload

pytestmark = pytest.mark.media


def tone_wav(path: Path, seconds: float, rate: int = 44100, frequency: float = 330.0) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.3 * np.sin(2 * np.pi * frequency * t), rate)
    return path


def window_rms(audio: np.ndarray, seconds: float = 0.05) -> np.ndarray:
    n = int(seconds * SAMPLE_RATE)
    frames = audio[: len(audio) // n * n].mean(axis=1).reshape(-1, n)
    return np.sqrt(np.mean(np.square(frames), axis=1))


def test_a_short_upload_is_looped_with_crossfades_to_the_exact_duration(tmp_path: Path) -> None:
    wav = music_from_upload(tone_wav(tmp_path / "short.wav", 3.0), 10.25, tmp_path / "out.wav")
    audio, rate = sf.read(wav, always_2d=True)
    assert rate == SAMPLE_RATE and audio.shape == (round(10.25 * SAMPLE_RATE), 2)
    body = window_rms(audio)[2:-45]  # ignore the fade-in and the final fade-out
    assert body.min() > 0.5 * body.max(), "the loop joins dip or go silent"


def test_a_long_mp3_is_trimmed_to_the_exact_duration_with_a_fade(tmp_path: Path) -> None:
    mp3 = tmp_path / "long.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=12",
            "-ac",
            "2",
            str(mp3),
        ],
        check=True,
    )
    audio, rate = sf.read(music_from_upload(mp3, 4.0, tmp_path / "out.wav"), always_2d=True)
    assert rate == SAMPLE_RATE and len(audio) == 4 * SAMPLE_RATE
    levels = window_rms(audio)
    assert levels[-1] < 0.1 * levels[len(levels) // 3], "no fade-out at the cut"


def test_a_corrupt_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "song.mp3"
    bad.write_bytes(np.random.default_rng(0).bytes(20000))
    with pytest.raises(MusicRejected, match="MP3 or WAV"):
        music_from_upload(bad, 5.0)


def test_a_file_over_50_mb_is_refused_before_decoding(tmp_path: Path) -> None:
    big = tmp_path / "huge.wav"
    with big.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: no need to write 51 MB
    with pytest.raises(MusicRejected, match=r"51\.0 MB.*50 MB or smaller"):
        music_from_upload(big, 5.0)


def test_a_file_that_is_not_audio_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("these are my notes, not a song\n" * 50)
    with pytest.raises(MusicRejected):
        music_from_upload(text, 5.0)
