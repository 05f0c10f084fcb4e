"""Analyse a parsed script: cast with stable ids, spoken lines with emotions, and scene context."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from gpu_stages.script.culture import culture_scores, infer_culture
from gpu_stages.script.document import ParsedScript, RawLine
from gpu_stages.script.emotion import line_emotion, scene_mood
from gpu_stages.script.intake import count_words
from gpu_stages.script.people import character_hints
from gpu_stages.script.setting import infer_interior, infer_setting, infer_time_of_day
from schemas.media import AgeGroup, Character, Culture, Gender, Line, Scene, TimeOfDay

NARRATOR_ID = "narrator"
_NARRATOR_NAMES = frozenset(
    {"narrator", "narration", "voice over", "voiceover", "vo", "storyteller", "sutradhar"}
)
MAX_LINE_WORDS = 40
"""Longer paragraphs are split at sentence ends so subtitles and pauses stay readable."""
_SENTENCE_END = re.compile(r"(?<=[.!?।。！？])\s+|(?<=[。！？])")  # noqa: RUF001


@dataclass(frozen=True)
class Analysis:
    """Scenes and cast of a script (pauses still at their defaults: duration planning sets them)."""

    scenes: list[Scene]
    characters: list[Character]


def line_id(scene_index: int, speaker: str, text: str) -> str:
    """Stable line id: first 12 hex digits of sha1 over scene index, speaker id and text."""
    return hashlib.sha1(f"{scene_index}|{speaker}|{text}".encode()).hexdigest()[:12]


def character_slug(name: str) -> str:
    """'Priya' -> 'priya', 'Mr. Sharma' -> 'mr_sharma'; names without Latin letters get a hashed id."""
    folded = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(ch for ch in folded if ch.isascii() and not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return slug or "c_" + hashlib.sha1(name.encode()).hexdigest()[:8]


def _display_name(name: str) -> str:
    """Screenplay cues are in capitals: 'DADI JI' reads better as 'Dadi Ji'."""
    return name.title() if name.isupper() else name


def _is_narrator(name: str | None) -> bool:
    return name is None or re.sub(r"[^\w ]", "", name.lower()).strip() in _NARRATOR_NAMES


def split_long_text(text: str, max_words: int = MAX_LINE_WORDS) -> list[str]:
    """Split at sentence ends into chunks of at most about `max_words` (a sentence is never cut)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
    chunks: list[str] = []
    current: list[str] = []
    words = 0
    for sentence in sentences:
        n = count_words(sentence)
        if current and words + n > max_words:
            chunks.append(_join(current))
            current, words = [], 0
        current.append(sentence)
        words += n
    if current:
        chunks.append(_join(current))
    return chunks or [text.strip()]


def _join(sentences: list[str]) -> str:
    # CJK sentences are written without spaces between them.
    return "".join(sentences) if all(s[-1] in "。！？" for s in sentences[:-1]) else " ".join(sentences)  # noqa: RUF001


def analyse_script(parsed: ParsedScript, *, language: str, culture: Culture | None = None) -> Analysis:
    """Turn parsed scenes into `Scene`s and `Character`s; an explicit `culture` applies to every scene."""
    names = _speaker_ids(parsed)
    all_text = "\n".join(
        [scene.heading for scene in parsed.scenes]
        + [d for scene in parsed.scenes for d in scene.description]
        + [line.text for scene in parsed.scenes for line in scene.lines]
    )
    script_cultures = culture_scores(all_text)
    scenes: list[Scene] = []
    previous_time: TimeOfDay = "day"
    previous_setting = "home"
    for index, raw in enumerate(parsed.scenes):
        lines = [
            _make_line(index, names[_name_key(raw_line.speaker)], chunk, raw_line, language)
            for raw_line in raw.lines
            for chunk in split_long_text(raw_line.text)
        ]
        body = " ".join([*raw.description, *(line.text for line in lines)])
        # A scene that names no place stays where the previous one was.
        setting = infer_setting(raw.heading, body, default=previous_setting)
        time_of_day = infer_time_of_day(raw.heading, body, setting, previous_time)
        if setting != "night_sky":  # looking up at the stars does not make the next scene night
            previous_time = time_of_day
        previous_setting = setting
        scene_culture = culture or infer_culture(f"{raw.heading} {body}", script_cultures, language)
        scenes.append(
            Scene(
                index=index,
                heading=raw.heading or f"Scene {index + 1}",
                setting=setting,
                interior=infer_interior(raw.heading, body, setting),
                time_of_day=time_of_day,
                mood=scene_mood([line.emotion for line in lines], body, setting, language),
                culture=scene_culture,
                lines=lines,
            )
        )
    return Analysis(scenes=scenes, characters=_cast(parsed, names, all_text))


def _name_key(name: str | None) -> str:
    return NARRATOR_ID if _is_narrator(name) else " ".join((name or "").split()).casefold()


def _speaker_ids(parsed: ParsedScript) -> dict[str, str]:
    """Speaker key -> unique character id, in order of first appearance."""
    ids: dict[str, str] = {}
    for scene in parsed.scenes:
        for line in scene.lines:
            key = _name_key(line.speaker)
            if key in ids:
                continue
            if key == NARRATOR_ID:
                ids[key] = NARRATOR_ID
                continue
            slug, suffix = character_slug(line.speaker or ""), 2
            base = slug
            while slug in ids.values() or slug == NARRATOR_ID:
                slug, suffix = f"{base}_{suffix}", suffix + 1
            ids[key] = slug
    return ids


def _make_line(index: int, speaker: str, text: str, raw: RawLine, language: str) -> Line:
    return Line(
        id=line_id(index, speaker, text),
        speaker=speaker,
        text=text,
        emotion=line_emotion(text, raw.parenthetical, language),
        parenthetical=raw.parenthetical,
    )


def _cast(parsed: ParsedScript, ids: dict[str, str], context: str) -> list[Character]:
    """One Character per speaker; unknown genders alternate so voices stay distinguishable."""
    first_names: dict[str, str] = {}
    for scene in parsed.scenes:
        for line in scene.lines:
            first_names.setdefault(_name_key(line.speaker), line.speaker or "Narrator")
    characters: list[Character] = []
    genders: dict[Gender, int] = {"female": 0, "male": 0}
    for key, character_id in ids.items():
        if character_id == NARRATOR_ID:
            characters.append(Character(id=NARRATOR_ID, name="Narrator", is_narrator=True))
            continue
        name = _display_name(first_names[key])
        hinted_age, hinted_gender = character_hints(name, context)
        gender: Gender = hinted_gender or ("male" if genders["female"] > genders["male"] else "female")
        genders[gender] += 1
        age: AgeGroup = hinted_age or "adult"
        characters.append(Character(id=character_id, name=name, age=age, gender=gender))
    return characters
