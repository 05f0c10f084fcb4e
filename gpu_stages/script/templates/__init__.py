"""Bundled starter scripts a creator can pick and edit: educational, marketing, story, podcast, devotional."""

from __future__ import annotations

from importlib import resources

from schemas.film import ScriptFormat

_FILES: dict[str, tuple[str, ScriptFormat]] = {
    "educational": ("educational.md", "markdown"),
    "marketing": ("marketing.md", "markdown"),
    "story": ("story.fountain", "fountain"),
    "podcast": ("podcast.txt", "text"),
    "devotional": ("devotional.md", "markdown"),
}


class UnknownTemplate(KeyError):
    """No bundled template has that name."""


def list_templates() -> list[str]:
    """Names of the bundled templates."""
    return list(_FILES)


def load_template(name: str) -> tuple[str, ScriptFormat]:
    """The template's script text and its format, e.g. `load_template("story")`."""
    if name not in _FILES:
        raise UnknownTemplate(f"No template named {name!r}. Choose one of: {', '.join(_FILES)}.")
    filename, fmt = _FILES[name]
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return text, fmt
