"""The character aggregate: versions are kept, unchanged saves add none, only the owner may touch it."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

import pytest

from commands.aggregates import AGGREGATES
from commands.characters import LibraryCharacter, resolve
from commands.errors import Invalid, NotFound
from schemas.characters import AddCharacterVersion, CharacterDesign, DeleteCharacter, Look, SaveCharacter

KIND = AGGREGATES["character"]


def after(commands: Sequence[object]) -> LibraryCharacter:
    state = KIND.initial
    for command in commands:
        for event in KIND.decide(command, state):  # type: ignore[arg-type]
            state = KIND.evolve(state, event)
    assert isinstance(state, LibraryCharacter)
    return state


def test_versions_are_kept_in_order_and_an_unchanged_design_adds_none() -> None:
    owner, cid = uuid4(), uuid4()
    one = CharacterDesign(name="Amma", look=Look(attire="sari"))
    two = CharacterDesign(name="Amma", look=Look(attire="kurta"))
    state = after(
        [
            SaveCharacter(character_id=cid, owner_id=owner, design=one),
            AddCharacterVersion(character_id=cid, owner_id=owner, design=two),
            AddCharacterVersion(character_id=cid, owner_id=owner, design=two),
        ]
    )
    assert [v.look.attire for v in state.versions] == ["sari", "kurta"]
    assert resolve(f"{cid}@1", owner, lambda _: state)[1:] == (1, one)
    assert resolve(str(cid), owner, lambda _: state)[1:] == (2, two)
    with pytest.raises(Invalid, match="2 version"):
        resolve(f"{cid}@3", owner, lambda _: state)


def test_another_creator_and_a_deleted_character_get_not_found() -> None:
    owner, cid = uuid4(), uuid4()
    saved = [SaveCharacter(character_id=cid, owner_id=owner, design=CharacterDesign(name="Ben"))]
    state = after(saved)
    with pytest.raises(NotFound):
        KIND.decide(DeleteCharacter(character_id=cid, owner_id=uuid4()), state)
    with pytest.raises(NotFound):
        resolve(f"{cid}@1", uuid4(), lambda _: state)
    deleted = after([*saved, DeleteCharacter(character_id=cid, owner_id=owner)])
    with pytest.raises(NotFound):
        resolve(f"{cid}@1", owner, lambda _: deleted)


def test_a_reference_that_is_not_id_at_version_says_what_to_send() -> None:
    with pytest.raises(Invalid, match="id@version"):
        resolve("amma@latest", uuid4(), lambda _: LibraryCharacter())
