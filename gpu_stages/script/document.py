"""The parsed shape of a script before analysis: scenes of raw spoken lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawLine:
    """A line as written: who says it (None for narration), its text and any parenthetical."""

    speaker: str | None
    text: str
    parenthetical: str | None = None


@dataclass
class RawScene:
    """A scene as written: its heading (may be empty), descriptive text and lines."""

    heading: str
    lines: list[RawLine] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    """Action or setting text that is not spoken aloud (e.g. Fountain action in brackets)."""


@dataclass
class ParsedScript:
    """A whole script after format parsing: an optional title and its scenes in order."""

    scenes: list[RawScene]
    title: str | None = None

    @property
    def line_count(self) -> int:
        return sum(len(scene.lines) for scene in self.scenes)
