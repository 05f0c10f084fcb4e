"""Parse plain-text and Markdown scripts into scenes of narration and `NAME: line` dialogue."""

from __future__ import annotations

import re

from gpu_stages.script.document import ParsedScript, RawLine, RawScene
from gpu_stages.script.line_grammar import is_scene_heading, parse_dialogue

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`|~~)(?=\S)(.+?)(?<=\S)\1")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*>\s?")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def parse_plain_text(text: str) -> ParsedScript:
    """Blank lines separate paragraphs; `NAME: line` is dialogue; `Scene 1`/`INT.` lines start scenes."""
    lines = text.splitlines()
    title = _leading_title(lines)
    if title is not None:
        lines = lines[lines.index(next(line for line in lines if line.strip())) + 1 :]
    builder = _SceneBuilder()
    for raw in lines:
        line = raw.strip()
        if not line:
            builder.end_paragraph()
        elif is_scene_heading(line):
            builder.start_scene(line)
        else:
            builder.add(line)
    return ParsedScript(scenes=builder.finish(), title=title)


def _leading_title(lines: list[str]) -> str | None:
    """A short first line standing alone, without closing punctuation, is the title (not spoken)."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return None
    first = lines[filled[0]].strip()
    alone = filled[0] + 1 < len(lines) and not lines[filled[0] + 1].strip()
    if (
        alone
        and len(first.split()) <= 12
        and not first.endswith((".", "!", "?", ",", ";", "।", "。"))
        and parse_dialogue(first) is None
        and not is_scene_heading(first)
    ):
        return first
    return None


def parse_markdown(text: str) -> ParsedScript:
    """`#`/`##` headings start scenes (a lone leading `#` over `##` scenes is the title)."""
    text = _HTML_COMMENT.sub("", text)
    lines = text.splitlines()
    headings = [(len(m[1]), m[2]) for m in (_MD_HEADING.match(line) for line in lines) if m]
    title: str | None = None
    title_level = 0
    top_levels = [level for level, _ in headings if level == 1]
    if len(top_levels) == 1 and headings[0][0] == 1 and any(level > 1 for level, _ in headings):
        title, title_level = _strip_inline(headings[0][1]), 1
    builder = _SceneBuilder()
    in_fence = False
    for raw in lines:
        if raw.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or _MD_RULE.match(raw):
            builder.end_paragraph()
            continue
        heading = _MD_HEADING.match(raw)
        if heading:
            if title is not None and len(heading[1]) == title_level and _strip_inline(heading[2]) == title:
                continue
            builder.start_scene(_strip_inline(heading[2]))
            continue
        line = _strip_inline(_MD_QUOTE.sub("", raw))
        is_item = bool(_MD_LIST.match(line))
        line = _MD_LIST.sub("", line).strip()
        if not line:
            builder.end_paragraph()
            continue
        if is_item:
            builder.end_paragraph()  # each list item is its own paragraph
        if is_scene_heading(line):
            builder.start_scene(line)
        else:
            builder.add(line)
    return ParsedScript(scenes=builder.finish(), title=title)


def _strip_inline(text: str) -> str:
    """Drop Markdown emphasis, code ticks and links, keeping their words."""
    text = _MD_LINK.sub(r"\1", text)
    previous = None
    while previous != text:  # nested emphasis (***x***) needs several passes
        previous = text
        text = _MD_EMPHASIS.sub(r"\2", text)
    return text.replace("\\", "")


class _SceneBuilder:
    """Collects lines into paragraphs and paragraphs into scenes."""

    def __init__(self) -> None:
        self.scenes: list[RawScene] = []
        self.current = RawScene(heading="")
        self.paragraph: list[str] = []
        self.dialogue: RawLine | None = None

    def start_scene(self, heading: str) -> None:
        self.end_paragraph()
        if self.current.lines or self.current.heading or self.current.description:
            self.scenes.append(self.current)
        self.current = RawScene(heading=heading)

    def add(self, line: str) -> None:
        spoken = parse_dialogue(line)
        if spoken is not None:
            self.end_paragraph()
            self.dialogue = spoken
            return
        if self.dialogue is not None:
            # A wrapped dialogue line continues the speech until a blank line.
            self.dialogue = RawLine(
                self.dialogue.speaker, f"{self.dialogue.text} {line}", self.dialogue.parenthetical
            )
            return
        if (line.startswith("(") and line.endswith(")")) or (line.startswith("[") and line.endswith("]")):
            self.end_paragraph()
            self.current.description.append(line.strip("()[] "))  # stage direction, not spoken
            return
        self.paragraph.append(line)

    def end_paragraph(self) -> None:
        if self.dialogue is not None:
            self.current.lines.append(self.dialogue)
            self.dialogue = None
        if self.paragraph:
            self.current.lines.append(RawLine(speaker=None, text=" ".join(self.paragraph)))
            self.paragraph = []

    def finish(self) -> list[RawScene]:
        self.end_paragraph()
        if self.current.lines or self.current.description or not self.scenes:
            self.scenes.append(self.current)
        # A heading with nothing under it (e.g. a part title) merges into the next scene.
        merged: list[RawScene] = []
        pending: RawScene | None = None
        for scene in self.scenes:
            if pending is not None and not scene.heading:
                scene.heading = pending.heading
            pending = scene if not scene.lines and not scene.description else None
            if pending is None:
                merged.append(scene)
        if pending is not None and not merged:
            merged.append(pending)
        return merged
