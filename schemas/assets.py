"""Files a creator uploaded for their films (photos, backdrops, narration), recorded so only they can use them."""

from __future__ import annotations

from typing import Literal
from uuid import UUID, uuid5

from schemas.commands import Command
from schemas.envelope import DomainEvent

AssetKind = Literal["image", "narration", "music"]
ASSET_NAMESPACE = UUID("6f1d2c84-93ab-4e1f-b7c5-0a9e8d3f2b61")


def asset_id(owner_id: UUID | str, key: str) -> UUID:
    """One stream per creator and artifact: two creators uploading the same bytes each own their copy."""
    return uuid5(ASSET_NAMESPACE, f"{owner_id}:{key}")


class RecordAsset(Command):
    aggregate = "asset"
    owner_id: UUID
    key: str
    kind: AssetKind
    filename: str
    bytes: int


class AssetUploaded(DomainEvent):
    type = "AssetUploaded"
    aggregate = "asset"
    owner_id: str
    key: str
    kind: AssetKind
    filename: str
    bytes: int
