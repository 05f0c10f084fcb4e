"""A creator's own music: check it, decode it with ffmpeg and fit it to the film's length."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from scipy.signal import correlate

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
        ["ffprobe", "-v", "error", "-show_entries", "format=format_name:stream=codec_type",
         "-of", "json", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "unreadable"
        raise MusicRejected(
            f"{path.name} is not a readable MP3 or WAV file ({detail}); export it again as MP3 or WAV."
        )
    info = json.loads(result.stdout or "{}")
    formats = set(info.get("format", {}).get("format_name", "").split(","))
    if not formats & ACCEPTED_FORMATS:
        raise MusicRejected(
            f"{path.name} is {'/'.join(sorted(formats)) or 'an unknown format'}; upload an MP3 or WAV file."
        )
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


def loop_period(audio: np.ndarray, overlap: int, search: int) -> tuple[int, float]:
    """Where the next loop should start so its head lines up in phase with this loop's tail.

    Returns the start offset and the correlation there; aligning avoids the comb-filter dip a blind
    crossfade of a song against itself can cause.
    """
    mono = audio.mean(axis=1)
    head = mono[:overlap]
    first = max(1, len(mono) - overlap - search)
    last = min(len(mono) - overlap, len(mono) - overlap + search)
    region = mono[first : last + overlap]
    scores = correlate(region, head, mode="valid")
    energy = np.sqrt(
        np.convolve(np.square(region), np.ones(overlap), mode="valid") * float(np.dot(head, head))
    )
    normalised = scores / np.maximum(energy, 1e-12)
    best = int(np.argmax(normalised))
    return first + best, float(normalised[best])


def fit_length(audio: np.ndarray, seconds: float) -> np.ndarray:
    """Loop with phase-aligned crossfades when too short, trim with a fade-out when too long."""
    length = round(seconds * SAMPLE_RATE)
    if len(audio) < length:
        overlap = int(min(MAX_CROSSFADE * SAMPLE_RATE, len(audio) // 4))
        period, similarity = loop_period(audio, overlap, search=int(0.025 * SAMPLE_RATE))
        overlap = len(audio) - period
        fraction = np.linspace(0.0, 1.0, overlap, dtype=np.float32)
        # in-phase material sums linearly; unrelated material needs equal power to keep its level
        rise = fraction if similarity > 0.5 else np.sin(fraction * np.pi / 2)
        fall = 1 - fraction if similarity > 0.5 else np.cos(fraction * np.pi / 2)
        repeats = int(np.ceil((length - len(audio)) / period)) + 1
        out = np.zeros((period * (repeats - 1) + len(audio), 2), dtype=np.float32)
        for i in range(repeats):
            block = audio.copy()
            if i > 0:
                block[:overlap] *= rise[:, None]
            if i < repeats - 1:
                block[-overlap:] *= fall[:, None]
            out[i * period : i * period + len(block)] += block
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
