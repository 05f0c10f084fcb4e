"""Asset aggregate: one creator's record of one uploaded file, the proof that they may use it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from schemas.assets import AssetUploaded, RecordAsset, asset_id
from schemas.commands import Command
from schemas.envelope import DomainEvent


@dataclass(frozen=True)
class Asset:
    owner_id: str = ""
    key: str = ""
    kind: str = ""

    @property
    def exists(self) -> bool:
        return bool(self.key)


def evolve(state: Asset, event: DomainEvent) -> Asset:
    if isinstance(event, AssetUploaded):
        return Asset(event.owner_id, event.key, event.kind)
    return state


def aggregate_id(command: Command) -> UUID:
    assert isinstance(command, RecordAsset)
    return asset_id(command.owner_id, command.key)


def decide(command: Command, state: Asset) -> list[DomainEvent]:
    if isinstance(command, RecordAsset):
        if state.exists:
            return []  # the same file again: already theirs
        return [
            AssetUploaded(
                owner_id=str(command.owner_id),
                key=command.key,
                kind=command.kind,
                filename=command.filename,
                bytes=command.bytes,
            )
        ]
    raise TypeError(f"asset cannot handle {type(command).__name__}")
