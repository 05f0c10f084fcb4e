"""How plain-text and Markdown scripts mark speakers (`NAME: line`) and scene headings."""

from __future__ import annotations

import re

from gpu_stages.script.document import RawLine


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (easier to read and extend)."""
    return frozenset(text.split())


# A speaker label: 1-4 words of letters (any script), optional parenthetical, then a colon.
# Python's \w misses combining vowel signs (Devanagari matras, Arabic harakat): allow them explicitly.
_MARKS = "\u0300-\u036f\u0900-\u0dff\u064b-\u065f\u0670"
_DIALOGUE = re.compile(
    rf"^\s*(?P<name>[^\W\d_][\w{_MARKS}.'’\- ]{{0,40}}?)\s*(?:\((?P<paren1>[^)]{{1,60}})\))?\s*[:：](?!\d)\s*"  # noqa: RUF001
    r"(?:\((?P<paren2>[^)]{1,60})\)\s*)?(?P<text>\S.*)$"
)
_HEADING = re.compile(
    r"^\s*(?:(?:scene|act|chapter|part)\s+(?:\d+|[ivxlc]+|one|two|three|four|five|six|seven|eight|"
    r"nine|ten)\b.*|(?:int|ext|int\./ext|i/e|est)[. ].+)$",
    re.IGNORECASE,
)
# Labels that look like `Word: text` but are not people speaking.
_NOT_SPEAKERS = _wordset(
    """note notes time date setting scene location place title subtitle meaning translation
        summary example examples tip tips step chapter part warning caution answer question fact
        facts source sources tags topic duration lesson goal goals key takeaway takeaways cta
        call to action transliteration verse sloka shloka moral hook outro intro episode runtime"""
)
_MAX_NAME_WORDS = 4


def parse_dialogue(line: str) -> RawLine | None:
    """`PRIYA (softly): Hello` -> a dialogue line; None when the line is not `NAME: text`."""
    match = _DIALOGUE.match(line)
    if match is None:
        return None
    name = " ".join(match["name"].split())
    words = name.split()
    if len(words) > _MAX_NAME_WORDS or name.lower() in _NOT_SPEAKERS:
        return None
    if words[0].lower() in _NOT_SPEAKERS and len(words) > 1:
        return None
    # Latin-script names must look like names: a capital first letter (rules out "but then: ...").
    if words[0][0].isascii() and not words[0][0].isupper():
        return None
    parenthetical = match["paren1"] or match["paren2"]
    return RawLine(
        speaker=name,
        text=match["text"].strip(),
        parenthetical=f"({parenthetical.strip()})" if parenthetical else None,
    )


def is_scene_heading(line: str) -> bool:
    """`Scene 2: The river`, `INT. KITCHEN - NIGHT` and similar lines start a scene."""
    return bool(_HEADING.match(line)) and len(line) <= 120
