"""Script intake: decode uploads, detect the format, refuse unusable scripts, parse into scenes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from gpu_stages.script.document import ParsedScript
from gpu_stages.script.errors import ScriptRejected
from gpu_stages.script.parse_fountain import parse_fountain
from gpu_stages.script.parse_text import parse_markdown, parse_plain_text
from gpu_stages.script.uploads import SUPPORTED, decode_text, docx_text, pdf_text
from schemas.film import ScriptFormat

DEFAULT_MAX_WORDS = 5000

_EXTENSIONS: dict[str, ScriptFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".fountain": "fountain",
    ".spmd": "fountain",
    ".docx": "docx",
    ".pdf": "pdf",
}
_SLUG = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[.\s]\s*\S.*$|^\.[A-Z][A-Z0-9 ]")
_CUE = re.compile(r"^[A-Z][A-Z0-9 .'\-]{1,30}(?:\s*\([^)]*\))?\s*\^?$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S", re.M)
_MD_EMPHASIS = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class ScriptUpload:
    """An uploaded file converted to text; `format` says how that text is laid out."""

    text: str
    format: ScriptFormat
    source_format: ScriptFormat
    filename: str


def read_upload(data: bytes, filename: str, *, max_words: int = DEFAULT_MAX_WORDS) -> ScriptUpload:
    """Bytes + filename -> checked script text and its layout (text, markdown or fountain)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix and suffix not in _EXTENSIONS:
        raise ScriptRejected(
            f"'{filename}' is not a supported script file. Upload the script as {SUPPORTED}."
        )
    if not data.strip():
        raise ScriptRejected(f"'{filename}' is empty. Write or paste the script, then upload it again.")
    declared = _EXTENSIONS.get(suffix, "text")
    if declared == "docx":
        text = docx_text(data, filename)
    elif declared == "pdf":
        text = pdf_text(data, filename)
    else:
        text = decode_text(data, filename)
    check_script_text(text, max_words=max_words, source=f"'{filename}'")
    layout = declared if declared in ("markdown", "fountain") else detect_format(text)
    return ScriptUpload(text=text, format=layout, source_format=declared, filename=filename)


def detect_format(text: str, filename: str | None = None) -> ScriptFormat:
    """The layout of script text: from the file extension when it is specific, else from content."""
    if filename:
        declared = _EXTENSIONS.get(PurePath(filename).suffix.lower())
        if declared in ("markdown", "fountain"):
            return declared
    lines = [line.rstrip() for line in text.splitlines()]
    slugs = sum(1 for line in lines if _SLUG.match(line.strip()))
    cues = sum(
        1
        for line, following in zip(lines, [*lines[1:], ""], strict=True)
        if _CUE.match(line.strip())
        and following.strip()
        and not _CUE.match(following.strip())
        and ":" not in line
        and not _SLUG.match(line.strip())
    )
    if (slugs and cues) or (slugs >= 2 and not _has_colon_dialogue(lines)):
        return "fountain"
    if _MD_HEADING.search(text) or len(_MD_EMPHASIS.findall(text)) >= 2:
        return "markdown"
    return "text"


def _has_colon_dialogue(lines: list[str]) -> bool:
    from gpu_stages.script.line_grammar import parse_dialogue

    return sum(1 for line in lines if parse_dialogue(line)) >= 2


def count_words(text: str) -> int:
    """Words separated by spaces; each CJK character counts as one word (those scripts use no spaces)."""
    total = 0
    for token in text.split():
        cjk = len(_CJK.findall(token))
        if cjk:
            total += cjk + (1 if any(ch.isalnum() for ch in _CJK.sub("", token)) else 0)
        elif any(ch.isalnum() for ch in token):
            total += 1
    return total


def check_script_text(text: str, *, max_words: int = DEFAULT_MAX_WORDS, source: str = "The script") -> None:
    """Raise `ScriptRejected` for empty, unreadable (binary) or over-long scripts."""
    stripped = text.strip()
    if not stripped:
        raise ScriptRejected(f"{source} is empty. Write or paste the script, then try again.")
    visible = [ch for ch in stripped if not ch.isspace()]
    broken = sum(1 for ch in stripped if _is_garbage_char(ch))
    letters = sum(1 for ch in visible if unicodedata.category(ch)[0] in "LM")
    if broken > max(2, 0.01 * len(stripped)) or letters < 0.4 * len(visible):
        raise ScriptRejected(
            f"{source} does not contain readable text (it looks like a binary or corrupted file). "
            f"Upload the script as {SUPPORTED}, saved with UTF-8 encoding."
        )
    words = count_words(stripped)
    if words > max_words:
        excess = words - max_words
        raise ScriptRejected(
            f"The script has {words:,} words; your plan allows {max_words:,}. Shorten it by at least "
            f"{excess:,} words, split it into several films, or upgrade your plan."
        )


def _is_garbage_char(ch: str) -> bool:
    if ch in "\t\n\r\f\v":
        return False
    category = unicodedata.category(ch)
    return ch == "\ufffd" or category in ("Cc", "Co", "Cs", "Cn")


def parse_script(text: str, fmt: ScriptFormat) -> ParsedScript:
    """Parse checked script text laid out as `fmt` (docx/pdf text is laid out by its content)."""
    layout = fmt if fmt in ("text", "markdown", "fountain") else detect_format(text)
    if layout == "fountain":
        return parse_fountain(text)
    if layout == "markdown":
        return parse_markdown(text)
    return parse_plain_text(text)
