"""SubRip (SRT) and WebVTT writers."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.media import Cue


def _clock(seconds: float, decimal: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{ms:03d}"


def _lines(text: str) -> str:
    # A blank line ends a cue in both formats, so empty lines inside a cue are dropped.
    return "\n".join(line for line in text.splitlines() if line.strip())


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text: numbered cues with `HH:MM:SS,mmm` times."""
    blocks = [
        f"{n}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n{_lines(cue.text)}\n"
        for n, cue in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[Cue], language: str | None = None) -> str:
    """WebVTT text with `HH:MM:SS.mmm` times; markup characters in the text are escaped."""
    header = "WEBVTT" + (f"\nLanguage: {language}" if language else "") + "\n"
    blocks = [header]
    for cue in cues:
        text = _lines(cue.text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n{text}\n")
    return "\n".join(blocks)
