"""Script intake: every upload format parses into the expected scenes and speakers; bad input is refused."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpu_stages.script import ScriptRejected, count_words, detect_format, plan_script, read_upload
from gpu_stages.script.intake import parse_script

MARKDOWN = """# The Market Day

## Scene one: the market

Ravi walks through the busy bazaar with his sister.

RAVI: Meera, look at these mangoes!

**MEERA** (laughing): You always say that.

## Scene two: home at night

They sit on the verandah under the stars.

MEERA: Goodnight, Ravi.
"""

FOUNTAIN = """Title: Two Lamps

INT. KITCHEN - NIGHT

Rain on the window. PRIYA (10) stirs a pot.

PRIYA (O.S.)
(whispering)
Dadi, is it ready?

DADI (CONT'D)
Almost, beta.

EXT. TEMPLE STEPS - DAWN

NARRATOR (V.O.)
The next morning, the bells rang.

PRIYA
(excitedly)
We're here!
"""


def _speakers(plan) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[line.speaker for line in scene.lines] for scene in plan.scenes]


def test_plain_text_without_headings_is_one_scene_with_narration_and_dialogue() -> None:
    text = "The sun rose over the hills.\n\nASHA: Good morning!\nBEN: Morning, Asha.\n\nThey walked on."
    plan = plan_script(text, "text", title="Hills")
    assert len(plan.scenes) == 1
    assert _speakers(plan) == [["narrator", "asha", "ben", "narrator"]]
    narrator = next(c for c in plan.characters if c.id == "narrator")
    assert narrator.is_narrator
    assert [line.text for line in plan.scenes[0].lines][1] == "Good morning!"


def test_plain_text_scene_lines_start_scenes() -> None:
    text = "Scene 1: The river\n\nThe water was cold.\n\nScene 2: The forest\n\nBirds sang in the trees."
    plan = plan_script(text, "text", title="Two")
    assert [scene.heading for scene in plan.scenes] == ["Scene 1: The river", "Scene 2: The forest"]
    assert [scene.setting for scene in plan.scenes] == ["riverbank", "forest"]


def test_markdown_headings_start_scenes_and_name_colon_is_dialogue() -> None:
    plan = plan_script(MARKDOWN, "markdown", title="Untitled")
    assert plan.title == "The Market Day"
    assert [scene.heading for scene in plan.scenes] == ["Scene one: the market", "Scene two: home at night"]
    assert _speakers(plan) == [["narrator", "ravi", "meera"], ["narrator", "meera"]]
    laughing = plan.scenes[0].lines[2]
    assert laughing.parenthetical == "(laughing)"
    assert laughing.text == "You always say that."
    assert laughing.emotion == "happy"


def test_fountain_strips_extensions_and_keeps_parentheticals() -> None:
    plan = plan_script(FOUNTAIN, "fountain", title="Untitled")
    assert plan.title == "Two Lamps"
    assert [scene.heading for scene in plan.scenes] == ["INT. KITCHEN - NIGHT", "EXT. TEMPLE STEPS - DAWN"]
    assert _speakers(plan) == [["priya", "dadi"], ["narrator", "priya"]]
    assert {c.id for c in plan.characters} == {"priya", "dadi", "narrator"}
    first = plan.scenes[0].lines[0]
    assert (first.parenthetical, first.emotion) == ("(whispering)", "calm")
    assert plan.scenes[1].lines[1].emotion == "excited"
    kitchen, temple = plan.scenes
    assert (kitchen.setting, kitchen.interior, kitchen.time_of_day) == ("kitchen", True, "night")
    assert (temple.setting, temple.interior, temple.time_of_day) == ("temple", False, "dawn")


def test_fountain_action_is_not_spoken() -> None:
    plan = plan_script(FOUNTAIN, "fountain", title="x")
    spoken = " ".join(line.text for scene in plan.scenes for line in scene.lines)
    assert "Rain on the window" not in spoken


def test_docx_upload_with_heading_styles_becomes_scenes() -> None:
    import docx

    document = docx.Document()
    document.add_heading("At the temple", level=2)
    document.add_paragraph("The bells rang softly at dawn.")
    document.add_paragraph("PRIYA: Dadi, can I ring the bell?")
    document.add_paragraph("DADI: Gently, beta.")
    document.add_heading("By the river", level=2)
    document.add_paragraph("The boats drifted past the ghats.")
    buffer = io.BytesIO()
    document.save(buffer)

    upload = read_upload(buffer.getvalue(), "Temple Story.docx")
    assert upload.source_format == "docx"
    assert upload.format == "markdown"
    plan = plan_script(upload.text, "docx", title="Temple")
    assert [scene.heading for scene in plan.scenes] == ["At the temple", "By the river"]
    assert _speakers(plan) == [["narrator", "priya", "dadi"], ["narrator"]]
    assert [scene.setting for scene in plan.scenes] == ["temple", "riverbank"]


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text lines, built by hand (offsets computed for the xref)."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = zlib.compress("\n".join(ops).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_upload_text_is_extracted_and_parsed() -> None:
    pdf = _minimal_pdf(
        [
            "INT. OFFICE - DAY",
            "",
            "SARAH: The client loved the presentation!",
            "",
            "JOHN: (surprised) Really? All of it?",
            "",
            "EXT. CITY STREET - NIGHT",
            "",
            "They walk out into the busy traffic.",
        ]
    )
    upload = read_upload(pdf, "pitch.pdf")
    assert upload.source_format == "pdf"
    assert "SARAH: The client loved the presentation!" in upload.text  # pypdf really extracted it
    plan = plan_script(upload.text, "pdf", title="Pitch")
    assert [scene.heading for scene in plan.scenes] == ["INT. OFFICE - DAY", "EXT. CITY STREET - NIGHT"]
    assert _speakers(plan) == [["sarah", "john"], ["narrator"]]
    assert plan.scenes[0].lines[1].emotion == "surprised"
    assert [(s.setting, s.interior) for s in plan.scenes] == [("office", True), ("city_street", False)]


def test_format_is_detected_from_filename_and_content() -> None:
    assert detect_format(FOUNTAIN) == "fountain"
    assert detect_format(MARKDOWN) == "markdown"
    assert detect_format("ASHA: Hello.\n\nBEN: Hi.") == "text"
    assert detect_format("Just words.", filename="notes.fountain") == "fountain"
    assert read_upload(FOUNTAIN.encode(), "script.txt").format == "fountain"
    assert read_upload(MARKDOWN.encode("utf-8-sig"), "story.md").format == "markdown"


def test_windows_1252_text_upload_is_decoded() -> None:
    upload = read_upload("Caf\u00e9 scene.\n\nZO\u00cb: Bonjour!".encode("cp1252"), "cafe.txt")
    assert "Café" in upload.text and "ZOË: Bonjour!" in upload.text


def test_empty_script_is_rejected_with_advice() -> None:
    with pytest.raises(ScriptRejected, match="empty"):
        plan_script("  \n\n ", "text", title="x")
    with pytest.raises(ScriptRejected, match="empty"):
        read_upload(b"", "blank.txt")


def test_random_bytes_named_txt_are_rejected_as_unreadable() -> None:
    noise = random.Random(7).randbytes(4000)
    with pytest.raises(ScriptRejected) as rejected:
        read_upload(noise, "script.txt")
    assert "readable text" in rejected.value.message and ".docx" in rejected.value.message


def test_png_named_pdf_is_rejected_as_an_image() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(ScriptRejected, match="PNG image") as rejected:
        read_upload(png, "script.pdf")
    assert "Upload" in rejected.value.message


def test_text_named_docx_and_unknown_extensions_are_rejected() -> None:
    with pytest.raises(ScriptRejected, match="Word"):
        read_upload(b"just text", "script.docx")
    with pytest.raises(ScriptRejected, match="not a supported"):
        read_upload(b"hello", "movie.mp4")


def test_pdf_without_text_is_rejected() -> None:
    with pytest.raises(ScriptRejected, match="no selectable text"):
        read_upload(_minimal_pdf([]), "scan.pdf")


def test_too_many_words_says_how_many_and_what_to_do() -> None:
    text = "word " * 5210
    with pytest.raises(ScriptRejected) as rejected:
        plan_script(text, "text", title="Long")
    message = rejected.value.message
    assert "5,210 words" in message and "allows 5,000" in message and "Shorten" in message
    plan = plan_script("word " * 120, "text", title="Short", max_words=200)
    assert plan.scenes


def test_word_count_counts_cjk_characters_and_skips_punctuation() -> None:
    assert count_words("Hello, world — again!") == 3
    assert count_words("今日は 晴れ") == 5
    assert count_words("नमस्ते दुनिया") == 2


def test_headings_only_script_is_rejected() -> None:
    with pytest.raises(ScriptRejected, match="no lines"):
        plan_script("# Title\n\n## Scene one\n\n## Scene two\n", "markdown", title="x")


def test_parse_keeps_multi_line_parentheticals_and_dual_dialogue() -> None:
    text = "INT. ROOM - DAY\n\nANA\n(very\nquietly)\nHello.\n\nBOB\nHi!\n\nCAL ^\nHey!\n"
    parsed = parse_script(text, "fountain")
    lines = parsed.scenes[0].lines
    assert [(line.speaker, line.text) for line in lines] == [
        ("ANA", "Hello."),
        ("BOB", "Hi!"),
        ("CAL", "Hey!"),
    ]
    assert lines[0].parenthetical == "(very quietly)"


_PIECES = [
    *"abcXYZ :#\n()!?.,-^@>*_[]",
    "\n\n", "INT. ", "EXT. ", "## ", "NAME: ", "(O.S.)", "(softly)", "प्रिया", "ليلى", "今日は", "Title: ",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
    fmt=st.sampled_from(["text", "markdown", "fountain", "docx", "pdf"]),
    target=st.none() | st.floats(30, 600),
)
def test_any_text_is_either_planned_or_rejected_with_a_message(
    text: str, fmt: str, target: float | None
) -> None:
    try:
        plan = plan_script(text, fmt, title="t", target_seconds=target)  # type: ignore[arg-type]
    except ScriptRejected as rejected:
        assert rejected.message.endswith(".")
        return
    assert plan.scenes and plan.estimated_seconds > 0
    assert all(len(line.id) == 12 for scene in plan.scenes for line in scene.lines)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300), name=st.sampled_from(["a.txt", "a.md", "a.pdf", "a.docx", "a.fountain"]))
def test_any_uploaded_bytes_are_read_or_rejected_with_a_message(data: bytes, name: str) -> None:
    try:
        upload = read_upload(data, name)
    except ScriptRejected as rejected:
        assert name in rejected.message or "script" in rejected.message.lower()
        return
    assert upload.text.strip()
