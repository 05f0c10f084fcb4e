"""Voices spoken by a local VITS model (transformers `VitsModel`, e.g. an MMS-TTS checkpoint)."""

from __future__ import annotations

import io
import math
import string
import zlib
from typing import Any, ClassVar

import numpy as np
import soundfile as sf
from pydantic import BaseModel, Field

from gpu_stages.contract import StageContext
from gpu_stages.models.letter_timing import spread_words
from gpu_stages.models.model_stage import ModelStage
from gpu_stages.models.runtime import Device, model_folder, pick_device, require, torch_ready
from gpu_stages.voice.loudness import level
from gpu_stages.voice.prosody import MAX_SPEED, MIN_SPEED
from gpu_stages.voice.stage import VoiceInput
from gpu_stages.voice.synthesis import RawPhoneme, RawWord, Synthesis
from gpu_stages.voice.visemes import PAUSE, viseme_for
from gpu_stages.voice.voicing import LEAD_IN, SAMPLE_RATE, TAIL
from schemas.media import PhonemeTiming, ScriptPlan, StageFailure, VoicedLine, VoiceTrack, WordTiming

_STRIP = string.punctuation + "\u2026\u2014\u2013\u00ab\u00bb\u201c\u201d\u2018\u2019\u00a1\u00bf"


class VitsVoiceSettings(BaseModel):
    """Where the saved VITS model lives; lines are levelled like the offline voices."""

    model_dir: str | None = Field(None, description="folder of a VitsModel and its VitsTokenizer")
    device: Device = "auto"
    language: str | None = Field(None, description="the model's language (BCP-47); None: accept any script")
    target_lufs: float = -20.0
    seed: int = 0
    threads: int = Field(1, ge=0, description="torch CPU threads (0: torch's default)")


def token_spans(tokens: list[str], frames: list[float], seconds_per_frame: float, blank: str) -> list[RawPhoneme]:
    """Each non-blank token as a timed symbol; a blank's time goes to the token before it."""
    spans: list[RawPhoneme] = []
    clock = 0.0
    for token, count in zip(tokens, frames, strict=True):
        length = count * seconds_per_frame
        if token == blank and spans:
            last = spans[-1]
            spans[-1] = RawPhoneme(last.symbol, last.start, last.end + length)
        elif token != blank:
            spans.append(RawPhoneme(token, clock, clock + length))
        elif length > 0:
            spans.append(RawPhoneme(PAUSE, clock, clock + length))
        clock += length
    return spans


def words_from_spans(spans: list[RawPhoneme]) -> list[RawWord]:
    """Runs of symbols between spaces (and pauses) as words."""
    words: list[RawWord] = []
    current: list[RawPhoneme] = []
    for span in [*spans, RawPhoneme(" ", 0.0, 0.0)]:
        if span.symbol.strip() and span.symbol != PAUSE:
            current.append(span)
        elif current:
            words.append(RawWord("".join(s.symbol for s in current), current[0].start, current[-1].end))
            current = []
    return words


