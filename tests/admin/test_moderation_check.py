"""The content check: listed terms as whole words, per language, with an excerpt for the reviewer."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.moderation.terms import content_check, load_terms
from processors.moderation import ContentCheck
from schemas.film import FilmSpec

CHECK = ContentCheck({"en": ["pipe bomb", "ass"], "hi": ["बम"], "ja": ["爆弾"]})


def test_listed_terms_match_whole_words_in_any_case_and_spacing() -> None:
    flagged = CHECK.check("They built a PIPE\n   bomb in the shed.", "en")
    assert flagged is not None and flagged.matches == ["pipe bomb"]
    assert CHECK.check("A classic pipe bombastic class assignment.", "en") is None


def test_devanagari_words_end_at_marks_not_inside_them() -> None:
    assert CHECK.check("वह बम लाया", "hi") is not None
    assert CHECK.check("वह बमि लाया", "hi") is None  # a vowel sign continues the word


def test_scripts_without_spaces_match_inside_words() -> None:
    flagged = CHECK.check("彼は爆弾を作った", "ja")
    assert flagged is not None and flagged.matches == ["爆弾"]


def test_a_language_with_a_list_is_checked_only_against_it_and_others_against_all() -> None:
    assert CHECK.check("वह बम लाया", "en") is None
    assert CHECK.check("वह बम लाया", None) is not None
    assert CHECK.check("a pipe bomb", "de") is not None  # no German list: every list applies
    assert CHECK.check("a pipe bomb", "en-GB") is not None


def test_the_excerpt_shows_the_script_around_the_first_match() -> None:
    script = "x " * 200 + "then the pipe bomb went off" + " y" * 200
    flagged = CHECK.check(script, "en")
    assert flagged is not None
    assert flagged.excerpt.startswith("…") and flagged.excerpt.endswith("…")
    assert "then the pipe bomb went off" in flagged.excerpt and len(flagged.excerpt) < 400


def test_a_film_is_screened_on_its_title_and_script_in_its_language() -> None:
    assert CHECK.screen(FilmSpec(title="Pipe bomb", script="fine", language="en")) is not None
    assert CHECK.screen(FilmSpec(script="fine", language="en")) is None


def test_term_lists_load_per_language_without_comments(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text("# a comment\nfirst term\n\n  second term  # why\n", encoding="utf-8")
    (tmp_path / "ES.txt").write_text("tercero\n", encoding="utf-8")
    assert load_terms(tmp_path) == {"en": ["first term", "second term"], "es": ["tercero"]}
    assert content_check(tmp_path).check("the SECOND term", "en") is not None
    with pytest.raises(FileNotFoundError, match="FILMSTUDIO_MODERATION_DIR"):
        load_terms(tmp_path / "missing")


def test_the_bundled_lists_cover_several_languages_and_pass_ordinary_scripts() -> None:
    check = content_check()
    assert {"en", "es", "fr", "hi"} <= set(check.languages)
    assert check.check("How to make a bomb, step by step", None) is not None
    ordinary = "The lighthouse keeper wakes. A storm rolls in. The boats bombard the harbour with their horns."
    assert check.check(ordinary, None) is None
