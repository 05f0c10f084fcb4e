"""Data contracts passed between the media stages of the film pipeline.

Artifacts are referred to by key (see `gpu_stages.contract.ArtifactStore`); every model here is
plain data so it can travel inside events and be cached by content.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

AgeGroup = Literal["child", "young_adult", "adult", "senior"]
Gender = Literal["female", "male"]
Emotion = Literal["neutral", "happy", "sad", "angry", "surprised", "calm", "excited"]
Culture = Literal["indian", "western", "middle_eastern", "east_asian", "african"]
TimeOfDay = Literal["dawn", "day", "dusk", "night"]
AspectRatio = Literal["16:9", "9:16", "1:1"]
Resolution = Literal["480p", "720p", "1080p"]
MusicStyle = Literal[
    "raga", "devotional", "recitation", "orchestral", "piano", "pop", "ambient", "upload", "none"
]
Viseme = Literal["rest", "closed", "open", "wide", "round", "narrow", "teeth"]
"""Mouth shapes: rest (idle), closed (M B P), open (A), wide (E I), round (O U W), narrow (consonants), teeth (F V)."""


class StageFailure(BaseModel):
    """A stage's failure as a value: what went wrong, and whether trying again can help."""

    reason: str
    retryable: bool = False


# --- script -------------------------------------------------------------------------------------


class Character(BaseModel):
    """A person in the script, with hints the analysis drew from the text."""

    id: str = Field(description="stable slug, e.g. 'priya'")
    name: str
    age: AgeGroup = "adult"
    gender: Gender = "female"
    is_narrator: bool = False


class Line(BaseModel):
    """One spoken line: narration or a character's dialogue."""

    id: str = Field(description="stable id: hash of scene index, speaker and text")
    speaker: str = Field(description="character id; 'narrator' for narration")
    text: str
    emotion: Emotion = "neutral"
    parenthetical: str | None = None
    pause_after: float = Field(0.35, description="seconds of silence after the line")
    language: str | None = Field(None, description="set when the line's language differs from the plan's")


class Scene(BaseModel):
    """A scene: where and when it happens, its mood, and its lines."""

    index: int
    heading: str
    setting: str = Field(description="one of the procedural settings, e.g. 'temple', 'office'")
    interior: bool = True
    time_of_day: TimeOfDay = "day"
    mood: Emotion = "neutral"
    culture: Culture = "western"
    lines: list[Line]


class ScriptPlan(BaseModel):
    """The analysed script: scenes, cast and the duration plan."""

    title: str
    language: str = Field("en", description="BCP-47 primary language, e.g. 'en', 'hi', 'ar'")
    scenes: list[Scene]
    characters: list[Character]
    estimated_seconds: float
    target_seconds: float | None = None
    pace: float = Field(1.0, description="speech-rate multiplier chosen to fit the target")
    warnings: list[str] = []
    podcast: bool = Field(False, description="planned as a podcast: hosts in a studio, paced turn-taking")


# --- voices -------------------------------------------------------------------------------------


class WordTiming(BaseModel):
    word: str
    start: float
    end: float


class PhonemeTiming(BaseModel):
    phoneme: str
    start: float
    end: float
    viseme: Viseme


class VoicedLine(BaseModel):
    """A synthesised line: audio artifact and timings relative to the line's start."""

    line_id: str
    audio: str = Field(description="artifact key of a mono WAV")
    duration: float
    words: list[WordTiming]
    phonemes: list[PhonemeTiming]
    voice_id: str


class VoiceTrack(BaseModel):
    lines: list[VoicedLine]
    sample_rate: int = 24000
    warnings: list[str] = Field([], description="e.g. a neural voice was missing and espeak-ng spoke instead")


# --- pictures -----------------------------------------------------------------------------------


class CharacterLook(BaseModel):
    """Appearance of a drawn character; persistent across scenes and projects."""

    character_id: str
    age: AgeGroup = "adult"
    gender: Gender = "female"
    skin_tone: str = "#c68642"
    hair: str = "short"
    hair_color: str = "#2b1d14"
    attire: str = Field(
        "shirt", description="shirt, sari, kurta, dhoti, kimono, thobe, abaya, suit, dress..."
    )
    attire_color: str = "#3366aa"
    uploaded_image: str | None = Field(None, description="artifact key of a user photo, if any")
    version: int = 1


class CharacterSprites(BaseModel):
    """RGBA PNG artifacts of one character: a body per expression and a mouth per viseme."""

    character_id: str
    look: CharacterLook
    bodies: dict[str, str] = Field(description="expression -> artifact key of the body without mouth")
    mouths: dict[str, str] = Field(description="viseme -> artifact key of a mouth layer")
    blink: str = Field(description="artifact key of closed-eyes layer")
    size: tuple[int, int]
    mouth_anchor: tuple[int, int] = Field(description="pixel where mouth layers are centred")


class Cast(BaseModel):
    characters: list[CharacterSprites]


class Backdrop(BaseModel):
    """A scene background in parallax layers (far to near), each an RGBA PNG artifact."""

    scene_index: int
    layers: list[str]
    size: tuple[int, int]


class Backdrops(BaseModel):
    scenes: list[Backdrop]


# --- sound --------------------------------------------------------------------------------------


class MusicCue(BaseModel):
    scene_index: int
    audio: str = Field(description="artifact key of a stereo WAV at 48 kHz")
    duration: float
    style: MusicStyle


class MusicScore(BaseModel):
    cues: list[MusicCue]


# --- subtitles and outputs ----------------------------------------------------------------------


class Cue(BaseModel):
    start: float
    end: float
    text: str
    speaker: str | None = None


class SubtitleTrack(BaseModel):
    language: str
    label: str
    translated: bool = False
    cues: list[Cue]
    srt: str = Field(description="artifact key")
    vtt: str = Field(description="artifact key")
    ass: str = Field(description="artifact key")


class Subtitles(BaseModel):
    tracks: list[SubtitleTrack]


class Rendition(BaseModel):
    aspect: AspectRatio
    resolution: Resolution
    video: str = Field(description="artifact key of an MP4 (H.264/AAC, faststart)")
    duration: float
    width: int
    height: int


class FilmOutputs(BaseModel):
    renditions: list[Rendition]
    subtitles: list[SubtitleTrack] = []
    thumbnails: list[str] = []


# --- timeline -----------------------------------------------------------------------------------


class TimedLine(BaseModel):
    """A line placed on the film's clock (seconds from the film's start)."""

    line_id: str
    scene_index: int
    speaker: str
    text: str
    emotion: Emotion = "neutral"
    start: float
    end: float


class SceneSpan(BaseModel):
    scene_index: int
    start: float
    end: float


class Timeline(BaseModel):
    """When every scene and line happens; the single clock that audio, pictures and subtitles share."""

    duration: float
    scenes: list[SceneSpan]
    lines: list[TimedLine]
