"""Draw a title, correctly shaped for its script, inside a box of a picture.

Pillow with RAQM shapes Devanagari, Arabic (right to left) and CJK; when Pillow was built
without RAQM the title is drawn by libass through ffmpeg's `ass=` filter instead.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont, features

from gpu_stages.subtitles.ass_format import ass_text
from gpu_stages.subtitles.burn import ass_filter
from gpu_stages.subtitles.scripts import dominant_script, font_for, is_rtl, primary_subtag
from gpu_stages.subtitles.tokens import split_spans

TitleEngine = Literal["raqm", "libass"]
Align = Literal["start", "centre"]


class TitleRenderFailed(RuntimeError):
    """The title could not be drawn (ffmpeg/libass failed)."""


@dataclass(frozen=True)
class TitleBox:
    """Where a title goes: a rectangle, horizontal alignment (start = reading start) and colours."""

    x: int
    y: int
    width: int
    height: int
    align: Align = "centre"
    fill: tuple[int, int, int] = (255, 255, 255)
    outline: tuple[int, int, int] = (0, 0, 0)
    outline_ratio: float = 0.06
    max_lines: int = 3
    max_size: int = 120


def default_engine() -> TitleEngine:
    """RAQM when this Pillow has it (complex-script shaping), libass otherwise."""
    return "raqm" if features.check("raqm") else "libass"


def _font(title: str, language: str, size: int, engine: TitleEngine) -> ImageFont.FreeTypeFont:
    spec = font_for(dominant_script(title, language), language)
    layout = ImageFont.Layout.RAQM if engine == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(spec.bold), size, index=spec.index, layout_engine=layout)


def wrap_title(title: str, font: ImageFont.FreeTypeFont, width: int, language: str) -> list[str]:
    """Greedy lines no wider than `width`, broken between words (between characters for CJK)."""
    lang = primary_subtag(language) if font.layout_engine == ImageFont.Layout.RAQM else None
    spans = split_spans(" ".join(title.split()))
    text = " ".join(title.split())
    lines: list[str] = []
    start = 0
    for k in range(1, len(spans) + 1):
        candidate = text[spans[start][0] : spans[k - 1][1]]
        if k - 1 > start and font.getlength(candidate, language=lang) > width:
            lines.append(text[spans[start][0] : spans[k - 2][1]])
            start = k - 1
    if spans:
        lines.append(text[spans[start][0] : spans[-1][1]])
    return lines


def fit_title(
    title: str, language: str, box: TitleBox, engine: TitleEngine
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font size whose wrapped lines fit the box."""
    size = box.max_size
    while True:
        font = _font(title, language, size, engine)
        lines = wrap_title(title, font, box.width, language)
        lang = primary_subtag(language) if engine == "raqm" else None
        widest = max(font.getlength(line, language=lang) for line in lines)
        if (
            len(lines) <= box.max_lines and widest <= box.width and len(lines) * size * 1.3 <= box.height
        ) or size <= 18:
            return font, _balance(title, font, lines, box.width, language)
        size = int(size * 0.92)


def _balance(
    title: str, font: ImageFont.FreeTypeFont, lines: list[str], width: int, language: str
) -> list[str]:
    """Narrow the wrap width while the line count holds, so no line is left with one word."""
    best = lines
    for narrower in range(width - 20, width // 3, -20):
        candidate = wrap_title(title, font, narrower, language)
        if len(candidate) != len(lines):
            break
        best = candidate
    return best


def draw_title(
    picture: Image.Image, title: str, language: str, box: TitleBox, engine: TitleEngine | None = None
) -> Image.Image:
    """A copy of `picture` with the title drawn in `box`, shaped for its script."""
    engine = engine or default_engine()
    if engine == "libass":
        return _draw_with_libass(picture, title, language, box)
    font, lines = fit_title(title, language, box, engine)
    out = picture.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    rtl = is_rtl(language, title)
    lang = primary_subtag(language)
    stroke = max(2, round(font.size * box.outline_ratio))
    line_height = round(font.size * 1.3)
    top = box.y + (box.height - line_height * len(lines)) // 2
    for n, line in enumerate(lines):
        width = font.getlength(line, language=lang)
        if box.align == "centre":
            x = box.x + (box.width - width) / 2
        else:
            x = box.x + box.width - width if rtl else box.x
        draw.text(
            (x, top + n * line_height + line_height / 2),
            line,
            font=font,
            fill=box.fill,
            stroke_width=stroke,
            stroke_fill=box.outline,
            language=lang,
            anchor="lm",
        )
    return out


def _draw_with_libass(picture: Image.Image, title: str, language: str, box: TitleBox) -> Image.Image:
    """Draw the title with libass: an ASS event placed at the box, rendered by ffmpeg onto the picture."""
    font, lines = fit_title(title, language, box, "libass")  # unshaped widths: close enough to wrap
    spec = font_for(dominant_script(title, language), language)
    rtl = is_rtl(language, title)
    column = {"centre": 2, "start": 3 if rtl else 1}[box.align]
    anchor_x = {2: box.x + box.width // 2, 1: box.x, 3: box.x + box.width}[column]
    anchor_y = box.y + box.height // 2
    r, g, b = box.fill
    orr, og, ob = box.outline
    # libass sizes a font by its ascent + descent, Pillow by its em: convert so both look the same.
    size = sum(font.getmetrics())
    ass = "\n".join(
        [
            "[Script Info]",
            "ScriptType: v4.00+",
            "WrapStyle: 2",
            "ScaledBorderAndShadow: yes",
            "YCbCr Matrix: None",
            f"PlayResX: {picture.width}",
            f"PlayResY: {picture.height}",
            "",
            "[V4+ Styles]",
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
            "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
            "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
            f"Style: Title,{spec.family},{size},&H00{b:02X}{g:02X}{r:02X},&H000000FF,"
            f"&H00{ob:02X}{og:02X}{orr:02X},&H00000000,-1,0,0,0,100,100,0,0,1,"
            f"{max(2, round(font.size * box.outline_ratio))},0,{3 + column},0,0,0,{-1 if rtl else 1}",
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
            f"Dialogue: 0,0:00:00.00,0:00:10.00,Title,,0,0,0,,{{\\pos({anchor_x},{anchor_y})}}"
            + ass_text("\n".join(lines)),
        ]
    )
    with tempfile.TemporaryDirectory(prefix="title-") as tmp:
        src, ass_path, dst = Path(tmp) / "in.png", Path(tmp) / "title.ass", Path(tmp) / "out.png"
        picture.convert("RGB").save(src)
        ass_path.write_text(ass + "\n", encoding="utf-8")
        cmd = [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-i", str(src), "-vf", ass_filter(ass_path), "-frames:v", "1", str(dst),
        ]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not dst.exists():
            raise TitleRenderFailed(f"libass could not draw the title: {done.stderr[-400:]}")
        with Image.open(dst) as rendered:
            return rendered.convert("RGB")
