"""Open an uploaded narration file: size and format checks, decoded once to mono float audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np

MAX_NARRATION_BYTES = 50 * 1024 * 1024
MIN_SECONDS = 0.5
SILENT_PEAK = 1e-4
"""Below this peak (about -80 dBFS) there is nothing to transcribe."""


class NarrationRejected(ValueError):
    """The uploaded narration cannot be used; the message says why and what to upload instead."""


def decode_narration(path: Path, rate: int) -> np.ndarray:
    """The upload as float32 mono at `rate` Hz, or `NarrationRejected` with what to fix."""
    if not path.is_file():
        raise NarrationRejected("the narration upload is missing; upload the WAV or MP3 again")
    size = path.stat().st_size
    if size == 0:
        raise NarrationRejected("the narration upload is empty; upload a WAV or MP3 recording")
    if size > MAX_NARRATION_BYTES:
        raise NarrationRejected(
            f"the narration is {size / 1e6:.1f} MB; the limit is 50 MB - export it as MP3 "
            "(128 kbit/s keeps an hour under 60 MB; split longer recordings)"
        )
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=rate)
    except Exception as error:  # PyAV raises many error types (InvalidDataError, ValueError...) for bad files
        raise NarrationRejected(
            "the narration file could not be decoded as audio; it may be corrupt or not a WAV/MP3 - "
            f"export it again as WAV or MP3 ({type(error).__name__})"
        ) from error
    audio = np.asarray(audio, dtype=np.float32)
    if len(audio) < MIN_SECONDS * rate:
        raise NarrationRejected(
            f"the narration is {len(audio) / rate:.2f} s long; upload at least {MIN_SECONDS} s of speech"
        )
    if float(np.max(np.abs(audio))) < SILENT_PEAK:
        raise NarrationRejected("the narration is silent; check the recording's input level and upload it again")
    return audio
