"""Cut timed lines into subtitle cues: short enough to read, on screen while the words are spoken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gpu_stages.subtitles.scripts import display_width, dominant_script
from gpu_stages.subtitles.tokens import Token, timed_tokens
from schemas.media import Cue, Timeline, VoiceTrack, WordTiming

SENTENCE_END = tuple(".!?।॥。！？؟…")  # noqa: RUF001
CLAUSE_END = tuple(",;:،、，；：—")  # noqa: RUF001


@dataclass(frozen=True)
class CueRules:
    """How much text a cue may hold and how long it stays on screen."""

    max_chars: int = 42
    max_chars_cjk: int = 18
    max_lines: int = 2
    linger: float = 0.3
    """Seconds a cue stays after its last word ends (cut short by the next cue)."""
    min_duration: float = 0.8
    max_duration: float = 7.0


class MissingVoiceTiming(ValueError):
    """A timeline line has no voiced line to take word timings from."""


def build_cues(
    timeline: Timeline,
    voices: VoiceTrack,
    language: str,
    rules: CueRules = CueRules(),
    texts: Sequence[str] | None = None,
) -> list[Cue]:
    """Cues for every timeline line, timed by the voice's words; `texts` replaces the line texts
    (a translation), in which case timing spreads over the voiced span by character position."""
    voiced = {line.line_id: line for line in voices.lines}
    drafts: list[tuple[float, float, str, str]] = []
    for i, line in enumerate(timeline.lines):
        voice = voiced.get(line.line_id)
        if voice is None:
            raise MissingVoiceTiming(
                f"line {line.line_id!r} has no voiced audio; synthesise voices before subtitles"
            )
        words: Sequence[WordTiming] = voice.words if texts is None else ()
        text = line.text if texts is None else texts[i]
        spoken = (
            (line.start + voice.words[0].start, line.start + voice.words[-1].end)
            if voice.words
            else (line.start, line.end)
        )
        tokens = timed_tokens(text, words, offset=line.start, fallback=spoken)
        for start, stop, cue_text in _group(text, tokens, language, rules):
            drafts.append((start, stop, cue_text, line.speaker))
    return _settle(drafts, timeline.duration, rules)


def _group(text: str, tokens: list[Token], language: str, rules: CueRules) -> list[tuple[float, float, str]]:
    """Greedily fill cues with tokens while they still fit in `max_lines` lines."""
    if not tokens:
        return []
    limit = rules.max_chars_cjk if dominant_script(text, language) == "cjk" else rules.max_chars
    groups: list[tuple[float, float, str]] = []
    current: list[Token] = []
    for token in tokens:
        candidate = [*current, token]
        too_long = candidate[-1].stop - candidate[0].start > rules.max_duration and len(current) > 0
        if current and (too_long or _layout(text, candidate, limit, rules.max_lines) is None):
            cut = _clause_cut(text, current)
            groups.append(_finish(text, current[:cut], limit, rules.max_lines))
            current = [*current[cut:], token]
            continue
        current = candidate
        # A sentence end is a natural place to cut once the cue holds a fair amount of text.
        if _piece(text, current).endswith(SENTENCE_END) and _span_width(text, current) >= limit * 0.6:
            groups.append(_finish(text, current, limit, rules.max_lines))
            current = []
    if current:
        groups.append(_finish(text, current, limit, rules.max_lines))
    return groups


def _clause_cut(text: str, tokens: list[Token]) -> int:
    """Where to end a full cue: after the last punctuation in its second half, else after all."""
    whole = _span_width(text, tokens)
    for cut in range(len(tokens) - 1, 0, -1):
        if _span_width(text, tokens[:cut]) < whole * 0.5:
            break
        if _piece(text, tokens[:cut]).endswith(SENTENCE_END + CLAUSE_END):
            return cut
    return len(tokens)


def _finish(text: str, tokens: list[Token], limit: int, max_lines: int) -> tuple[float, float, str]:
    lines = _layout(text, tokens, limit, max_lines) or [_piece(text, tokens)]  # one over-long word
    return tokens[0].start, tokens[-1].stop, "\n".join(lines)


def _piece(text: str, tokens: Sequence[Token]) -> str:
    """The text the tokens cover, with runs of whitespace folded to one space."""
    return " ".join(text[tokens[0].begin : tokens[-1].end].split())


def _span_width(text: str, tokens: Sequence[Token]) -> int:
    return display_width(_piece(text, tokens))


def _layout(text: str, tokens: list[Token], limit: int, max_lines: int) -> list[str] | None:
    """Break tokens into at most `max_lines` lines of at most `limit` clusters, as balanced as
    possible and preferring breaks after punctuation; None if they do not fit."""
    whole = _span_width(text, tokens)
    if whole <= limit:
        return [_piece(text, tokens)]
    if len(tokens) == 1 or max_lines <= 1:
        return None
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(tokens)):
        head = _piece(text, tokens[:cut])
        rest = _layout(text, tokens[cut:], limit, max_lines - 1)
        if display_width(head) > limit or rest is None:
            continue
        widths = [display_width(head), *map(display_width, rest)]
        cost = float(max(widths) - min(widths))
        if head.endswith(SENTENCE_END + CLAUSE_END):
            cost -= limit * 0.25  # a break after punctuation reads better than a balanced one
        if best is None or cost < best[0]:
            best = (cost, [head, *rest])
    return best[1] if best else None


def _settle(drafts: list[tuple[float, float, str, str]], film_end: float, rules: CueRules) -> list[Cue]:
    """Add the linger and the minimum duration without ever overlapping the next cue."""
    drafts.sort(key=lambda d: d[0])
    cues: list[Cue] = []
    for i, (start, stop, text, speaker) in enumerate(drafts):
        next_start = drafts[i + 1][0] if i + 1 < len(drafts) else max(film_end, stop + rules.linger)
        end = max(stop + rules.linger, start + rules.min_duration)
        end = min(end, next_start)
        cues.append(Cue(start=round(start, 3), end=round(end, 3), text=text, speaker=speaker))
    return cues
