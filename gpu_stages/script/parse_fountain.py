"""Parse Fountain screenplays with screenplain into scenes of dialogue (action is description)."""

from __future__ import annotations

import io
import re

from screenplain.parsers import fountain
from screenplain.types import Action, Dialog, DualDialog, Slug

from gpu_stages.script.document import ParsedScript, RawLine, RawScene

# Character extensions that say where the voice comes from, not who speaks.
_EXTENSION = re.compile(r"\s*\((?:O\.?S\.?|V\.?O\.?|O\.?C\.?|CONT['’]?D|CONTINUED|OFF|PRE-?LAP)\)\s*", re.I)  # noqa: RUF001
_AGE_NOTE = re.compile(r"\s*\([^)]*\)\s*$")


def speaker_name(cue: str) -> str:
    """`PRIYA (O.S.)` -> `PRIYA`; `DADI (CONT'D)` -> `DADI`; also drops `^` and `@` markers."""
    name = _EXTENSION.sub(" ", cue).strip().lstrip("@").rstrip("^").strip()
    return _AGE_NOTE.sub("", name).strip() or name


def parse_fountain(text: str) -> ParsedScript:
    """Slugs start scenes; dialogue blocks become lines, parentheticals kept; action is description.

    A screenplay without any dialogue has its action read out by the narrator instead, so the
    film is never silent.
    """
    screenplay = fountain.parse(io.StringIO(text))
    title_lines = screenplay.title_page.get("Title") or screenplay.title_page.get("title")
    title = " ".join(str(t).strip() for t in title_lines) if title_lines else None
    scenes: list[RawScene] = []
    current = RawScene(heading="")
    for paragraph in screenplay:
        if isinstance(paragraph, Slug):
            if current.lines or current.description or current.heading:
                scenes.append(current)
            current = RawScene(heading=str(paragraph.line).strip())
        elif isinstance(paragraph, Dialog):
            current.lines.extend(_dialog_lines(paragraph))
        elif isinstance(paragraph, DualDialog):
            current.lines.extend(_dialog_lines(paragraph.left))
            current.lines.extend(_dialog_lines(paragraph.right))
        elif isinstance(paragraph, Action):
            action = " ".join(str(line).strip() for line in paragraph.lines).strip()
            if action:
                current.description.append(action)
    if current.lines or current.description or current.heading or not scenes:
        scenes.append(current)
    if not any(scene.lines for scene in scenes):
        for scene in scenes:
            scene.lines = [RawLine(speaker=None, text=action) for action in scene.description]
    return ParsedScript(scenes=scenes, title=title)


def _dialog_lines(dialog: Dialog) -> list[RawLine]:
    """One line per speech run; a parenthetical applies to the speech that follows it."""
    name = speaker_name(str(dialog.character))
    lines: list[RawLine] = []
    parenthetical: str | None = None
    speech: list[str] = []
    for is_parenthetical, block in dialog.blocks:
        text = str(block).strip()
        if is_parenthetical:
            if speech:
                lines.append(RawLine(name, " ".join(speech), parenthetical))
                speech, parenthetical = [], None
            # A parenthetical wrapped over two lines arrives as two blocks: join them.
            parenthetical = f"{parenthetical} {text}" if parenthetical else text
        elif text:
            speech.append(text)
    if speech:
        lines.append(RawLine(name, " ".join(speech), parenthetical))
    return lines
