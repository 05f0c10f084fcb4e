"""Engine selection: settings pick a model stage for voices, scenes or music; defaults keep the offline ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gpu_stages.models.selection import ModelEngines


def test_defaults_keep_every_offline_engine() -> None:
    engines = ModelEngines()
    assert [engines.model_stage(s) for s in ("voices", "scenes", "music", "subtitles")] == [None] * 4


def test_chosen_model_engines_replace_the_stages_of_the_same_name(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    engines = ModelEngines(
        voices="vits", scenes="diffusion", music="musicgen", vits_model_dir=str(tmp_path), diffusion_steps=3
    )
    stages = {name: engines.model_stage(name) for name in ("voices", "scenes", "music")}
    assert {name: stage.name for name, stage in stages.items() if stage} == {
        "voices": "voices", "scenes": "scenes", "music": "music",
    }  # fmt: skip
    assert stages["scenes"].settings.steps == 3  # type: ignore[union-attr]
    assert stages["voices"].settings.model_dir == str(tmp_path)  # type: ignore[union-attr]


def test_choosing_engines_imports_no_model_package() -> None:
    code = (
        "import sys; from gpu_stages.models.selection import ModelEngines; "
        "ModelEngines(voices='vits', scenes='diffusion', music='musicgen'); "
        "import gpu_stages.film_pipeline; "
        "print(sorted(m for m in ('torch', 'transformers', 'diffusers', 'faster_whisper') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
