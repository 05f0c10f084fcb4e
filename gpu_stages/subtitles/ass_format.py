"""Advanced SubStation Alpha (ASS) files styled for one frame size, rendered by libass."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from gpu_stages.subtitles.scripts import dominant_script, font_for, is_rtl
from schemas.film import SubtitleStyle
from schemas.media import Cue, SubtitleTrack

HorizontalAlign = Literal["centre", "start"]
"""`start` is the reading start: left for left-to-right text, right for Arabic and other RTL."""

BOX_COLOUR = "&H60000000"  # black, alpha 0x60 (about 62 % opaque)
OUTLINE_COLOUR = "&H00000000"
SHADOW_COLOUR = "&H80000000"


class InvalidSubtitleStyle(ValueError):
    """The creator's subtitle style cannot be drawn (e.g. a colour that is not #RRGGBB)."""


@dataclass(frozen=True)
class AssStyle:
    """The values of one ASS `Style:` line, in PlayRes pixels."""

    font: str
    size: int
    primary: str
    outline_colour: str
    back_colour: str
    border_style: int
    outline: float
    shadow: float
    alignment: int
    margin_l: int
    margin_r: int
    margin_v: int
    bold: bool
    encoding: int

    def line(self, name: str = "Default") -> str:
        return (
            f"Style: {name},{self.font},{self.size},{self.primary},&H000000FF,{self.outline_colour},"
            f"{self.back_colour},{-1 if self.bold else 0},0,0,0,100,100,0,0,{self.border_style},"
            f"{self.outline:g},{self.shadow:g},{self.alignment},{self.margin_l},{self.margin_r},"
            f"{self.margin_v},{self.encoding}"
        )


def auto_font_size(width: int, height: int) -> int:
    """Font size for a frame: ~5.5 % of its height, narrowed so 42 characters fit a tall frame."""
    return max(12, round(min(height * 0.055, width * 0.045)))


def ass_colour(hex_rgb: str, alpha: int = 0) -> str:
    """`#RRGGBB` as an ASS colour `&HAABBGGRR` (alpha 0 = opaque)."""
    match = re.fullmatch(r"#?([0-9a-fA-F]{6})", hex_rgb.strip())
    if not match:
        raise InvalidSubtitleStyle(
            f"subtitle colour {hex_rgb!r} is not a colour like '#FFFFFF'; pick a #RRGGBB value"
        )
    rr, gg, bb = (match.group(1)[i : i + 2].upper() for i in (0, 2, 4))
    return f"&H{alpha:02X}{bb}{gg}{rr}"


def style_for(
    style: SubtitleStyle,
    language: str,
    width: int,
    height: int,
    sample_text: str = "",
    align: HorizontalAlign = "centre",
) -> AssStyle:
    """Map the creator's `SubtitleStyle` onto an ASS style for a `width` x `height` frame."""
    if width <= 0 or height <= 0:
        raise InvalidSubtitleStyle(f"frame size {width}x{height} must be positive")
    size = style.size or auto_font_size(width, height)
    rtl = is_rtl(language, sample_text)
    row = {"bottom": 0, "middle": 3, "top": 6}[style.position]  # numpad: 1-3 bottom, 4-6 middle, 7-9 top
    column = 2 if align == "centre" else (3 if rtl else 1)
    font = style.font or font_for(dominant_script(sample_text, language), language).family
    if style.box:
        border_style, outline, shadow, outline_colour = 3, max(2.0, round(size * 0.18, 1)), 0.0, BOX_COLOUR
    else:
        border_style, outline, shadow = 1, max(1.5, round(size * 0.06, 1)), max(1.0, round(size * 0.03, 1))
        outline_colour = OUTLINE_COLOUR
    return AssStyle(
        font=font,
        size=size,
        primary=ass_colour(style.colour),
        outline_colour=outline_colour,
        back_colour=SHADOW_COLOUR,
        border_style=border_style,
        outline=outline,
        shadow=shadow,
        alignment=row + column,
        margin_l=round(width * 0.05),
        margin_r=round(width * 0.05),
        margin_v=round(height * 0.05),
        bold=False,
        # -1 lets libass detect the paragraph direction, so RTL punctuation lands on the left.
        encoding=-1 if rtl else 1,
    )


def _ass_clock(seconds: float) -> str:
    cs = max(0, round(seconds * 100))
    hours, cs = divmod(cs, 360_000)
    minutes, cs = divmod(cs, 6000)
    secs, cs = divmod(cs, 100)
    return f"{hours}:{minutes:02d}:{secs:02d}.{cs:02d}"


def ass_text(text: str) -> str:
    """Cue text as an ASS event: line breaks as `\\N`; braces and backslashes cannot act as tags."""
    # This libass has no escape for `{` (it opens an override block) nor for `\`; look-alikes
    # keep the words readable instead of silently dropping them.
    safe = text.replace("\\", "\u29f5").replace("{", "(").replace("}", ")")
    return "\\N".join(line.strip() for line in safe.splitlines() if line.strip())


def to_ass(
    cues: Sequence[Cue],
    ass_style: AssStyle,
    width: int,
    height: int,
    title: str = "",
) -> str:
    """A complete ASS script whose PlayRes is the frame size, so sizes are in frame pixels."""
    header = [
        "[Script Info]",
        f"Title: {title or 'subtitles'}",
        "ScriptType: v4.00+",
        "WrapStyle: 0",
        "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: None",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
        "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        ass_style.line(),
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    events = [
        f"Dialogue: 0,{_ass_clock(cue.start)},{_ass_clock(cue.end)},Default,"
        f"{(cue.speaker or '').replace(',', ' ')},0,0,0,,{ass_text(cue.text)}"
        for cue in cues
    ]
    return "\n".join([*header, *events]) + "\n"


def ass_for_frame(
    track: SubtitleTrack,
    style: SubtitleStyle,
    width: int,
    height: int,
    align: HorizontalAlign = "centre",
) -> str:
    """The track as ASS text styled for one frame size (call once per aspect ratio rendered)."""
    sample = " ".join(cue.text for cue in track.cues[:20])
    return to_ass(
        track.cues, style_for(style, track.language, width, height, sample, align), width, height, track.label
    )
