"""Mix the film: voices on the timeline, music cues per scene ducked under speech, mastered to -14 LUFS."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from pydantic import BaseModel

from gpu_stages.contract import ArtifactStore
from gpu_stages.mix.ducking import duck_gain
from gpu_stages.mix.mastering import integrated_lufs, master, true_peak_dbtp
from gpu_stages.mix.placement import (
    CROSSFADE,
    MUSIC_GAIN_DB,
    SAMPLE_RATE,
    crossfaded,
    level_line,
    place,
    read_audio,
)
from schemas.media import MusicScore, Timeline, VoiceTrack

TARGET_LUFS = -14.0
CEILING_DBTP = -1.0


class MixReport(BaseModel):
    """What the master measures: loudness, true peak, length, and where the WAV is."""

    wav: str
    integrated_lufs: float
    true_peak_dbtp: float
    duration: float
    sample_rate: int = SAMPLE_RATE


class MissingAudio(ValueError):
    """A line or cue names audio that is not in the artifact store."""


def _resolve(artifacts: ArtifactStore, key: str) -> Path:
    if artifacts.exists(key):
        return artifacts.path(key)
    if Path(key).is_file():
        return Path(key)
    raise MissingAudio(f"audio {key!r} is not in the artifact store; re-run the stage that made it")


def voice_bus(timeline: Timeline, voices: VoiceTrack, artifacts: ArtifactStore, length: int) -> np.ndarray:
    """Every voiced line levelled and placed at its timeline start, centred in stereo."""
    bus = np.zeros((length, 2), dtype=np.float32)
    audio_of = {line.line_id: line.audio for line in voices.lines}
    for timed in timeline.lines:
        if timed.line_id not in audio_of:
            raise MissingAudio(f"line {timed.line_id!r} is on the timeline but has no voiced audio")
        mono = level_line(read_audio(_resolve(artifacts, audio_of[timed.line_id]), channels=1)[:, 0])
        place(bus, np.repeat(mono[:, None], 2, axis=1), timed.start)
    return bus


def music_bus(timeline: Timeline, score: MusicScore, artifacts: ArtifactStore, length: int) -> np.ndarray:
    """Cues at their scene starts; neighbouring cues overlap by CROSSFADE with equal-power fades.

    Slices of one upload are contiguous, so they are butted together instead: a crossfade would
    repeat a fraction of a second of the song.
    """
    bus = np.zeros((length, 2), dtype=np.float32)
    starts = {span.scene_index: span.start for span in timeline.scenes}
    cues = sorted((c for c in score.cues if c.scene_index in starts), key=lambda c: starts[c.scene_index])
    half = round(CROSSFADE * SAMPLE_RATE / 2)
    for i, cue in enumerate(cues):
        audio = read_audio(_resolve(artifacts, cue.audio), channels=2)
        joined = cue.style == "upload"
        has_previous, has_next = i > 0, i < len(cues) - 1
        start = starts[cue.scene_index]
        if has_previous and not joined:
            # start half a crossfade early (first sample held): the overlap is centred on the cut
            audio = np.concatenate([np.repeat(audio[:1], half, axis=0), audio])
            start -= half / SAMPLE_RATE
        if has_next and not joined:
            audio = np.concatenate([audio, np.repeat(audio[-1:], half, axis=0)])
        audio = crossfaded(
            audio,
            fade_in=2 * half if has_previous and not joined else 0,
            fade_out=2 * half if has_next and not joined else 0,
        )
        place(bus, audio * np.float32(10 ** (MUSIC_GAIN_DB / 20)), start)
    return bus


STINGER_FADE_IN = 0.6
STINGER_FADE_OUT = 1.5
"""Seconds an outro fades in over, and an intro or outro fades out over (no abrupt music edges)."""


def _stinger(artifacts: ArtifactStore, key: str, *, fade_in: float) -> np.ndarray:
    audio = read_audio(_resolve(artifacts, key), channels=2) * np.float32(10 ** (MUSIC_GAIN_DB / 20))
    edge = min(len(audio) // 2, round(STINGER_FADE_OUT * SAMPLE_RATE))
    return crossfaded(audio, fade_in=min(edge, round(fade_in * SAMPLE_RATE)), fade_out=edge)


def mix_film(
    timeline: Timeline,
    voices: VoiceTrack,
    score: MusicScore,
    artifacts: ArtifactStore,
    out_path: Path,
    *,
    intro_outro: tuple[str, str] | None = None,
) -> MixReport:
    """Mix and master the film's soundtrack to a 48 kHz stereo WAV of exactly the timeline's length.

    `intro_outro` names two audio artifacts (or files): the intro plays from the first frame and fades
    out, the outro fades in and ends on the last frame; both are on the music bus (so speech ducks
    them); the film's clock is unchanged.
    """
    length = round(timeline.duration * SAMPLE_RATE)
    voice = voice_bus(timeline, voices, artifacts, length)
    music = music_bus(timeline, score, artifacts, length)
    if intro_outro is not None:
        intro = _stinger(artifacts, intro_outro[0], fade_in=0.0)
        outro = _stinger(artifacts, intro_outro[1], fade_in=STINGER_FADE_IN)
        place(music, intro, 0.0)
        place(music, outro[-length:], max(0.0, (length - len(outro)) / SAMPLE_RATE))
    music *= duck_gain(voice, SAMPLE_RATE)[:, None]
    mastered = master(voice + music, SAMPLE_RATE, target_lufs=TARGET_LUFS, ceiling_dbtp=CEILING_DBTP)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(out_path, mastered, SAMPLE_RATE, subtype="PCM_24")
    # measure what was written (24-bit), not the float buffer, so the report describes the file
    written, _ = sf.read(out_path, dtype="float32", always_2d=True)
    return MixReport(
        wav=str(out_path),
        integrated_lufs=round(integrated_lufs(written, SAMPLE_RATE), 2),
        true_peak_dbtp=round(true_peak_dbtp(written), 2),
        duration=len(written) / SAMPLE_RATE,
    )
