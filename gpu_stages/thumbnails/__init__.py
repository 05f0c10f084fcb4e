"""Thumbnails: good, distinct key frames with the film's title drawn in three layouts."""

from gpu_stages.thumbnails.frames import FrameUnavailable, frame_at, frame_png, pick_frames, score_frame
from gpu_stages.thumbnails.make import NoFramesForThumbnails, make_thumbnails
from gpu_stages.thumbnails.title_text import TitleBox, TitleRenderFailed, default_engine, draw_title

__all__ = [
    "FrameUnavailable",
    "NoFramesForThumbnails",
    "TitleBox",
    "TitleRenderFailed",
    "default_engine",
    "draw_title",
    "frame_at",
    "frame_png",
    "make_thumbnails",
    "pick_frames",
    "score_frame",
]
