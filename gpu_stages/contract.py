"""The `Stage` contract every AI/media stage implements, and the artifact store it writes to.

A stage knows nothing of event sourcing: it receives typed inputs, writes its outputs as
content-addressed artifacts and returns a typed result, or a `StageFailure` value.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel

from schemas.media import StageFailure

InputT = TypeVar("InputT", bound=BaseModel)
OutputT = TypeVar("OutputT", bound=BaseModel)
SettingsT = TypeVar("SettingsT", bound=BaseModel)

ProgressFn = Callable[[float, str], None]
"""Called with a fraction in [0, 1] and a short human message; may raise `StageCancelled`."""


class StageCancelled(Exception):
    """Raised from a progress callback when the film was cancelled; the stage stops at once."""


class ArtifactStore(Protocol):
    """Content-addressed blob store: a key is the sha256 of the bytes, plus a file suffix."""

    def put_file(self, path: Path, suffix: str = "") -> str: ...
    def put_bytes(self, data: bytes, suffix: str = "") -> str: ...
    def path(self, key: str) -> Path: ...
    def exists(self, key: str) -> bool: ...


def content_key(data: bytes, suffix: str = "") -> str:
    """The artifact key of some bytes: `sha256hex` followed by the suffix (e.g. `.wav`)."""
    return hashlib.sha256(data).hexdigest() + suffix


class LocalArtifactStore:
    """Artifacts as files under one folder, named by content hash (the embedded default)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def put_bytes(self, data: bytes, suffix: str = "") -> str:
        key = content_key(data, suffix)
        target = self.path(key)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)  # atomic: a reader never sees half a file
        return key

    def put_file(self, path: Path, suffix: str = "") -> str:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        key = digest.hexdigest() + (suffix or path.suffix)
        target = self.path(key)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            shutil.copyfile(path, tmp)
            tmp.replace(target)
        return key

    def path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def exists(self, key: str) -> bool:
        return self.path(key).exists()


@dataclass
class StageContext:
    """What a running stage may use besides its inputs."""

    artifacts: ArtifactStore
    progress: ProgressFn = field(default=lambda fraction, message: None)
    work_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="stage-")))


class Stage(ABC, Generic[SettingsT, InputT, OutputT]):
    """One AI/media step: typed settings, heavy assets loaded in `load()`, work in `run()`."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    """Bump when the output for the same input changes, so cached results are not reused."""

    def __init__(self, settings: SettingsT) -> None:
        self.settings = settings
        self._loaded = False

    def load(self) -> None:
        """Load models, fonts or soundfonts; called once before the first run."""

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.load()
            self._loaded = True

    @abstractmethod
    def run(self, inputs: InputT, ctx: StageContext) -> OutputT | StageFailure:
        """Do the work; return the output or a failure value (never raise for expected failures)."""

    def cache_key(self, inputs: InputT) -> str:
        """Identity of a result: stage name, version, settings and inputs."""
        blob = json.dumps(
            {
                "stage": self.name,
                "version": self.version,
                "settings": self.settings.model_dump(mode="json"),
                "inputs": inputs.model_dump(mode="json"),
            },
            sort_keys=True,
        ).encode()
        return hashlib.sha256(blob).hexdigest()


def run_cached(
    stage: Stage[SettingsT, InputT, OutputT],
    inputs: InputT,
    ctx: StageContext,
    output_type: type[OutputT],
) -> OutputT | StageFailure:
    """Run a stage unless the same stage, settings and inputs already produced a result."""
    index_key = f"cache/{stage.name}/{stage.cache_key(inputs)}.json"
    root = getattr(ctx.artifacts, "root", None)
    index = Path(root) / index_key if root is not None else None
    if index is not None and index.exists():
        cached = output_type.model_validate_json(index.read_text())
        return cached
    stage.ensure_loaded()
    result = stage.run(inputs, ctx)
    if index is not None and not isinstance(result, StageFailure):
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text(result.model_dump_json())
    return result
