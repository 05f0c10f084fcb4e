"""A user's saved characters: every version of every look, as small JSON files under one folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

from schemas.media import CharacterLook

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class InvalidLibraryKey(ValueError):
    """A user or character id that cannot name a file (slashes, dots-only, empty)."""


def _safe(value: str, what: str) -> str:
    if not _SAFE_ID.match(value) or ".." in value:
        raise InvalidLibraryKey(f"{what} {value!r} must be letters, digits, '.', '_' or '-' (at most 128)")
    return value


class CastLibrary:
    """Keeps every version of a user's characters; the latest is reused across projects."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, user_id: str, character_id: str) -> Path:
        return self.root / _safe(user_id, "user id") / f"{_safe(character_id, 'character id')}.json"

    def versions(self, user_id: str, character_id: str) -> list[CharacterLook]:
        """All saved versions, oldest first."""
        path = self._file(user_id, character_id)
        if not path.exists():
            return []
        return [CharacterLook.model_validate(item) for item in json.loads(path.read_text())["versions"]]

    def latest(self, user_id: str, character_id: str) -> CharacterLook | None:
        saved = self.versions(user_id, character_id)
        return saved[-1] if saved else None

    def version(self, user_id: str, character_id: str, version: int) -> CharacterLook | None:
        return next((v for v in self.versions(user_id, character_id) if v.version == version), None)

    def characters(self, user_id: str) -> list[str]:
        folder = self.root / _safe(user_id, "user id")
        return sorted(p.stem for p in folder.glob("*.json")) if folder.exists() else []

    def save(self, user_id: str, look: CharacterLook) -> CharacterLook:
        """Store a look as a new version; saving the same look as the latest changes nothing."""
        saved = self.versions(user_id, look.character_id)
        if saved and _same(saved[-1], look):
            return saved[-1]
        stored = look.model_copy(update={"version": (saved[-1].version + 1) if saved else 1})
        path = self._file(user_id, look.character_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(
            json.dumps({"versions": [v.model_dump(mode="json") for v in [*saved, stored]]}, indent=1)
        )
        tmp.replace(path)  # atomic: a reader never sees a half-written library file
        return stored


def _same(a: CharacterLook, b: CharacterLook) -> bool:
    return a.model_dump(exclude={"version"}) == b.model_dump(exclude={"version"})
