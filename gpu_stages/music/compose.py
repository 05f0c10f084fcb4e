"""Compose and render one cue: pick the style's composer, render, fit the exact length, level it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from gpu_stages.music.arrangement import SAMPLE_RATE, Arrangement, CueRequest
from gpu_stages.music.indian import compose_devotional, compose_raga, compose_recitation
from gpu_stages.music.render import (
    HOUSE_LUFS,
    fade,
    loop_seamlessly,
    mix_layers,
    normalise,
    synthesise_midi,
    write_wav,
)
from gpu_stages.music.western import compose_ambient, compose_orchestral, compose_piano, compose_pop

DEFAULT_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
LOOP_OVERLAP = 1.5
"""Seconds composed past the end of a looping cue and folded over its head."""

Composer = Callable[[Arrangement, CueRequest], None]
COMPOSERS: dict[str, Composer] = {
    "raga": compose_raga,
    "devotional": compose_devotional,
    "recitation": compose_recitation,
    "orchestral": compose_orchestral,
    "piano": compose_piano,
    "pop": compose_pop,
    "ambient": compose_ambient,
}


class UnknownStyle(ValueError):
    """The style has no composer (e.g. 'upload' or 'none')."""


def arrange(request: CueRequest) -> Arrangement:
    """The composed parts of a cue, before rendering."""
    if request.style not in COMPOSERS:
        raise UnknownStyle(
            f"no composer for music style {request.style!r}; choose one of {sorted(COMPOSERS)}"
        )
    seconds = request.seconds + (0.0 if request.cadence else LOOP_OVERLAP)
    arrangement = Arrangement(seconds=seconds)
    composer_request = CueRequest(**{**request.__dict__, "seconds": seconds})
    COMPOSERS[request.style](arrangement, composer_request)
    return arrangement


def compose_cue(
    request: CueRequest, *, soundfont: Path = DEFAULT_SOUNDFONT, work_dir: Path | None = None
) -> np.ndarray:
    """Render a cue to stereo float32 at 48 kHz, exactly `round(seconds * 48000)` samples long."""
    if request.seconds <= 0:
        raise ValueError("a cue needs a positive duration")
    arrangement = arrange(request)
    work = work_dir or Path(tempfile.mkdtemp(prefix="cue-"))
    name = f"{request.style}-{request.mood}-{request.seed}-{round(request.seconds * 1000)}"
    rendered = (
        synthesise_midi(arrangement, soundfont, work, name)
        if arrangement.midi.instruments
        else np.zeros((0, 2), np.float32)
    )
    full_length = round(arrangement.seconds * SAMPLE_RATE)
    audio = mix_layers(full_length, rendered, arrangement.layers)
    length = round(request.seconds * SAMPLE_RATE)
    if request.cadence:
        audio = fade(audio[:length], min(0.25, request.seconds / 8), min(1.5, request.seconds / 5))
    else:
        audio = loop_seamlessly(audio, length, round(LOOP_OVERLAP * SAMPLE_RATE))
    return normalise(audio, HOUSE_LUFS + arrangement.loudness_offset)


def write_cue(
    request: CueRequest, out_path: Path, *, soundfont: Path = DEFAULT_SOUNDFONT, work_dir: Path | None = None
) -> Path:
    """Compose a cue and write it as a 48 kHz stereo 24-bit WAV."""
    return write_wav(out_path, compose_cue(request, soundfont=soundfont, work_dir=work_dir))
