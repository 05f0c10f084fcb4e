"""Loads the moderation term lists: the bundled ones, or an operator's folder of `<language>.txt` files."""

from __future__ import annotations

from pathlib import Path

from processors.moderation import ContentCheck

BUNDLED = Path(__file__).resolve().parent


def load_terms(folder: Path | None = None) -> dict[str, list[str]]:
    """Language -> terms, from each `<language>.txt` in the folder (blank lines and `#` comments skipped)."""
    folder = folder or BUNDLED
    if not folder.is_dir():
        raise FileNotFoundError(
            f"the moderation folder {folder} does not exist; point FILMSTUDIO_MODERATION_DIR at a folder "
            "of <language>.txt term lists (an empty folder turns the check off)"
        )
    terms: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
        terms[path.stem.lower()] = [line for line in lines if line]
    return terms


def content_check(folder: Path | None = None) -> ContentCheck:
    """The check over the term lists in `folder` (None: the lists bundled with the studio)."""
    return ContentCheck(load_terms(folder))
