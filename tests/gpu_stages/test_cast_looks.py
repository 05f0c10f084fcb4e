"""Default looks fit the character and culture, differ between characters, and persist in a library."""

from __future__ import annotations

from pathlib import Path

import pytest

from gpu_stages.cast.draw import draw_character
from gpu_stages.cast.library import CastLibrary, InvalidLibraryKey
from gpu_stages.cast.looks import distinct_looks, look_for
from schemas.media import Character, CharacterLook


def test_look_for_is_deterministic() -> None:
    priya = Character(id="priya", name="Priya", age="adult", gender="female")
    assert look_for(priya, "indian", 3) == look_for(priya, "indian", 3)


def test_culture_and_age_choose_fitting_attire() -> None:
    woman = Character(id="priya", name="Priya", age="adult", gender="female")
    man = Character(id="omar", name="Omar", age="adult", gender="male")
    assert look_for(woman, "indian").attire == "sari"
    assert look_for(man, "middle_eastern").attire == "thobe"
    assert look_for(woman, "middle_eastern").attire in {"abaya", "hijab"}
    yuki = Character(id="yuki", name="Yuki", age="young_adult", gender="female")
    assert look_for(yuki, "east_asian", traditional=True).attire == "kimono"
    modern = {look_for(yuki, "east_asian", seed).attire for seed in range(12)}
    assert "kimono" not in modern
    grandpa = Character(id="dada", name="Dada", age="senior", gender="male")
    assert look_for(grandpa, "indian").hair_color in {"#d8d8d8", "#bdbdbd", "#eeeeee", "#a8a8a8"}


def test_three_characters_get_visibly_different_looks() -> None:
    cast = [
        Character(id="priya", name="Priya", gender="female"),
        Character(id="meera", name="Meera", gender="female"),
        Character(id="ravi", name="Ravi", gender="male"),
    ]
    looks = distinct_looks(cast, dict.fromkeys(["priya", "meera", "ravi"], "indian"))
    signatures = {(lk.hair, lk.attire, lk.attire_color) for lk in looks.values()}
    assert len(signatures) == 3
    assert len({(lk.attire, lk.attire_color) for lk in looks.values()}) == 3
    # And the drawings differ, not just the data.
    images = [draw_character(looks[c.id], 160, 2).bodies["neutral"].tobytes() for c in cast]
    assert len(set(images)) == 3


def test_look_for_alone_varies_between_character_ids() -> None:
    looks = [look_for(Character(id=f"c{i}", name=f"C{i}", gender="female"), "western") for i in range(6)]
    assert len({(lk.hair, lk.attire, lk.attire_color, lk.skin_tone) for lk in looks}) >= 5


def test_library_keeps_every_version_and_returns_the_latest(tmp_path: Path) -> None:
    library = CastLibrary(tmp_path)
    first = library.save("user-1", CharacterLook(character_id="priya", attire="sari"))
    assert first.version == 1
    again = library.save("user-1", CharacterLook(character_id="priya", attire="sari"))
    assert again.version == 1, "saving an unchanged look must not add a version"
    second = library.save("user-1", CharacterLook(character_id="priya", attire="kurta"))
    assert second.version == 2
    reopened = CastLibrary(tmp_path)  # another project, later
    latest = reopened.latest("user-1", "priya")
    assert latest is not None and latest.attire == "kurta" and latest.version == 2
    assert [v.attire for v in reopened.versions("user-1", "priya")] == ["sari", "kurta"]
    old = reopened.version("user-1", "priya", 1)
    assert old is not None and old.attire == "sari"
    assert reopened.latest("user-2", "priya") is None
    assert reopened.characters("user-1") == ["priya"]


def test_library_refuses_ids_that_escape_its_folder(tmp_path: Path) -> None:
    library = CastLibrary(tmp_path / "lib")
    with pytest.raises(InvalidLibraryKey):
        library.save("../evil", CharacterLook(character_id="x"))
    with pytest.raises(InvalidLibraryKey):
        library.latest("user", "../../etc/passwd")
    assert not (tmp_path / "evil").exists()
