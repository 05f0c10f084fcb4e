"""What every model engine shares: offline hub settings, the torch device, and local model folders."""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Literal

Device = Literal["auto", "cpu", "cuda"]


class ModelUnavailable(RuntimeError):
    """A model engine cannot run here: a package or the model folder is missing; the message says what to do."""


def go_offline() -> None:
    """Make every Hugging Face library fail fast instead of waiting ~25 s on an unreachable hub."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DISABLE_SAFETENSORS_CONVERSION", "1")


def require(module: str) -> ModuleType:
    """Import an optional package, or explain how to install the gpu extra."""
    if importlib.util.find_spec(module) is None:
        raise ModelUnavailable(
            f"the model engines need the `{module}` package, which is not installed; "
            "install the optional extra with `pip install -e '.[gpu]'` (or FILMSTUDIO_GPU_EXTRA=1 make setup)"
        )
    return importlib.import_module(module)


def torch_ready(threads: int) -> ModuleType:
    """The torch module, offline and with its CPU thread count set (0 keeps torch's default)."""
    go_offline()
    torch = require("torch")
    if threads > 0:
        torch.set_num_threads(threads)
    return torch


def pick_device(torch: ModuleType, wanted: Device) -> str:
    """'cuda' when asked for (or 'auto') and a CUDA device exists, else 'cpu'."""
    if wanted == "cpu":
        return "cpu"
    available = bool(torch.cuda.is_available())
    if wanted == "cuda" and not available:
        raise ModelUnavailable("the model device is set to 'cuda' but no CUDA device is visible; use 'auto'")
    return "cuda" if available else "cpu"


def model_folder(path: str | None, what: str, setting: str, needs: tuple[str, ...] = ("config.json",)) -> Path:
    """The local folder of a saved model, checked for the files that loading reads first."""
    if not path:
        raise ModelUnavailable(f"no {what} model folder is configured; set {setting} to a saved model")
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ModelUnavailable(f"the {what} model folder {folder} does not exist; check {setting}")
    missing = [name for name in needs if not (folder / name).exists()]
    if missing:
        raise ModelUnavailable(
            f"the {what} model folder {folder} has no {', '.join(missing)}; "
            f"point {setting} at a model saved with save_pretrained()"
        )
    return folder
