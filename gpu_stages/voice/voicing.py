# ruff: noqa: RUF001 - IPA and non-Latin scripts are meant here
"""Voice one line: pick the engine, synthesise, apply age and emotion, level, store, and cache the result."""

from __future__ import annotations

import io
import logging
import string
from dataclasses import dataclass, field

import numpy as np
import soundfile as sf

from gpu_stages.contract import ArtifactStore
from gpu_stages.voice.espeak_engine import EspeakEngine, EspeakVoice
from gpu_stages.voice.kokoro_engine import LANGUAGE_CODES, KokoroEngine
from gpu_stages.voice.line_cache import LineIndex, line_key
from gpu_stages.voice.loudness import level
from gpu_stages.voice.presets import VoicePreset
from gpu_stages.voice.prosody import EMOTIONS, apply_character, check_speed, engine_rate
from gpu_stages.voice.synthesis import EngineUnavailable, Synthesis
from gpu_stages.voice.visemes import PAUSE, viseme_for
from schemas.media import Emotion, PhonemeTiming, VoicedLine, WordTiming

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
LEAD_IN = 0.05
"""Seconds of silence before the first word, so a cut or crossfade never clips its onset."""
TAIL = 0.08
ESPEAK_BASE_WPM = 165
PIPELINE_VERSION = "2"
"""Bump when timing, transform or levelling code changes what a line sounds like, to retire cached lines."""
ESPEAK_LANGUAGES = {"zh": "cmn"}
ESPEAK_UNREADABLE = {"ja"}
"""espeak-ng reads kanji as "Chinese letter": Japanese drafts keep Kokoro when it is installed."""
_STRIP = string.punctuation + "¡¿«»“”‘’…—–،؟。、，！？"


@dataclass
class VoicerStats:
    """How many lines were synthesised and how many were served from the cache."""

    synthesized: int = 0
    reused: int = 0
    warnings: list[str] = field(default_factory=list)


class LineVoicer:
    """Turns (text, preset, emotion, speed) into a stored, levelled WAV with word and phoneme timings."""

    def __init__(
        self,
        kokoro: KokoroEngine | None,
        espeak: EspeakEngine,
        index: LineIndex | None = None,
        target_lufs: float = -20.0,
    ) -> None:
        self.kokoro = kokoro
        self.espeak = espeak
        self.index = index or LineIndex()
        self.target_lufs = target_lufs
        self.stats = VoicerStats()
        self._kokoro_problem: str | None = None

    def engine_for(self, preset: VoicePreset, draft: bool) -> str:
        """'kokoro' when the preset asks for it and it can run here, else 'espeak' (with a warning).

        Drafts use espeak-ng, except for languages espeak-ng cannot read (Japanese).
        """
        if preset.engine == "espeak" or preset.language not in LANGUAGE_CODES:
            return "espeak"
        problem = self.kokoro.problem() if self.kokoro is not None else "Kokoro engine not configured"
        if draft and (preset.language not in ESPEAK_UNREADABLE or problem):
            return "espeak"
        if problem:
            if problem != self._kokoro_problem:
                message = f"{problem}. Falling back to espeak-ng voices, which are less natural."
                log.warning(message)
                self.stats.warnings.append(message)
                self._kokoro_problem = problem
            return "espeak"
        return "kokoro"

    def _synthesize(self, text: str, preset: VoicePreset, engine: str, rate: float) -> Synthesis:
        if engine == "kokoro":
            assert self.kokoro is not None
            return self.kokoro.synthesize(text, preset.voices, preset.language, rate)
        language = next(iter(preset.voices)) if preset.engine == "espeak" else preset.language
        voice = EspeakVoice(
            language=ESPEAK_LANGUAGES.get(language, language),
            variant=preset.espeak_variant,
            rate_wpm=int(np.clip(ESPEAK_BASE_WPM * rate, 80, 450)),
        )
        return self.espeak.synthesize(text, voice)

    def voice(
        self,
        line_id: str,
        text: str,
        preset: VoicePreset,
        artifacts: ArtifactStore,
        emotion: Emotion = "neutral",
        speed: float = 1.0,
        pace: float = 1.0,
        draft: bool = False,
    ) -> VoicedLine:
        """The voiced line, synthesised once per distinct input and reused from the index afterwards."""
        check_speed(speed)
        engine = self.engine_for(preset, draft)
        version = self.kokoro.version if engine == "kokoro" and self.kokoro else self.espeak.version
        key = line_key(
            text=text,
            preset=preset.model_dump(mode="json", exclude={"id", "label"}),
            emotion=emotion,
            speed=round(speed, 4),
            pace=round(pace, 4),
            engine=version,
            lufs=self.target_lufs,
            lead=LEAD_IN,
            pipeline=PIPELINE_VERSION,
        )
        cached = self.index.get(key)
        if cached is not None and artifacts.exists(cached["audio"]):
            self.stats.reused += 1
            return VoicedLine.model_validate({**cached, "line_id": line_id, "voice_id": preset.id})
        rate = engine_rate(preset.transform, emotion, speed, pace)
        raw = self._synthesize(text, preset, engine, rate)
        shaped = apply_character(raw, preset.transform, emotion)
        audio = level(shaped.audio, SAMPLE_RATE, self.target_lufs + EMOTIONS[emotion].gain_db)
        lead, tail = int(LEAD_IN * SAMPLE_RATE), int(TAIL * SAMPLE_RATE)
        padded = np.concatenate([np.zeros(lead, np.float32), audio, np.zeros(tail, np.float32)])
        final = shaped.shifted(padded, LEAD_IN)
        self.stats.synthesized += 1
        voiced = _voiced_line(line_id, preset.id, final, artifacts.put_bytes(_wav_bytes(padded), ".wav"))
        self.index.put(key, voiced.model_dump(mode="json", exclude={"line_id", "voice_id"}))
        return voiced


def _wav_bytes(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(audio, -1.0, 1.0), SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _voiced_line(line_id: str, voice_id: str, synthesis: Synthesis, audio_key: str) -> VoicedLine:
    """Clamp timings inside the audio and keep them monotonic (words never overlap)."""
    duration = round(synthesis.duration, 4)
    words: list[WordTiming] = []
    clock = 0.0
    for w in synthesis.words:
        text = w.text.strip(_STRIP) or w.text
        start = min(max(w.start, clock), duration)
        end = min(max(w.end, start), duration)
        words.append(WordTiming(word=text, start=round(start, 4), end=round(end, 4)))
        clock = end
    phonemes: list[PhonemeTiming] = []
    clock = 0.0
    for p in synthesis.phonemes:
        start = min(max(p.start, clock), duration)
        end = min(max(p.end, start), duration)
        if end <= start:
            continue
        symbol = p.symbol if p.symbol.strip() else PAUSE
        phonemes.append(
            PhonemeTiming(phoneme=symbol, start=round(start, 4), end=round(end, 4), viseme=viseme_for(symbol))
        )
        clock = end
    return VoicedLine(
        line_id=line_id, audio=audio_key, duration=duration, words=words, phonemes=phonemes, voice_id=voice_id
    )


__all__ = ["EngineUnavailable", "LineVoicer", "VoicerStats"]
