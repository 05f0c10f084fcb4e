"""What to publish of a finished film: its files, and video metadata suggested from the script analysis."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from schemas.film import FilmSpec
from schemas.media import FilmOutputs, ScriptPlan
from schemas.video_metadata import (
    DESCRIPTION_LIMIT,
    TAGS_LIMIT,
    TITLE_LIMIT,
    PlaylistAuto,
    PublishOptions,
    VideoMetadata,
    tags_length,
)

CATEGORY_FILM = "1"
CATEGORY_PEOPLE = "22"
CATEGORY_EDUCATION = "27"
LEARNING_SETTINGS = {"classroom", "school", "library", "lab", "laboratory", "lecture"}
LANGUAGE_NAMES = {
    "en": "English", "hi": "Hindi", "ar": "Arabic", "es": "Spanish", "fr": "French", "de": "German",
    "ja": "Japanese", "zh": "Chinese", "pt": "Portuguese", "it": "Italian", "ta": "Tamil", "bn": "Bengali",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
STOPWORDS = set(
    [
        "this",
        "that",
        "with",
        "from",
        "have",
        "they",
        "their",
        "there",
        "then",
        "than",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "would",
        "your",
        "about",
        "into",
        "over",
        "just",
        "like",
        "only",
        "some",
        "such",
        "them",
        "these",
        "those",
        "been",
        "being",
        "also",
        "very",
        "more",
        "most",
        "could",
        "should",
        "after",
        "before",
        "again",
        "here",
        "said",
        "says",
        "each",
        "other",
        "upon",
    ]
)


@dataclass(frozen=True)
class FilmMedia:
    """A film's files to publish, by artifact key."""

    video: str
    thumbnails: list[str]
    captions: list[tuple[str, str, str]]
    """(language, label, SRT artifact key) per subtitle track."""
    themes: list[str]


def film_media(outputs: dict[str, Any]) -> FilmMedia | None:
    """The widest rendition, thumbnails and subtitle tracks of a finished film's stage outputs (None: no video)."""
    plan = script_plan(outputs)
    themes = _themes(plan)
    final = outputs.get("thumbnails")
    if isinstance(final, dict):
        try:
            film = FilmOutputs.model_validate(final)
        except ValidationError:
            film = None
        if film is not None and film.renditions:
            order = {"16:9": 0, "1:1": 1, "9:16": 2}
            best = min(film.renditions, key=lambda r: (order.get(r.aspect, 3), -r.height))
            captions = [(t.language, t.label, t.srt) for t in film.subtitles]
            return FilmMedia(best.video, list(film.thumbnails), captions, themes)
    for output in outputs.values():  # simpler pipelines (title cards) put the video in their last output
        if isinstance(output, dict) and isinstance(output.get("video"), str):
            return FilmMedia(output["video"], [], [], themes)
    return None


def script_plan(outputs: dict[str, Any]) -> ScriptPlan | None:
    raw = outputs.get("script")
    if not isinstance(raw, dict):
        return None
    try:
        return ScriptPlan.model_validate(raw)
    except ValidationError:
        return None


def _themes(plan: ScriptPlan | None) -> list[str]:
    """Settings of the film, most screen time first."""
    if plan is None:
        return []
    counts = Counter({scene.setting: 0 for scene in plan.scenes})
    for scene in plan.scenes:
        counts[scene.setting] += max(1, len(scene.lines))
    return [setting for setting, _ in counts.most_common()]


def _keywords(texts: list[str], limit: int) -> list[str]:
    counts = Counter(w.lower() for text in texts for w in WORD.findall(text) if w.lower() not in STOPWORDS)
    return [w for w, n in counts.most_common(limit * 2) if n > 1][:limit]


def _fit_tags(candidates: list[str]) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for tag in candidates:
        tag = tag.strip().replace("<", "").replace(">", "")[:60]
        if not tag or tag.lower() in seen:
            continue
        if tags_length([*tags, tag]) > TAGS_LIMIT:
            break
        tags.append(tag)
        seen.add(tag.lower())
    return tags


def suggest_metadata(
    spec: FilmSpec | None, outputs: dict[str, Any], options: PublishOptions | None = None
) -> VideoMetadata:
    """Title, description, tags and category from the script analysis; `options` override any of them."""
    plan = script_plan(outputs)
    title = (
        (plan.title if plan and plan.title.strip() else None)
        or (spec.title if spec else "")
        or "Untitled film"
    )
    title = title.replace("<", "").replace(">", "").strip()[:TITLE_LIMIT] or "Untitled film"
    lines = [line for scene in plan.scenes for line in scene.lines] if plan else []
    narration = [line.text for line in lines if line.speaker == "narrator"] or [line.text for line in lines]
    if not narration and spec is not None:
        narration = [p.strip() for p in spec.script.split("\n") if p.strip()]
    logline = " ".join(narration[:2])
    if len(logline) > 280:
        logline = logline[:277].rsplit(" ", 1)[0] + "..."
    parts = [logline] if logline else []
    cast = [c.name for c in plan.characters if not c.is_narrator] if plan else []
    if cast:
        parts.append("Cast: " + ", ".join(cast) + ".")
    if plan and len(plan.scenes) > 1:
        parts.append("Scenes:\n" + "\n".join(f"{s.index + 1}. {s.heading}" for s in plan.scenes[:12]))
    parts.append("Made with AI Film Studio.")
    description = "\n\n".join(parts)[:DESCRIPTION_LIMIT]
    themes = _themes(plan)
    language = LANGUAGE_NAMES.get(plan.language.split("-")[0], "") if plan else ""
    moods = sorted({s.mood for s in plan.scenes if s.mood != "neutral"}) if plan else []
    cultures = sorted({s.culture for s in plan.scenes}) if plan else []
    tags = _fit_tags(
        [*cast, *themes, *_keywords(narration, 8), *moods, *cultures, language, "short film", "animation"]
    )
    category = CATEGORY_FILM
    if spec is not None and spec.podcast:
        category = CATEGORY_PEOPLE
    elif LEARNING_SETTINGS & set(themes):
        category = CATEGORY_EDUCATION
    suggested: dict[str, Any] = {
        "title": title,
        "description": description,
        "tags": tags,
        "category_id": category,
    }
    if options is not None:
        chosen = options.model_dump(exclude_none=True)
        suggested.update({k: v for k, v in chosen.items() if k in VideoMetadata.model_fields})
        if "thumbnail_index" not in chosen:
            suggested["thumbnail_index"] = None  # the creator asked for YouTube's own frame
    return VideoMetadata.model_validate(suggested)


def playlist_title(
    mode: PlaylistAuto, spec: FilmSpec | None, media: FilmMedia, state: Any
) -> tuple[str, str]:
    """(playlist title, theme) for automatic filling: by the film's main setting, or by month."""
    if mode == "theme" and media.themes:
        theme = media.themes[0]
        return f"{theme.replace('_', ' ').title()} films", theme
    month = datetime.now(UTC).strftime("%B %Y")
    return f"Films of {month}", month
