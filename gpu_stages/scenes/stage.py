"""The scenes stage: one set of parallax backdrop layers (PNG artifacts) per scene of a script plan."""

from __future__ import annotations

import io
from typing import ClassVar

from PIL import Image
from pydantic import BaseModel, Field

from gpu_stages.contract import Stage, StageContext
from gpu_stages.scenes.frame import layer_size
from gpu_stages.scenes.render import SETTINGS, UnknownSetting, render_backdrop
from gpu_stages.scenes.upload import BackdropRejected, backdrop_from_upload
from schemas.media import Backdrop, Backdrops, ScriptPlan, StageFailure

MAX_SIDE = 4096


class BackdropSettings(BaseModel):
    """How backdrops are drawn."""

    seed: int = Field(0, description="varies clouds, trees and stars; the same seed redraws the same picture")
    soft_near_on_uploads: bool = Field(
        True, description="add a blurred foreground layer to uploaded pictures"
    )
    png_compression: int = Field(1, ge=0, le=9, description="zlib level for layer PNGs; 1 is fast")


class BackdropInput(BaseModel):
    """The plan, the frame size and any pictures the creator uploaded for particular scenes."""

    plan: ScriptPlan
    width: int
    height: int
    uploads: dict[int, str] = Field(
        default_factory=dict, description="scene index -> artifact key of an image"
    )


class BackdropStage(Stage[BackdropSettings, BackdropInput, Backdrops]):
    """Draws (or fits uploaded) backdrops; scenes sharing setting, time, culture and size share artifacts."""

    name: ClassVar[str] = "scenes"
    version: ClassVar[str] = "1"

    def run(self, inputs: BackdropInput, ctx: StageContext) -> Backdrops | StageFailure:
        w, h = inputs.width, inputs.height
        if not (16 <= w <= MAX_SIDE and 16 <= h <= MAX_SIDE):
            return StageFailure(
                reason=f"frame size {w}x{h} is out of range; use 16 to {MAX_SIDE} pixels a side"
            )
        made: dict[tuple[str, ...], list[str]] = {}
        out: list[Backdrop] = []
        scenes = inputs.plan.scenes
        for n, scene in enumerate(scenes):
            ctx.progress(n / max(1, len(scenes)), f"drawing the backdrop of scene {scene.index + 1}")
            upload = inputs.uploads.get(scene.index)
            key: tuple[str, ...] = (
                ("upload", upload) if upload else (scene.setting, scene.time_of_day, scene.culture)
            )
            if key not in made:
                try:
                    if upload:
                        if not ctx.artifacts.exists(upload):
                            return StageFailure(
                                reason=f"the picture uploaded for scene {scene.index + 1} is missing "
                                f"(artifact {upload}); upload it again",
                            )
                        data = ctx.artifacts.path(upload).read_bytes()
                        layers = backdrop_from_upload(data, w, h, self.settings.soft_near_on_uploads)
                    else:
                        layers = render_backdrop(
                            scene.setting, scene.time_of_day, scene.culture, w, h, self.settings.seed
                        )
                except UnknownSetting as exc:
                    return StageFailure(reason=f"scene {scene.index + 1} ({scene.heading!r}): {exc}")
                except BackdropRejected as exc:
                    return StageFailure(reason=f"scene {scene.index + 1}: {exc}")
                made[key] = [ctx.artifacts.put_bytes(self._png(layer), ".png") for layer in layers]
            out.append(Backdrop(scene_index=scene.index, layers=made[key], size=layer_size(w, h)))
        ctx.progress(1.0, f"{len(made)} backdrops for {len(scenes)} scenes")
        return Backdrops(scenes=out)

    def _png(self, layer: Image.Image) -> bytes:
        buf = io.BytesIO()
        layer.save(buf, format="PNG", compress_level=self.settings.png_compression)
        return buf.getvalue()


__all__ = ["SETTINGS", "BackdropInput", "BackdropSettings", "BackdropStage"]
