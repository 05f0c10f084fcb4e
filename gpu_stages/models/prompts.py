"""Text prompts for the generative engines, written from what the script plan says about a scene."""

from __future__ import annotations

from schemas.media import Emotion, MusicStyle, Scene

_LIGHT = {
    "dawn": "soft dawn light, pale pink sky",
    "day": "bright daylight",
    "dusk": "warm dusk light, orange sky",
    "night": "night, moonlight, deep blue shadows",
}
_CULTURE = {
    "indian": "Indian",
    "western": "European",
    "middle_eastern": "Middle Eastern",
    "east_asian": "East Asian",
    "african": "African",
}
_MOOD_PICTURE: dict[Emotion, str] = {
    "neutral": "calm",
    "happy": "cheerful, vivid colours",
    "sad": "melancholy, muted colours",
    "angry": "dramatic, harsh contrast",
    "surprised": "striking",
    "calm": "peaceful, gentle colours",
    "excited": "energetic, saturated colours",
}
_MOOD_MUSIC: dict[Emotion, str] = {
    "neutral": "steady, understated",
    "happy": "bright, uplifting, major key",
    "sad": "slow, melancholic, minor key",
    "angry": "tense, driving percussion",
    "surprised": "suspenseful, rising",
    "calm": "gentle, slow, soothing",
    "excited": "fast, energetic",
}
_STYLE_MUSIC: dict[MusicStyle, str] = {
    "raga": "Indian classical raga with sitar, tanpura drone and tabla",
    "devotional": "devotional bhajan with harmonium and soft bells",
    "recitation": "sparse ambient drone under a recitation",
    "orchestral": "cinematic orchestral film score with strings and horns",
    "piano": "solo piano",
    "pop": "light pop with acoustic guitar and soft drums",
    "ambient": "ambient pads and textures",
    "upload": "instrumental film music",
    "none": "instrumental film music",
}

NEGATIVE_PICTURE = "people, person, face, text, letters, watermark, logo, signature, blurry, lowres"
"""The drawn cast stands in front of the backdrop, so the backdrop itself must be empty of people."""


def backdrop_prompt(scene: Scene) -> str:
    """An empty, illustrated establishing shot of the scene's setting, light, culture and mood."""
    place = scene.setting.replace("_", " ")
    where = "interior" if scene.interior else "exterior"
    return (
        f"illustrated background painting of an empty {_CULTURE[scene.culture]} {place}, {where}, "
        f"{_LIGHT[scene.time_of_day]}, {_MOOD_PICTURE[scene.mood]}, wide establishing shot, "
        "flat animation film style, no people"
    )


def music_prompt(style: MusicStyle, scene: Scene) -> str:
    """A MusicGen description of a scene's cue: style, mood and time of day; always instrumental."""
    time = {"dawn": "morning", "day": "daytime", "dusk": "evening", "night": "night"}[scene.time_of_day]
    return f"{_STYLE_MUSIC[style]}, {_MOOD_MUSIC[scene.mood]}, {time} mood, instrumental, no vocals"
