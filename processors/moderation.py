"""The moderation check: listed terms found in a script hold its film for an administrator's review."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID, uuid5

from schemas.commands import HoldFilmForReview
from schemas.film import FilmSpec

EXCERPT_CHARS = 160
"""Characters of script shown on each side of the first match."""
MAX_MATCHES = 20


@dataclass(frozen=True)
class Flagged:
    """What the check found: the listed terms (as listed) and the script around the first one."""

    matches: list[str]
    excerpt: str


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _word_char(char: str) -> bool:
    # Letters, digits and combining marks (Devanagari vowel signs are marks, not \w in `re`).
    return char == "_" or unicodedata.category(char)[0] in "LNM"


def _unspaced(term: str) -> bool:
    """Scripts written without spaces between words (Han, kana, Thai): match inside words too."""
    return any(
        "\u0e00" <= c <= "\u0e7f" or "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff" for c in term
    )


@dataclass(frozen=True)
class ContentCheck:
    """Terms per language (a BCP 47 base like `en`, `hi`); a script is checked against its language's
    list, or against every list when its language is not set or has no list."""

    terms: Mapping[str, Sequence[str]]
    _patterns: dict[str, tuple[re.Pattern[str], dict[str, str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for language, listed in self.terms.items():
            wanted = {_normal(t): t.strip() for t in listed if _normal(t)}
            if not wanted:
                continue
            # Longest first, so "bomb making" wins over "bomb"; any run of spaces matches a space.
            alternatives = sorted(wanted, key=len, reverse=True)
            pattern = "|".join(r"\s+".join(re.escape(w) for w in t.split(" ")) for t in alternatives)
            self._patterns[language.lower()] = (re.compile(pattern, re.IGNORECASE), wanted)

    @property
    def languages(self) -> list[str]:
        return sorted(self._patterns)

    def check(self, script: str, language: str | None = None) -> Flagged | None:
        """The listed terms in the script, or None when it is clean."""
        text = unicodedata.normalize("NFKC", script)
        base = (language or "").split("-")[0].lower()
        # A language without its own list (or none given) is checked against every list.
        chosen = [base] if base in self._patterns else list(self._patterns)
        found: dict[str, None] = {}
        first: tuple[int, int] | None = None
        for name in chosen:
            pattern, wanted = self._patterns[name]
            for match in pattern.finditer(text):
                start, end = match.span()
                listed = wanted.get(_normal(match.group()))
                if listed is None:  # casefolding made it look alike; not one of ours
                    continue
                if not _unspaced(listed) and (
                    (start > 0 and _word_char(text[start - 1])) or (end < len(text) and _word_char(text[end]))
                ):
                    continue  # part of a longer word ("class" is not "ass")
                found.setdefault(listed)
                if first is None or start < first[0]:
                    first = (start, end)
        if not found or first is None:
            return None
        return Flagged(matches=list(found)[:MAX_MATCHES], excerpt=excerpt(text, *first))

    def screen(self, spec: FilmSpec) -> Flagged | None:
        """Checks a film's script in the film's language (every language when it is to be detected)."""
        return self.check(f"{spec.title}\n{spec.script}", spec.language)


def excerpt(text: str, start: int, end: int, around: int = EXCERPT_CHARS) -> str:
    """The text around a span, on one line, with ellipses where it was cut."""
    left, right = max(0, start - around), min(len(text), end + around)
    middle = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + middle + ("…" if right < len(text) else "")


def hold_command(event_id: UUID, film_id: UUID, flagged: Flagged) -> HoldFilmForReview:
    """The hold for a flagged film; its id derives from the triggering event, so a redelivery repeats it."""
    return HoldFilmForReview(
        command_id=uuid5(event_id, "hold"), film_id=film_id, matches=flagged.matches, excerpt=flagged.excerpt
    )
