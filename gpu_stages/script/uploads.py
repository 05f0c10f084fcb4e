"""Turn uploaded bytes (.txt, .md, .fountain, .docx, .pdf) into script text."""

from __future__ import annotations

import io
import zipfile

from gpu_stages.script.errors import ScriptRejected
from gpu_stages.script.line_grammar import is_scene_heading, parse_dialogue

SUPPORTED = ".txt, .md, .fountain, .docx or .pdf"

# Leading bytes of common non-script files, so a PNG renamed to .pdf gets a precise message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "an audio or video file"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an audio file"),
    (b"\x1a\x45\xdf\xa3", "a video file"),
    (b"\x00\x00\x00", "a video or binary file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) file"),
    (b"{\\rtf", "an RTF document"),
)


def sniff_binary_kind(data: bytes) -> str | None:
    """What a file's first bytes say it is ('a PNG image', 'a PDF', ...), or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def decode_text(data: bytes, filename: str) -> str:
    """Bytes of a text file to str: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    kind = sniff_binary_kind(data)
    if kind is not None and kind != "an RTF document":
        raise ScriptRejected(
            f"'{filename}' looks like {kind}, not a text script. Upload the script as {SUPPORTED}."
        )
    if kind == "an RTF document":
        raise ScriptRejected(f"'{filename}' is an RTF document. Save it as .docx or .txt and upload that.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Old Windows editors save text as cp1252; whether the result is readable is judged later.
        return data.decode("cp1252", errors="replace")


def docx_text(data: bytes, filename: str) -> str:
    """Paragraphs of a .docx; Word heading styles become Markdown headings so they start scenes."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        kind = sniff_binary_kind(data) or "not a Word document"
        raise ScriptRejected(
            f"'{filename}' is named .docx but is {kind}. Upload a Word .docx file, or the script "
            f"as {SUPPORTED}."
        )
    import docx  # deferred: only uploads need python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for broken packages
        raise ScriptRejected(
            f"'{filename}' could not be opened as a Word document ({type(exc).__name__}). "
            "Open it in Word or LibreOffice, save it again as .docx and re-upload it."
        ) from exc
    out: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            out.append("")
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = _heading_level(style)
        if level:
            out.extend(["", "#" * level + " " + text, ""])
        else:
            out.extend([text, ""])
    return "\n".join(out)


def _heading_level(style: str) -> int:
    """'Heading 2' -> 2, 'Title' -> 1, anything else -> 0."""
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        suffix = style.removeprefix("Heading ").strip()
        return int(suffix) if suffix.isdigit() and 1 <= int(suffix) <= 6 else 0
    return 0


def pdf_text(data: bytes, filename: str) -> str:
    """The selectable text of a PDF, page after page."""
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        kind = sniff_binary_kind(data) or "not a PDF"
        raise ScriptRejected(
            f"'{filename}' is named .pdf but is {kind}. Upload a real PDF, or the script as {SUPPORTED}."
        )
    import pypdf  # deferred: only uploads need pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ScriptRejected(
                f"'{filename}' is password-protected. Remove the password, or upload the script as text."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ScriptRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ScriptRejected(
            f"'{filename}' is a damaged PDF ({exc}). Export it again from your editor, or upload "
            f"the script as {SUPPORTED}."
        ) from exc
    text = "\n\n".join(restore_paragraphs(page.strip()) for page in pages)
    if not text.strip():
        raise ScriptRejected(
            f"'{filename}' has no selectable text (it may be a scanned image). Upload the script as "
            "text, .docx, or a PDF exported from a text editor."
        )
    return text


def restore_paragraphs(text: str) -> str:
    """PDF text loses blank lines: put them back before speakers and headings and after sentences.

    A line that ends a sentence closes its paragraph; a wrapped line (no closing punctuation) joins
    the next one, so a screenplay cue such as `PRIYA` stays attached to its speech.
    """
    out: list[str] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            out.append("")
            continue
        starts_block = is_scene_heading(line) or parse_dialogue(line) is not None
        previous = out[-1] if out else ""
        if (previous and (starts_block or previous.endswith((".", "!", "?", '"', "”", "।", "。")))) or (
            previous and is_scene_heading(previous)
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)
