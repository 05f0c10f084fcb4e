"""A small JSON index from a line's synthesis key to its voiced result (audio lives in the artifact store)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from pathlib import Path
from typing import Any


def line_key(**parts: Any) -> str:
    """Stable hash of everything that changes a line's audio (text, preset, emotion, speed, engine...)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()


class LineIndex:
    """Key -> entry (a JSON object), kept in memory and, with a path, in one file replaced atomically."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, Any]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = {}
            if self.path is not None and self.path.exists():
                try:
                    self._entries = json.loads(self.path.read_text())
                except ValueError:
                    self._entries = {}  # a torn or foreign file only costs re-synthesis
        return self._entries

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._load().get(key)

    def put(self, key: str, entry: dict[str, Any]) -> None:
        with self._lock:
            entries = self._load()
            if self.path is not None and self.path.exists():
                # another process may have added lines since we read the file
                with contextlib.suppress(ValueError):
                    on_disk = json.loads(self.path.read_text())
                    entries.update({k: v for k, v in on_disk.items() if k not in entries})
            entries[key] = entry
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.path.with_name(f"{self.path.name}.{threading.get_ident()}.tmp")
                tmp.write_text(json.dumps(entries, ensure_ascii=False))
                tmp.replace(self.path)
