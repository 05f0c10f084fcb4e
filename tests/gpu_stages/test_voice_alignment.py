"""Timings without model durations (energy alignment), and the asset check that gates Kokoro."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from gpu_stages.voice.assets import KokoroAssets
from gpu_stages.voice.energy_alignment import align_by_energy, speech_onset
from gpu_stages.voice.visemes import viseme_for

RATE = 24000


def bursts(spans: list[tuple[float, float]], total: float) -> np.ndarray:
    """Noise where the spans are, silence elsewhere (a stand-in for words with pauses between them)."""
    rng = np.random.default_rng(7)
    audio = np.zeros(int(total * RATE), dtype=np.float32)
    for start, end in spans:
        audio[int(start * RATE) : int(end * RATE)] = rng.normal(0, 0.2, int(end * RATE) - int(start * RATE))
    return audio


def test_word_boundaries_snap_to_the_silences_between_words() -> None:
    truth = [(0.20, 0.55), (0.62, 1.30), (1.38, 1.60)]
    audio = bursts(truth, 1.8)
    # phoneme counts deliberately disagree with the true lengths: the joins must still find the gaps
    words, phonemes = align_by_energy(
        audio, RATE, ["one", "three", "to"], [list("wʌn"), list("θɹi"), list("tu")]
    )
    assert abs(speech_onset(audio, RATE) - 0.20) < 0.01
    for word, (start, end) in zip(words, truth, strict=True):
        assert abs(word.start - start) < 0.08 and abs(word.end - end) < 0.08
    assert [p.symbol for p in phonemes] == list("wʌnθɹitu")
    assert all(words[0].start <= p.start < p.end <= words[-1].end for p in phonemes)
    assert viseme_for(phonemes[-1].symbol) == "round"


def test_missing_or_incomplete_assets_name_the_install_command(tmp_path: Path) -> None:
    assets = KokoroAssets(tmp_path)
    problem = assets.problem()
    assert problem is not None and "python -m gpu_stages.voice.assets install" in problem
    assets.model.write_bytes(b"x" * 10)
    assets.voices.write_bytes(b"y")
    assets.manifest.write_text(json.dumps({"format": 1, "model_size": 999, "timed": True}))
    assert "incomplete" in (assets.problem() or "")
    assets.manifest.write_text(json.dumps({"format": 1, "model_size": 10, "timed": True}))
    assert assets.problem() is None and assets.has_timings()
