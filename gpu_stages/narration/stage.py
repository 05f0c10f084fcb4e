"""The narration stage: an uploaded recording becomes timed script lines and a voice track to use as is."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
import soundfile as sf
from pydantic import BaseModel, Field

from gpu_stages.contract import StageContext
from gpu_stages.models.letter_timing import letters_in
from gpu_stages.models.model_stage import ModelStage
from gpu_stages.models.runtime import Device, go_offline, model_folder, require
from gpu_stages.narration.audio import NarrationRejected, decode_narration
from gpu_stages.narration.transcript import HeardLine, HeardWord, clean_words, split_lines
from gpu_stages.voice.synthesis import RawWord
from gpu_stages.voice.visemes import viseme_for
from gpu_stages.voice.voicing import LEAD_IN, SAMPLE_RATE, TAIL
from schemas.media import Line, PhonemeTiming, StageFailure, VoicedLine, VoiceTrack, WordTiming

WHISPER_RATE = 16000
INITIAL_PROMPTS = {"hi": "यह एक कहानी है। नमस्ते।"}
"""Whisper writes Hindi in Latin letters unless the prompt shows it Devanagari."""


class NarrationSettings(BaseModel):
    """Where the faster-whisper (CTranslate2) model lives and how it decodes."""

    model_dir: str | None = Field(None, description="folder of a CTranslate2 Whisper model (model.bin)")
    device: Device = "auto"
    compute_type: str = Field("default", description="CTranslate2 compute type: default, int8, float16...")
    threads: int = Field(1, ge=0, description="CPU threads for CTranslate2 (0: its default)")
    beam_size: int = Field(5, ge=1, le=10)


class NarrationInput(BaseModel):
    """The uploaded recording (artifact key or path) and what is known about it."""

    audio: str
    language: str | None = Field(None, description="BCP-47; None: detect from the recording")
    speaker: str = "narrator"
    scene_index: int = 0


class Narration(BaseModel):
    """Script lines heard in the recording, and the recording cut into one voiced line each."""

    language: str
    duration: float
    lines: list[Line]
    voices: VoiceTrack
    source: Literal["upload"] = "upload"


def heard_line_id(scene_index: int, speaker: str, ordinal: int, text: str) -> str:
    """A stable id like a written line's, with the line's place so a repeated sentence stays distinct."""
    return hashlib.sha1(f"{scene_index}|{speaker}|{ordinal}|{text}".encode()).hexdigest()[:12]


class NarrationStage(ModelStage[NarrationSettings, NarrationInput, Narration]):
    """Transcribes with word timestamps; each line's audio is its slice of the recording, not synthesis."""

    name: ClassVar[str] = "narration"
    version: ClassVar[str] = "1"
    model_kind: ClassVar[str] = "Whisper"

    def __init__(self, settings: NarrationSettings | None = None) -> None:
        super().__init__(settings or NarrationSettings())
        self._model: Any = None

    def open_model(self) -> None:
        """Open the CTranslate2 Whisper model from its folder (never downloaded)."""
        folder = model_folder(
            self.settings.model_dir, "Whisper", "FILMSTUDIO_WHISPER_MODEL_DIR", needs=("model.bin",)
        )
        go_offline()
        faster_whisper = require("faster_whisper")
        ctranslate2 = require("ctranslate2")
        device = self.settings.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        self._model = faster_whisper.WhisperModel(
            str(folder),
            device=device,
            compute_type=self.settings.compute_type,
            cpu_threads=self.settings.threads,
            local_files_only=True,
        )

    def run(self, inputs: NarrationInput, ctx: StageContext) -> Narration | StageFailure:
        """Decode, transcribe, split into lines and store each line's slice as a 24 kHz WAV."""
        source = ctx.artifacts.path(inputs.audio) if ctx.artifacts.exists(inputs.audio) else Path(inputs.audio)
        try:
            audio = decode_narration(source, SAMPLE_RATE)
        except NarrationRejected as error:
            return StageFailure(reason=str(error))
        failure = self.ready()
        if failure is not None:
            return failure
        ctx.progress(0.1, "transcribing the narration")
        duration = len(audio) / SAMPLE_RATE
        words, language = self._transcribe(audio, inputs.language)
        lines = split_lines(clean_words(words, duration))
        if not lines:
            return StageFailure(
                reason="no speech was recognised in the narration; check that it is speech, and set its "
                "language if it is not detected"
            )
        ctx.progress(0.8, f"cutting {len(lines)} lines from the narration")
        script: list[Line] = []
        voiced: list[VoicedLine] = []
        for n, heard in enumerate(lines):
            start = max(0.0, heard.start - LEAD_IN, lines[n - 1].end if n else 0.0)
            end = min(duration, heard.end + TAIL, lines[n + 1].start if n + 1 < len(lines) else duration)
            following = max(end, lines[n + 1].start - LEAD_IN) if n + 1 < len(lines) else end
            line_id = heard_line_id(inputs.scene_index, inputs.speaker, n, heard.text)
            script.append(
                Line(id=line_id, speaker=inputs.speaker, text=heard.text, pause_after=round(following - end, 3))
            )
            voiced.append(self._voiced(line_id, heard, audio, start, end, ctx))
        ctx.progress(1.0, f"narration: {len(script)} lines, {duration:.1f} s")
        return Narration(
            language=language,
            duration=round(duration, 3),
            lines=script,
            voices=VoiceTrack(lines=voiced, sample_rate=SAMPLE_RATE),
        )

    def _transcribe(self, audio: np.ndarray, language: str | None) -> tuple[list[HeardWord], str]:
        from scipy.signal import resample_poly

        speech = np.asarray(resample_poly(audio, 2, 3), dtype=np.float32)  # 24 kHz -> Whisper's 16 kHz
        code = language.split("-")[0] if language else None
        segments, info = self._model.transcribe(
            speech,
            language=code,
            word_timestamps=True,
            beam_size=self.settings.beam_size,
            condition_on_previous_text=False,
            initial_prompt=INITIAL_PROMPTS.get(code or ""),
        )
        words = [
            HeardWord(str(w.word), float(w.start), float(w.end))
            for segment in segments
            for w in (segment.words or [])
        ]
        return words, language or str(info.language)

    def _voiced(
        self, line_id: str, heard: HeardLine, audio: np.ndarray, start: float, end: float, ctx: StageContext
    ) -> VoicedLine:
        piece = audio[round(start * SAMPLE_RATE) : round(end * SAMPLE_RATE)]
        buffer = io.BytesIO()
        sf.write(buffer, np.clip(piece, -1.0, 1.0), SAMPLE_RATE, format="WAV", subtype="PCM_16")
        length = round(len(piece) / SAMPLE_RATE, 4)
        words = [
            RawWord(w.text, min(max(0.0, w.start - start), length), min(max(0.0, w.end - start), length))
            for w in heard.words
        ]
        return VoicedLine(
            line_id=line_id,
            audio=ctx.artifacts.put_bytes(buffer.getvalue(), ".wav"),
            duration=length,
            words=[WordTiming(word=w.text, start=round(w.start, 4), end=round(w.end, 4)) for w in words],
            phonemes=[
                PhonemeTiming(
                    phoneme=p.symbol, start=round(p.start, 4), end=round(p.end, 4), viseme=viseme_for(p.symbol)
                )
                for p in letters_in(words)
                if p.end > p.start
            ],
            voice_id="upload",
        )
