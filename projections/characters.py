"""The character library read model (every version of every saved character) and each creator's uploads."""

from __future__ import annotations

import json
from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope


class CharactersView(Projection):
    name = "characters"
    tables = ("library_characters", "library_character_versions", "creator_assets")
    ddl = (
        "CREATE TABLE IF NOT EXISTS library_characters (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, "
        "name TEXT NOT NULL, latest_version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS library_characters_owner ON library_characters (owner_id, name)",
        "CREATE TABLE IF NOT EXISTS library_character_versions (character_id TEXT NOT NULL, "
        "version INTEGER NOT NULL, design TEXT NOT NULL, created_at TEXT NOT NULL, "
        "PRIMARY KEY (character_id, version))",
        "CREATE TABLE IF NOT EXISTS creator_assets (owner_id TEXT NOT NULL, key TEXT NOT NULL, "
        "kind TEXT NOT NULL, filename TEXT NOT NULL, bytes BIGINT NOT NULL, uploaded_at TEXT NOT NULL, "
        "position BIGINT NOT NULL, PRIMARY KEY (owner_id, key))",
    )
    types = ("CharacterSaved", "CharacterVersionAdded", "CharacterDeleted", "AssetUploaded")

    def apply(self, cursor: Any, event: Envelope) -> None:
        p, character_id, at = event.payload, str(event.aggregate_id), event.occurred_at.isoformat()
        if event.type == "AssetUploaded":
            cursor.execute(
                "INSERT INTO creator_assets (owner_id, key, kind, filename, bytes, uploaded_at, position) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (owner_id, key) DO NOTHING",
                (p["owner_id"], p["key"], p["kind"], p["filename"], p["bytes"], at, event.position or 0),
            )
            return
        if event.type == "CharacterDeleted":
            cursor.execute(
                "UPDATE library_characters SET deleted = 1, updated_at = %s WHERE id = %s", (at, character_id)
            )
            return
        version = int(p.get("version", 1))
        design = p["design"]
        cursor.execute(
            "INSERT INTO library_character_versions (character_id, version, design, created_at) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (character_id, version) DO NOTHING",
            (character_id, version, json.dumps(design, sort_keys=True), at),
        )
        cursor.execute(
            "INSERT INTO library_characters (id, owner_id, name, latest_version, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "latest_version = excluded.latest_version, updated_at = excluded.updated_at",
            (character_id, p["owner_id"], design["name"], version, at, at),
        )
