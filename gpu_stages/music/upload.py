"""A creator's own music: check it, decode it with ffmpeg and fit it to the film's length."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from gpu_stages.music.arrangement import SAMPLE_RATE
from gpu_stages.music.render import fade, write_wav

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ACCEPTED_FORMATS = {"mp3", "wav"}
MAX_CROSSFADE = 2.0
"""Seconds each loop of a short upload overlaps the next."""


class MusicRejected(ValueError):
    """The uploaded music cannot be used; the message says why and what to do."""


def _probe(path: Path) -> str:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=format_name:stream=codec_type", "-of", "json", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "unreadable"
        raise MusicRejected(f"{path.name} is not a readable MP3 or WAV file ({detail}); export it again as MP3 or WAV.")
    info = json.loads(result.stdout or "{}")
    formats = set(info.get("format", {}).get("format_name", "").split(","))
    if not formats & ACCEPTED_FORMATS:
        raise MusicRejected(f"{path.name} is {'/'.join(sorted(formats)) or 'an unknown format'}; upload an MP3 or WAV file.")
    if not any(s.get("codec_type") == "audio" for s in info.get("streams", [])):
        raise MusicRejected(f"{path.name} has no audio stream; upload an MP3 or WAV file with music in it.")
    return sorted(formats & ACCEPTED_FORMATS)[0]


def decode_upload(path: Path) -> np.ndarray:
    """Check size and format, then decode to stereo float32 at 48 kHz."""
    if not path.is_file():
        raise MusicRejected(f"the music file {path.name} was not found; upload it again.")
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise MusicRejected(
            f"{path.name} is {size / 1024 / 1024:.1f} MB; music uploads must be 50 MB or smaller. "
            "Trim it or export it as an MP3."
        )
    _probe(path)
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-vn", "-ac", "2", "-ar", str(SAMPLE_RATE),
         "-f", "f32le", "-"],
        capture_output=True, timeout=300,
    )  # fmt: skip
    errors = result.stderr.decode(errors="replace").strip()
    audio = np.frombuffer(result.stdout, dtype=np.float32)
    if result.returncode != 0 or audio.size < SAMPLE_RATE:  # under half a second of stereo
        reason = errors.splitlines()[-1] if errors else "it holds less than half a second of audio"
        raise MusicRejected(f"{path.name} could not be decoded ({reason}); export it again as MP3 or WAV.")
    audio = audio[: audio.size // 2 * 2].reshape(-1, 2)
    if not np.isfinite(audio).all() or float(np.max(np.abs(audio))) < 1e-4:
        raise MusicRejected(f"{path.name} is silent or damaged; upload a different music file.")
    return audio.copy()


def fit_length(audio: np.ndarray, seconds: float) -> np.ndarray:
    """Loop with equal-power crossfades when too short, trim with a fade-out when too long."""
    length = round(seconds * SAMPLE_RATE)
    if len(audio) < length:
        overlap = int(min(MAX_CROSSFADE * SAMPLE_RATE, len(audio) // 4))
        ramp = np.sin(np.linspace(0.0, np.pi / 2, overlap, dtype=np.float32))[:, None]
        pieces = [audio]
        total = len(audio)
        while total < length:
            pieces.append(audio)
            total += len(audio) - overlap
        out = np.zeros((total, 2), dtype=np.float32)
        position = 0
        for i, piece in enumerate(pieces):
            block = piece.copy()
            if i > 0 and overlap:
                block[:overlap] *= ramp
            if i < len(pieces) - 1 and overlap:
                block[-overlap:] *= ramp[::-1]
            out[position : position + len(block)] += block
            position += len(block) - overlap
        audio = out
    audio = audio[:length].copy()
    return fade(audio, min(0.02, seconds / 4), min(2.0, seconds / 8))


def music_from_upload(path: Path | str, duration: float, out_path: Path | None = None) -> Path:
    """A 48 kHz stereo WAV of the uploaded MP3/WAV, exactly `duration` seconds long."""
    if duration <= 0:
        raise ValueError("duration must be positive")
    audio = fit_length(decode_upload(Path(path)), duration)
    target = out_path or Path(tempfile.mkdtemp(prefix="upload-")) / "music.wav"
    return write_wav(target, audio)
