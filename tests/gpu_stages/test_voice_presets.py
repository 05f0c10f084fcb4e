# ruff: noqa: RUF001 - IPA and non-Latin scripts are meant here
"""Voice presets, casting, speed limits and viseme mapping (no audio synthesis)."""

from __future__ import annotations

import itertools

import pytest

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.voice.casting import choose_voice, preset_language
from gpu_stages.voice.espeak_engine import EspeakEngine
from gpu_stages.voice.japanese_g2p import japanese_words, kana_to_ipa
from gpu_stages.voice.presets import PRESETS, UnknownPreset, get_preset
from gpu_stages.voice.prosody import SpeedOutOfRange, check_speed
from gpu_stages.voice.visemes import viseme_for
from gpu_stages.voice.voicing import LineVoicer
from schemas.film import VoiceChoice
from schemas.media import Character


def test_there_are_at_least_25_presets_covering_every_age_and_gender() -> None:
    assert len(PRESETS) >= 25
    covered = {(p.age, p.gender) for p in PRESETS}
    ages = ["child", "young_adult", "adult", "senior"]
    assert set(itertools.product(ages, ["female", "male"])) <= covered


def test_presets_have_unique_ids_and_cover_the_requested_languages() -> None:
    assert len({p.id for p in PRESETS}) == len(PRESETS)
    languages = {p.language for p in PRESETS}
    assert {"en-us", "en-gb", "hi", "es", "fr", "it", "pt-br", "ja", "zh", "ar"} <= languages
    assert all(p.engine == "espeak" for p in PRESETS if p.language == "ar")


def test_child_and_senior_presets_carry_their_transforms() -> None:
    for preset in PRESETS:
        if preset.age == "child":
            assert preset.transform.pitch_median_hz is not None and preset.transform.pitch_median_hz >= 280
            assert preset.transform.formant_shift > 1
        if preset.age == "senior":
            assert preset.transform.pitch_factor == pytest.approx(0.82)
            assert preset.transform.rate == pytest.approx(0.88)
            assert preset.transform.tremolo_depth > 0


def test_characters_without_a_choice_get_distinct_fitting_voices() -> None:
    cast = [
        Character(id="a", name="A", age="adult", gender="female"),
        Character(id="b", name="B", age="adult", gender="female"),
        Character(id="c", name="C", age="child", gender="male"),
        Character(id="d", name="D", age="senior", gender="male"),
    ]
    taken: list[str] = []
    for character in cast:
        preset = choose_voice(character, "en", None, taken=taken)
        assert (preset.age, preset.gender) == (character.age, character.gender)
        assert preset.language == "en-us"
        taken.append(preset.id)
    assert len(set(taken)) == len(taken)


def test_more_characters_than_presets_still_get_distinct_voices() -> None:
    taken: list[str] = []
    for i in range(5):  # Italian has a single adult female preset
        preset = choose_voice(
            Character(id=f"w{i}", name="W", age="adult", gender="female"), "it", None, taken
        )
        assert preset.gender == "female" and preset.language == "it"
        taken.append(preset.id)
    assert len(set(taken)) == 5


def test_the_creators_choice_wins_and_accent_selects_uk_english() -> None:
    character = Character(id="x", name="X", age="adult", gender="male")
    chosen = choose_voice(character, "en", VoiceChoice(character_id="x", preset="hi-adult-male-1"))
    assert chosen.id == "hi-adult-male-1"
    british = choose_voice(character, "en", VoiceChoice(character_id="x", accent="british"))
    assert british.language == "en-gb" and british.gender == "male"
    assert preset_language("pt") == "pt-br" and preset_language("en-GB") == "en-gb"


def test_a_language_without_presets_falls_back_to_espeak() -> None:
    preset = choose_voice(Character(id="k", name="K", age="child", gender="female"), "de", None)
    assert preset.engine == "espeak" and preset.voices == {"de": 1.0}
    assert preset.transform.pitch_median_hz == 300


def test_unknown_preset_is_refused_with_a_hint() -> None:
    with pytest.raises(UnknownPreset, match="list_presets"):
        get_preset("en-us-martian-1")


def test_speed_two_is_refused_with_a_clear_message(tmp_path) -> None:
    assert check_speed(0.75) == 0.75 and check_speed(1.5) == 1.5
    with pytest.raises(SpeedOutOfRange, match=r"2x is outside the allowed range 0.75-1.5x"):
        check_speed(2.0)
    voicer = LineVoicer(None, EspeakEngine())
    with pytest.raises(SpeedOutOfRange, match=r"choose a speed between 0\.75 and 1\.5"):
        voicer.voice("l", "Hello.", get_preset("ar-adult-male-1"), LocalArtifactStore(tmp_path), speed=2.0)
    assert voicer.stats.synthesized == 0


@pytest.mark.parametrize(
    ("phoneme", "viseme"),
    [
        ("m", "closed"),
        ("b", "closed"),
        ("p", "closed"),
        ("f", "teeth"),
        ("v", "teeth"),
        ("ɑː", "open"),
        ("a", "open"),
        ("i", "wide"),
        ("ɛ", "wide"),
        ("oʊ", "round"),
        ("u", "round"),
        ("w", "round"),
        ("s", "narrow"),
        ("k", "narrow"),
        ("_", "rest"),
        (",", "rest"),
        ("ˈɪ", "wide"),
    ],
)
def test_phonemes_map_to_visemes(phoneme: str, viseme: str) -> None:
    assert viseme_for(phoneme) == viseme


@pytest.mark.parametrize(
    ("kana", "ipa"),
    [
        ("トーキョー", "toːkjoː"),
        ("シャシン", "ɕaɕiɴ"),
        ("キャンプ", "kjampɯ"),
        ("イッタ", "iʔta"),
        ("ファン", "ɸaɴ"),
    ],
)
def test_kana_readings_become_kokoro_phonemes(kana: str, ipa: str) -> None:
    assert kana_to_ipa(kana) == ipa


def test_japanese_text_is_split_into_spoken_chunks_with_readings() -> None:
    chunks = japanese_words("東京へ行った。あなたの物語を聞きます。")
    assert [surface for surface, _ in chunks] == ["東京へ", "行った。", "あなたの", "物語を", "聞きます。"]
    assert chunks[0][1] == "toːkjoːe" and chunks[1][1] == "iʔta."
