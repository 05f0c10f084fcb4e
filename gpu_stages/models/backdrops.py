"""Backdrops painted by a local diffusers text-to-image model instead of drawn procedurally."""

from __future__ import annotations

import io
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from gpu_stages.contract import StageContext
from gpu_stages.models.model_stage import ModelStage
from gpu_stages.models.prompts import NEGATIVE_PICTURE, backdrop_prompt
from gpu_stages.models.runtime import Device, model_folder, pick_device, require, torch_ready
from gpu_stages.scenes.frame import layer_size
from gpu_stages.scenes.stage import MAX_SIDE, BackdropInput
from gpu_stages.scenes.upload import BackdropRejected, backdrop_from_upload
from schemas.media import Backdrop, Backdrops, StageFailure

SIDE_STEP = 64
"""Generated sides are multiples of this: the VAE and the UNet's down-sampling both need it."""


class DiffusionBackdropSettings(BaseModel):
    """Where the saved pipeline lives and how hard it works per picture."""

    model_dir: str | None = Field(None, description="folder of a pipeline saved with save_pretrained()")
    device: Device = "auto"
    steps: int = Field(25, ge=1, le=200)
    guidance: float = Field(7.0, ge=0.0, le=30.0)
    long_side: int = Field(768, ge=64, le=2048, description="pixels of the generated picture's long side")
    seed: int = 0
    soft_near: bool = Field(True, description="add a blurred foreground layer for parallax")
    threads: int = Field(1, ge=0, description="torch CPU threads (0: torch's default)")


def generated_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The frame's aspect at `long_side` pixels, both sides rounded to the model's step."""
    scale = long_side / max(width, height)

    def snap(side: float) -> int:
        return max(SIDE_STEP, round(side * scale / SIDE_STEP) * SIDE_STEP)

    return snap(width), snap(height)


class DiffusionBackdropStage(ModelStage[DiffusionBackdropSettings, BackdropInput, Backdrops]):
    """One generated picture per distinct (setting, time, culture, mood), cover-fitted into layers."""

    name: ClassVar[str] = "scenes"
    version: ClassVar[str] = "diffusion-1"
    model_kind: ClassVar[str] = "text-to-image"

    def __init__(self, settings: DiffusionBackdropSettings) -> None:
        super().__init__(settings)
        self._pipeline: Any = None
        self._torch: Any = None
        self._device = "cpu"

    def open_model(self) -> None:
        """Load the saved pipeline from its folder (no hub), on CUDA when there is one."""
        folder = model_folder(
            self.settings.model_dir,
            "text-to-image",
            "FILMSTUDIO_DIFFUSION_MODEL_DIR",
            needs=("model_index.json",),
        )
        self._torch = torch_ready(self.settings.threads)
        self._device = pick_device(self._torch, self.settings.device)
        diffusers = require("diffusers")
        dtype = self._torch.float16 if self._device == "cuda" else self._torch.float32
        pipeline = diffusers.AutoPipelineForText2Image.from_pretrained(
            str(folder), local_files_only=True, torch_dtype=dtype
        )
        pipeline.set_progress_bar_config(disable=True)
        self._pipeline = pipeline.to(self._device)

    def run(self, inputs: BackdropInput, ctx: StageContext) -> Backdrops | StageFailure:
        """Paint each distinct scene once; uploads and the frame-size rules are as in the drawn stage."""
        w, h = inputs.width, inputs.height
        if not (16 <= w <= MAX_SIDE and 16 <= h <= MAX_SIDE):
            return StageFailure(reason=f"frame size {w}x{h} is out of range; use 16 to {MAX_SIDE} pixels a side")
        failure = self.ready()
        if failure is not None:
            return failure
        made: dict[tuple[str, ...], list[str]] = {}
        out: list[Backdrop] = []
        scenes = inputs.plan.scenes
        for n, scene in enumerate(scenes):
            ctx.progress(n / max(1, len(scenes)), f"painting the backdrop of scene {scene.index + 1}")
            upload = inputs.uploads.get(scene.index)
            key: tuple[str, ...] = (
                ("upload", upload)
                if upload
                else (scene.setting, str(scene.interior), scene.time_of_day, scene.culture, scene.mood)
            )
            if key not in made:
                if upload and not ctx.artifacts.exists(upload):
                    return StageFailure(
                        reason=f"the picture uploaded for scene {scene.index + 1} is missing "
                        f"(artifact {upload}); upload it again"
                    )
                picture = (
                    ctx.artifacts.path(upload).read_bytes()
                    if upload
                    else self._paint(backdrop_prompt(scene), w, h, scene.index)
                )
                try:
                    layers = backdrop_from_upload(picture, w, h, self.settings.soft_near)
                except BackdropRejected as error:
                    return StageFailure(reason=f"scene {scene.index + 1}: {error}")
                made[key] = [ctx.artifacts.put_bytes(_png(layer), ".png") for layer in layers]
            out.append(Backdrop(scene_index=scene.index, layers=made[key], size=layer_size(w, h)))
        ctx.progress(1.0, f"{len(made)} backdrops painted for {len(scenes)} scenes")
        return Backdrops(scenes=out)

    def _paint(self, prompt: str, width: int, height: int, scene_index: int) -> bytes:
        """PNG bytes of one generated picture in the frame's aspect."""
        gen_w, gen_h = generated_size(width, height, self.settings.long_side)
        generator = self._torch.Generator("cpu").manual_seed(self.settings.seed * 1009 + scene_index)
        with self._torch.inference_mode():
            result = self._pipeline(
                prompt,
                negative_prompt=NEGATIVE_PICTURE,
                num_inference_steps=self.settings.steps,
                guidance_scale=self.settings.guidance,
                width=gen_w,
                height=gen_h,
                generator=generator,
                output_type="pil",
            )
        return _png(result.images[0])


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
