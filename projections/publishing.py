"""YouTube read models: each account's channel connection and playlists, and every upload with its progress."""

from __future__ import annotations

import json
from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope

UPLOAD_EVENTS = (
    "UploadRequested",
    "UploadStarted",
    "UploadResumed",
    "UploadProgressed",
    "UploadPublished",
    "UploadFailed",
    "ThumbnailSet",
    "CaptionsAdded",
    "AddedToPlaylist",
    "PublishStepSkipped",
)


class PublishingView(Projection):
    name = "publishing"
    tables = ("youtube_connections", "youtube_playlists", "uploads")
    ddl = (
        "CREATE TABLE IF NOT EXISTS youtube_connections (account_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, "
        "title TEXT NOT NULL, connected INTEGER NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS youtube_playlists (playlist_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "title TEXT NOT NULL, theme TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS youtube_playlists_account ON youtube_playlists (account_id, created_at)",
        "CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, film_id TEXT NOT NULL, owner_id TEXT NOT NULL, "
        "channel_id TEXT NOT NULL, title TEXT NOT NULL, metadata TEXT NOT NULL, automatic INTEGER NOT NULL, "
        "status TEXT NOT NULL, bytes_sent BIGINT NOT NULL DEFAULT 0, total_bytes BIGINT NOT NULL DEFAULT 0, "
        "percent REAL NOT NULL DEFAULT 0, video_id TEXT, url TEXT, error TEXT, retryable INTEGER, "
        "finishing TEXT NOT NULL DEFAULT '{}', requested_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
        "last_position BIGINT)",
        "CREATE INDEX IF NOT EXISTS uploads_owner ON uploads (owner_id, requested_at)",
        "CREATE INDEX IF NOT EXISTS uploads_film ON uploads (film_id)",
    )
    types = ("YouTubeConnected", "YouTubeDisconnected", "PlaylistCreated", *UPLOAD_EVENTS)

    def apply(self, cursor: Any, event: Envelope) -> None:
        p, at = event.payload, event.occurred_at.isoformat()
        if event.type == "YouTubeConnected":
            cursor.execute(
                "INSERT INTO youtube_connections (account_id, channel_id, title, connected, updated_at) "
                "VALUES (%s, %s, %s, 1, %s) ON CONFLICT (account_id) DO UPDATE SET channel_id = excluded.channel_id, "
                "title = excluded.title, connected = 1, updated_at = excluded.updated_at",
                (p["account_id"], p["channel_id"], p["title"], at),
            )
        elif event.type == "YouTubeDisconnected":
            cursor.execute(
                "UPDATE youtube_connections SET connected = 0, updated_at = %s WHERE account_id = %s",
                (at, p["account_id"]),
            )
        elif event.type == "PlaylistCreated":
            cursor.execute(
                "INSERT INTO youtube_playlists (playlist_id, account_id, title, theme, created_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (playlist_id) DO NOTHING",
                (p["playlist_id"], p["account_id"], p["title"], p["theme"], at),
            )
        else:
            self._upload(cursor, event, p, at)

    def _upload(self, cursor: Any, event: Envelope, p: dict[str, Any], at: str) -> None:
        upload_id, position = str(event.aggregate_id), event.position
        if event.type == "UploadRequested":
            cursor.execute(
                "INSERT INTO uploads (id, film_id, owner_id, channel_id, title, metadata, automatic, status, "
                "requested_at, updated_at, last_position) VALUES (%s, %s, %s, %s, %s, %s, %s, 'requested', %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                (
                    upload_id,
                    p["film_id"],
                    p["owner_id"],
                    p["channel_id"],
                    p["metadata"]["title"],
                    json.dumps(p["metadata"]),
                    int(p.get("automatic", False)),
                    at,
                    at,
                    position,
                ),
            )
            return
        sets: dict[str, Any] = {}
        if event.type == "UploadStarted":
            sets = {"status": "uploading", "total_bytes": p["total_bytes"], "bytes_sent": 0, "percent": 0.0}
        elif event.type == "UploadProgressed":
            sets = {"status": "uploading", "bytes_sent": p["bytes_sent"], "total_bytes": p["total_bytes"],
                    "percent": round(100.0 * p["bytes_sent"] / max(1, p["total_bytes"]), 1)}  # fmt: skip
        elif event.type == "UploadResumed":
            cursor.execute("SELECT total_bytes FROM uploads WHERE id = %s", (upload_id,))
            row = cursor.fetchone()
            total = int(row[0]) if row else 0
            sent = p["confirmed_bytes"]
            sets = {
                "status": "uploading",
                "bytes_sent": sent,
                "percent": round(100.0 * sent / max(1, total), 1),
            }
        elif event.type == "UploadPublished":
            sets = {"status": "published", "video_id": p["video_id"], "url": p["url"], "percent": 100.0,
                    "error": None}  # fmt: skip
        elif event.type == "UploadFailed":
            sets = {"status": "failed", "error": p["reason"], "retryable": int(p["retryable"])}
        else:
            cursor.execute("SELECT finishing FROM uploads WHERE id = %s", (upload_id,))
            row = cursor.fetchone()
            finishing = json.loads(row[0]) if row else {}
            if event.type == "ThumbnailSet":
                finishing["thumbnail"] = "set"
            elif event.type == "CaptionsAdded":
                finishing.setdefault("captions", [])
                if p["language"] not in finishing["captions"]:
                    finishing["captions"].append(p["language"])
            elif event.type == "AddedToPlaylist":
                finishing["playlist_id"] = p["playlist_id"]
            elif event.type == "PublishStepSkipped":
                finishing.setdefault("skipped", {})[p["step"]] = p["reason"]
            sets = {"finishing": json.dumps(finishing, sort_keys=True)}
        if sets:
            columns = ", ".join(f"{name} = %s" for name in sets)
            cursor.execute(
                f"UPDATE uploads SET {columns}, updated_at = %s, last_position = %s WHERE id = %s",
                (*sets.values(), at, position, upload_id),
            )
