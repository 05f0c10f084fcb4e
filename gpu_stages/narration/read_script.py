"""The creator reads the script aloud: each script line gets its slice of the recording instead of synthesis.

The recording is transcribed with word timestamps (faster-whisper), the heard words are matched to
the script's words in order, and every line is cut from the first to the last of its matched words.
The script stays the source of the text (subtitles never drift to recognition errors); the
recognition only says *when* each line was spoken.
"""

from __future__ import annotations

import difflib
import re
from typing import ClassVar

from pydantic import BaseModel, Field

from gpu_stages.contract import StageContext
from gpu_stages.narration.audio import NarrationRejected, decode_narration
from gpu_stages.narration.stage import NarrationSettings, NarrationStage
from gpu_stages.narration.transcript import HeardLine, HeardWord, clean_words
from gpu_stages.voice.voicing import LEAD_IN, SAMPLE_RATE, TAIL
from schemas.media import Line, ScriptPlan, StageFailure, VoicedLine, VoiceTrack

_WORD = re.compile(r"\w+", re.UNICODE)


class ReadScriptInput(BaseModel):
    """The script plan and the artifact key of the creator's recording of it."""

    plan: ScriptPlan
    audio: str
    language: str | None = Field(None, description="BCP-47; None: the plan's language")


def words_of(text: str) -> list[str]:
    """Lower-case word tokens, punctuation dropped (what matching compares)."""
    return [w.casefold() for w in _WORD.findall(text)]


def match_lines(lines: list[Line], heard: list[HeardWord]) -> list[list[HeardWord]]:
    """For each script line, the heard words matched to its words (in order; possibly none)."""
    script: list[tuple[int, str]] = [(n, w) for n, line in enumerate(lines) for w in words_of(line.text)]
    spoken: list[tuple[int, str]] = [(i, t) for i, word in enumerate(heard) for t in words_of(word.text)]
    matcher = difflib.SequenceMatcher(a=[w for _, w in script], b=[t for _, t in spoken], autojunk=False)
    matched: list[list[HeardWord]] = [[] for _ in lines]
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            line_no = script[block.a + k][0]
            word = heard[spoken[block.b + k][0]]
            if not matched[line_no] or matched[line_no][-1] is not word:
                matched[line_no].append(word)
    return matched


class ReadScriptStage(NarrationStage):
    """Voices a plan from the creator's recording of it; fails naming any line the recording lacks."""

    name: ClassVar[str] = "narration_voices"
    version: ClassVar[str] = "1"

    def __init__(self, settings: NarrationSettings | None = None) -> None:
        super().__init__(settings)

    def run(self, inputs: ReadScriptInput, ctx: StageContext) -> VoiceTrack | StageFailure:  # type: ignore[override]
        """Decode, transcribe, match the script's lines and cut each line's audio."""
        key = inputs.audio
        if not ctx.artifacts.exists(key):
            return StageFailure(
                reason=f"the narration upload {key!r} is missing; upload the WAV or MP3 again"
            )
        failure = self.ready()  # first: decoding needs faster-whisper's package too
        if failure is not None:
            return failure
        try:
            audio = decode_narration(ctx.artifacts.path(key), SAMPLE_RATE)
        except NarrationRejected as error:
            return StageFailure(reason=str(error))
        ctx.progress(0.1, "transcribing the narration")
        duration = len(audio) / SAMPLE_RATE
        heard, _ = self._transcribe(audio, inputs.language or inputs.plan.language)
        heard = clean_words(heard, duration)
        lines = [line for scene in inputs.plan.scenes for line in scene.lines]
        matched = match_lines(lines, heard)
        for line, words in zip(lines, matched, strict=True):
            if not words:
                return StageFailure(
                    reason=f"the narration does not contain the line {line.text[:60]!r}; record it, "
                    "or remove it from the script"
                )
        ctx.progress(0.8, f"cutting {len(lines)} lines from the narration")
        voiced: list[VoicedLine] = []
        for n, (line, words) in enumerate(zip(lines, matched, strict=True)):
            spoken = HeardLine(tuple(words))
            before = matched[n - 1][-1].end if n else 0.0
            after = matched[n + 1][0].start if n + 1 < len(lines) else duration
            start = max(0.0, spoken.start - LEAD_IN, min(before, spoken.start))
            end = min(duration, spoken.end + TAIL, max(after, spoken.end))
            voiced.append(self._voiced(line.id, spoken, audio, start, end, ctx))
        ctx.progress(1.0, f"narration: {len(lines)} lines from {duration:.1f} s of recording")
        return VoiceTrack(lines=voiced, sample_rate=SAMPLE_RATE)
