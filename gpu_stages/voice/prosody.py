"""Age and emotion applied to speech: rate by the engine, pitch and formants by Praat, level by gain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gpu_stages.voice.presets import VoiceTransform
from gpu_stages.voice.synthesis import Synthesis
from schemas.media import Emotion

MIN_SPEED, MAX_SPEED = 0.75, 1.5


class SpeedOutOfRange(ValueError):
    """A requested speaking speed outside what sounds natural."""

    def __init__(self, speed: float) -> None:
        super().__init__(
            f"Voice speed {speed:g}x is outside the allowed range {MIN_SPEED}-{MAX_SPEED}x; "
            f"choose a speed between {MIN_SPEED} and {MAX_SPEED}"
        )


def check_speed(speed: float) -> float:
    """Return `speed` if it is within 0.75-1.5x, else raise SpeedOutOfRange."""
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise SpeedOutOfRange(speed)
    return speed


@dataclass(frozen=True)
class EmotionProsody:
    """How an emotion bends delivery: rate and pitch multipliers, pitch-range factor, loudness offset."""

    rate: float = 1.0
    pitch: float = 1.0
    pitch_range: float = 1.0
    gain_db: float = 0.0


EMOTIONS: dict[Emotion, EmotionProsody] = {
    "neutral": EmotionProsody(),
    "happy": EmotionProsody(rate=1.06, pitch=1.06, pitch_range=1.2, gain_db=1.0),
    "excited": EmotionProsody(rate=1.12, pitch=1.1, pitch_range=1.35, gain_db=2.0),
    "surprised": EmotionProsody(rate=1.04, pitch=1.12, pitch_range=1.4, gain_db=1.5),
    "sad": EmotionProsody(rate=0.9, pitch=0.94, pitch_range=0.75, gain_db=-2.5),
    "calm": EmotionProsody(rate=0.94, pitch=0.98, pitch_range=0.85, gain_db=-1.0),
    "angry": EmotionProsody(rate=1.04, pitch=1.03, pitch_range=1.25, gain_db=3.5),
}


def engine_rate(transform: VoiceTransform, emotion: Emotion, speed: float, pace: float) -> float:
    """The speaking-rate multiplier handed to the engine (rate changes are best made at synthesis)."""
    return transform.rate * EMOTIONS[emotion].rate * speed * pace


def median_pitch(audio: np.ndarray, rate: int, floor: float = 75.0, ceiling: float = 600.0) -> float:
    """Median F0 of the voiced frames in Hz (0 if nothing is voiced)."""
    import parselmouth

    pitch = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=rate).to_pitch(
        pitch_floor=floor, pitch_ceiling=ceiling
    )
    f0 = pitch.selected_array["frequency"]
    voiced = f0[f0 > 0]
    return float(np.median(voiced)) if len(voiced) else 0.0


def apply_character(synthesis: Synthesis, transform: VoiceTransform, emotion: Emotion) -> Synthesis:
    """Move pitch and formants with Praat's "Change gender" and add tremolo; timings are unchanged."""
    mood = EMOTIONS[emotion]
    audio = synthesis.audio
    pitch_change = transform.pitch_median_hz is not None or transform.pitch_factor != 1.0 or mood.pitch != 1.0
    if pitch_change or transform.formant_shift != 1.0 or mood.pitch_range != 1.0:
        import parselmouth
        from parselmouth.praat import call

        current = median_pitch(audio, synthesis.sample_rate)
        if current > 0:
            base = transform.pitch_median_hz if transform.pitch_median_hz is not None else current
            target = base * transform.pitch_factor * mood.pitch
            sound = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=synthesis.sample_rate)
            changed = call(
                sound,
                "Change gender",
                75,
                600,
                transform.formant_shift,
                target if pitch_change else 0.0,
                mood.pitch_range,
                1.0,
            )
            out = np.asarray(changed.values[0], dtype=np.float32)
            # Change gender keeps duration at factor 1.0, give or take a sample of rounding
            audio = np.pad(out, (0, max(0, len(audio) - len(out))))[: len(audio)]
    if transform.tremolo_depth > 0:
        t = np.arange(len(audio)) / synthesis.sample_rate
        audio = audio * (1.0 + transform.tremolo_depth * np.sin(2 * np.pi * transform.tremolo_hz * t))
    return synthesis.shifted(audio.astype(np.float32), 0.0)
