"""Procedural illustrated backdrops in parallax layers, and backdrops from uploaded pictures."""

from gpu_stages.scenes.frame import OVERSCAN, layer_size
from gpu_stages.scenes.render import SETTINGS, UnknownSetting, flatten, render_backdrop
from gpu_stages.scenes.stage import BackdropInput, BackdropSettings, BackdropStage
from gpu_stages.scenes.upload import MAX_UPLOAD_BYTES, BackdropRejected, backdrop_from_upload

__all__ = [
    "MAX_UPLOAD_BYTES",
    "OVERSCAN",
    "SETTINGS",
    "BackdropInput",
    "BackdropRejected",
    "BackdropSettings",
    "BackdropStage",
    "UnknownSetting",
    "backdrop_from_upload",
    "flatten",
    "layer_size",
    "render_backdrop",
]