class VitsVoiceStage(ModelStage[VitsVoiceSettings, VoiceInput, VoiceTrack]):
    """Every line spoken by one VITS model; multi-speaker models give each character its own speaker."""

    name: ClassVar[str] = "voices"
    version: ClassVar[str] = "vits-1"
    model_kind: ClassVar[str] = "VITS"

    def __init__(self, settings: VitsVoiceSettings | None = None) -> None:
        super().__init__(settings or VitsVoiceSettings())
        self._model: Any = None
        self._tokenizer: Any = None
        self._torch: Any = None
        self._device = "cpu"
        self._log_durations: list[Any] = []

    def open_model(self) -> None:
        """Load the model and tokenizer from the local folder, and listen to its duration predictor."""
        folder = model_folder(
            self.settings.model_dir, "VITS", "FILMSTUDIO_VITS_MODEL_DIR", needs=("config.json", "vocab.json")
        )
        self._torch = torch_ready(self.settings.threads)
        self._device = pick_device(self._torch, self.settings.device)
        transformers = require("transformers")
        self._tokenizer = transformers.VitsTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = transformers.VitsModel.from_pretrained(str(folder), local_files_only=True)
        self._model = model.to(self._device).eval()
        # The model computes each token's length but does not return it: keep the predictor's output.
        self._model.duration_predictor.register_forward_hook(
            lambda _module, _inputs, output: self._log_durations.append(output)
        )

    def run(self, inputs: VoiceInput, ctx: StageContext) -> VoiceTrack | StageFailure:
        """Speak every line in script order; timings come from the model's own predicted durations."""
        failure = self.ready()
        if failure is not None:
            return failure
        plan = inputs.plan
        wanted, model_language = plan.language.split("-")[0], self.settings.language
        if model_language and wanted != model_language.split("-")[0]:
            return StageFailure(
                reason=f"the VITS model speaks {model_language!r} but the script is in {plan.language!r}; "
                "point FILMSTUDIO_VITS_MODEL_DIR at a model for that language or use the Kokoro voices"
            )
        choices = {c.character_id: c for c in inputs.voices}
        speakers = self._speakers(plan)
        lines = [line for scene in plan.scenes for line in scene.lines]
        voiced: list[VoicedLine] = []
        for n, line in enumerate(lines):
            ctx.progress(n / max(1, len(lines)), f"voicing line {n + 1} of {len(lines)} ({line.speaker})")
            choice = choices.get(line.speaker)
            speed = choice.speed if choice else 1.0
            if not MIN_SPEED <= speed <= MAX_SPEED:
                return StageFailure(
                    reason=f"Voice speed {speed:g}x for {line.speaker!r} is outside {MIN_SPEED}-{MAX_SPEED}x; "
                    "choose a speed in that range"
                )
            speech = self.synthesize(line.text, speed * plan.pace, speakers.get(line.speaker, 0), line.id)
            if speech is None:
                return StageFailure(
                    reason=f"line {line.id!r} ({line.speaker}) has no letters the VITS model can read; "
                    "check the script's language matches the model's"
                )
            voiced.append(self._store(line.id, f"vits:{speakers.get(line.speaker, 0)}", speech, ctx))
        ctx.progress(1.0, f"voiced {len(voiced)} lines with VITS")
        return VoiceTrack(lines=voiced, sample_rate=SAMPLE_RATE)

    def synthesize(self, text: str, rate: float, speaker: int, line_id: str) -> Synthesis | None:
        """24 kHz speech with word and letter timings, or None when nothing in `text` is in the vocabulary."""
        torch = self._torch
        encoded = self._tokenizer(text, return_tensors="pt")
        ids = encoded["input_ids"]
        if ids.shape[-1] == 0 or not bool((ids != self._tokenizer.pad_token_id).any()):
            return None
        extra: dict[str, Any] = {}
        if int(self._model.config.num_speakers) > 1:
            extra["speaker_id"] = speaker
        self._log_durations.clear()
        torch.manual_seed((zlib.crc32(line_id.encode()) + self.settings.seed * 7919) % (2**31))
        with torch.inference_mode():
            output = self._model(**encoded.to(self._device), speaking_rate=rate, **extra)
        wave = output.waveform[0].float().cpu().numpy()
        model_rate = int(self._model.config.sampling_rate)
        frames = self._frames(rate)
        tokens = self._tokenizer.convert_ids_to_tokens(ids[0].tolist())
        hop = float(np.prod(self._model.config.upsample_rates))
        # Frames are what the model actually laid out; stretch to the waveform in case a variant trims.
        per_frame = len(wave) / model_rate / max(1.0, sum(frames)) if frames else 0.0
        spans = token_spans(tokens, frames, per_frame or hop / model_rate, self._tokenizer.pad_token)
        words = self._script_words(text, words_from_spans(spans))
        audio = _resample(wave, model_rate)
        return Synthesis(audio=audio, sample_rate=SAMPLE_RATE, words=words, phonemes=spans)

    def _frames(self, rate: float) -> list[float]:
        if not self._log_durations:
            return []
        log_duration = self._log_durations[-1]
        lengths = self._torch.ceil(self._torch.exp(log_duration[0, 0]) / rate)
        return [float(x) for x in lengths.cpu().tolist()]

    def _script_words(self, text: str, spoken: list[RawWord]) -> list[RawWord]:
        """The script's own words, on the spoken words' times when the counts agree."""
        script = [w for w in (raw.strip(_STRIP) for raw in text.split()) if w]
        if len(script) == len(spoken):
            return [RawWord(word, s.start, s.end) for word, s in zip(script, spoken, strict=True)]
        if not spoken:
            return []
        return spread_words(script, spoken[0].start, spoken[-1].end)

    def _speakers(self, plan: ScriptPlan) -> dict[str, int]:
        count = max(1, int(self._model.config.num_speakers))
        ids = [c.id for c in plan.characters]
        ids += [line.speaker for scene in plan.scenes for line in scene.lines if line.speaker not in ids]
        return {speaker: n % count for n, speaker in enumerate(ids)}

    def _store(self, line_id: str, voice_id: str, speech: Synthesis, ctx: StageContext) -> VoicedLine:
        audio = level(speech.audio, SAMPLE_RATE, self.settings.target_lufs)
        lead, tail = round(LEAD_IN * SAMPLE_RATE), round(TAIL * SAMPLE_RATE)
        padded = np.concatenate([np.zeros(lead, np.float32), audio, np.zeros(tail, np.float32)])
        final = speech.shifted(padded, LEAD_IN)
        duration = round(final.duration, 4)
        buffer = io.BytesIO()
        sf.write(buffer, np.clip(padded, -1.0, 1.0), SAMPLE_RATE, format="WAV", subtype="PCM_16")
        return VoicedLine(
            line_id=line_id,
            audio=ctx.artifacts.put_bytes(buffer.getvalue(), ".wav"),
            duration=duration,
            words=[_word(w, duration) for w in final.words],
            phonemes=[
                PhonemeTiming(
                    phoneme=p.symbol,
                    start=round(min(p.start, duration), 4),
                    end=round(min(p.end, duration), 4),
                    viseme=viseme_for(p.symbol),
                )
                for p in final.phonemes
                if p.end > p.start
            ],
            voice_id=voice_id,
        )


def _word(word: RawWord, duration: float) -> WordTiming:
    return WordTiming(word=word.text, start=round(min(word.start, duration), 4), end=round(min(word.end, duration), 4))


def _resample(wave: np.ndarray, rate: int) -> np.ndarray:
    """Model-rate float audio at the studio's 24 kHz voice rate."""
    from scipy.signal import resample_poly

    if rate == SAMPLE_RATE:
        return wave.astype(np.float32)
    g = math.gcd(SAMPLE_RATE, rate)
    return np.asarray(resample_poly(wave, SAMPLE_RATE // g, rate // g), dtype=np.float32)
