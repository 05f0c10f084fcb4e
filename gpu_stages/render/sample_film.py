"""A small synthetic film (drawn layers, sprites, phoneme timings, a WAV, an ASS file).

Used by the render tests and the render benchmark, and handy to preview the renderer without the
upstream stages. Everything is drawn with Pillow/numpy; nothing is downloaded.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import cv2
import numpy as np
import soundfile
from PIL import Image, ImageDraw

from gpu_stages.contract import ArtifactStore
from gpu_stages.render.frame_sizes import frame_size
from gpu_stages.render.stage import RenderInput
from gpu_stages.timeline import build_timeline
from schemas.media import (
    AspectRatio,
    Backdrop,
    Backdrops,
    Cast,
    Character,
    CharacterLook,
    CharacterSprites,
    Line,
    PhonemeTiming,
    Resolution,
    Scene,
    ScriptPlan,
    Timeline,
    VoicedLine,
    VoiceTrack,
    WordTiming,
)

PHONEME_PATTERN: list[tuple[float, str]] = [
    (0.10, "closed"),
    (0.22, "open"),
    (0.12, "closed"),
    (0.14, "wide"),
    (0.14, "round"),
    (0.10, "teeth"),
    (0.20, "open"),
    (0.08, "narrow"),
]
"""Durations and visemes of one synthetic phrase (1.1 s), repeated to fill a line."""
SHIRTS = {"asha": (200, 40, 40), "ben": (40, 70, 210), "chen": (40, 160, 60), "dina": (170, 60, 170)}
MOUTH_COLOUR = (90, 10, 20, 255)


def _png(image: Image.Image, store: ArtifactStore) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return store.put_bytes(buffer.getvalue(), ".png")


def draw_layers(width: int, height: int, seed: int) -> list[Image.Image]:
    """Far sky with soft noise texture (opaque), mid hills, near bushes; 10 % wider than the frame."""
    rng = np.random.default_rng(seed)
    w, h = round(width * 1.1), round(height * 1.1)
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    sky = (1 - y) * np.array([150, 110, 60], np.float32) + y * np.array([120, 150, 170], np.float32)
    sky = np.broadcast_to(sky, (h, w, 3)).copy()
    # Texture at two scales: clouds and fine grain (gives the camera tests something to track).
    clouds = cv2.resize(rng.normal(0, 1, (max(2, h // 40), max(2, w // 40))).astype(np.float32), (w, h))
    grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.5)
    sky += (18 * clouds + 30 * grain)[:, :, None]
    far = Image.fromarray(np.clip(sky, 0, 185).astype(np.uint8)).convert("RGBA")
    mid = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    points = (
        [(0, h)]
        + [(x, int(h * (0.55 + 0.08 * np.sin(x / w * 7 + seed)))) for x in range(0, w + 40, 40)]
        + [(w, h)]
    )
    ImageDraw.Draw(mid).polygon(points, fill=(60, 110, 70, 255))
    near = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(near)
    for i in range(12):
        cx, r = int(rng.uniform(0, w)), int(rng.uniform(0.05, 0.1) * h)
        draw.ellipse((cx - r, h - r, cx + r, h + r), fill=(30, 80 + 8 * i, 40, 230))
    return [far, mid, near]


def draw_character(character_id: str, height: int, store: ArtifactStore) -> CharacterSprites:
    """A flat bust: bodies (neutral, happy) without a mouth, a blink layer and one mouth per viseme."""
    width = round(height * 0.75)
    shirt = SHIRTS.get(character_id, (120, 120, 40))
    skin = (198, 134, 66, 255)
    head_r = width * 0.22
    hx, hy = width / 2, height * 0.36
    eyes = [(hx - head_r * 0.4, hy - head_r * 0.1), (hx + head_r * 0.4, hy - head_r * 0.1)]
    eye_r = head_r * 0.1
    bodies: dict[str, str] = {}
    for expression in ("neutral", "happy"):
        body = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        d = ImageDraw.Draw(body)
        d.rounded_rectangle(
            (width * 0.1, height * 0.62, width * 0.9, height * 1.1), radius=width * 0.15, fill=(*shirt, 255)
        )
        d.rectangle((hx - head_r * 0.35, hy + head_r * 0.6, hx + head_r * 0.35, height * 0.66), fill=skin)
        d.ellipse((hx - head_r, hy - head_r, hx + head_r, hy + head_r), fill=skin)
        d.chord(
            (hx - head_r * 1.05, hy - head_r * 1.1, hx + head_r * 1.05, hy + head_r * 0.6),
            180,
            360,
            fill=(43, 29, 20, 255),
        )
        for ex, ey in eyes:
            d.ellipse((ex - eye_r, ey - eye_r, ex + eye_r, ey + eye_r), fill=(30, 20, 15, 255))
            lift = -eye_r * 0.8 if expression == "happy" else 0
            d.line(
                (ex - eye_r * 1.6, ey - eye_r * 2.2 + lift, ex + eye_r * 1.6, ey - eye_r * 2.2 + lift),
                fill=(43, 29, 20, 255),
                width=max(1, round(eye_r / 2)),
            )
        bodies[expression] = _png(body, store)
    blink = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    d = ImageDraw.Draw(blink)
    for ex, ey in eyes:
        d.ellipse((ex - eye_r * 1.4, ey - eye_r * 1.4, ex + eye_r * 1.4, ey + eye_r * 1.4), fill=skin)
        d.line(
            (ex - eye_r * 1.2, ey, ex + eye_r * 1.2, ey),
            fill=(30, 20, 15, 255),
            width=max(1, round(eye_r / 2)),
        )
    mw, mh = round(head_r * 0.9), round(head_r * 0.6)
    shapes = {
        "rest": (0.5, 0.08),
        "closed": (0.6, 0.05),
        "open": (0.55, 0.9),
        "wide": (0.9, 0.45),
        "round": (0.35, 0.6),
        "narrow": (0.5, 0.3),
        "teeth": (0.6, 0.35),
    }
    mouths: dict[str, str] = {}
    for viseme, (sx, sy) in shapes.items():
        mouth = Image.new("RGBA", (mw, mh), (0, 0, 0, 0))
        d = ImageDraw.Draw(mouth)
        box = (mw / 2 - mw * sx / 2, mh / 2 - mh * sy / 2, mw / 2 + mw * sx / 2, mh / 2 + mh * sy / 2)
        d.ellipse(box, fill=MOUTH_COLOUR)
        if viseme == "teeth":
            d.rectangle(
                (box[0] + 2, box[1], box[2] - 2, box[1] + (box[3] - box[1]) * 0.4), fill=(235, 235, 225, 255)
            )
        mouths[viseme] = _png(mouth, store)
    return CharacterSprites(
        character_id=character_id,
        look=CharacterLook(character_id=character_id),
        bodies=bodies,
        mouths=mouths,
        blink=_png(blink, store),
        size=(width, height),
        mouth_anchor=(round(hx), round(hy + head_r * 0.5)),
    )


def phonemes_for(seconds: float) -> list[PhonemeTiming]:
    """Repeat the synthetic phrase to cover `seconds`."""
    out, t, i = [], 0.0, 0
    while t < seconds - 0.05:
        length, viseme = PHONEME_PATTERN[i % len(PHONEME_PATTERN)]
        end = min(seconds, t + length)
        out.append(PhonemeTiming(phoneme=viseme[:2], start=round(t, 3), end=round(end, 3), viseme=viseme))
        t, i = end, i + 1
    return out


def write_ass(timeline: Timeline, width: int, height: int) -> bytes:
    """A plain ASS file sized for the frame: white text, dark outline, bottom centre."""
    size, margin = round(height * 0.055), round(height * 0.05)
    head = (
        f"[Script Info]\nScriptType: v4.00+\nPlayResX: {width}\nPlayResY: {height}\nWrapStyle: 0\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding\n"
        f"Style: Default,Noto Sans,{size},&H00FFFFFF,&H000000FF,&H00000000,&H80000000,-1,0,0,0,100,100,0,0,1,{max(1, size // 14)},0,2,20,20,{margin},1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )

    def stamp(t: float) -> str:
        cs = round(t * 100)
        return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"

    events = "".join(
        f"Dialogue: 0,{stamp(line.start)},{stamp(line.end)},Default,,0,0,0,,{line.text}\n"
        for line in timeline.lines
    )
    return (head + events).encode()


def write_audio(timeline: Timeline, sample_rate: int = 48000) -> bytes:
    """Stereo WAV of the timeline's length: a hum under each line over soft noise."""
    n = round(timeline.duration * sample_rate)
    rng = np.random.default_rng(7)
    audio = 0.01 * rng.normal(0, 1, n).astype(np.float32)
    t = np.arange(n, dtype=np.float32) / sample_rate
    for i, line in enumerate(timeline.lines):
        a, b = round(line.start * sample_rate), round(line.end * sample_rate)
        audio[a:b] += 0.2 * np.sin(2 * np.pi * (180 + 40 * i) * t[a:b])
    buffer = io.BytesIO()
    soundfile.write(buffer, np.stack([audio, audio], axis=1), sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def build_sample_film(
    store: ArtifactStore,
    *,
    aspect: AspectRatio = "16:9",
    resolution: Resolution = "480p",
    fps: int = 24,
    line_seconds: tuple[float, ...] = (1.1, 1.1),
    speakers: tuple[str, ...] = ("asha", "ben"),
    narration_scene: bool = False,
    subtitles: bool = True,
    watermark: bool = False,
    sprite_height: int | None = None,
) -> RenderInput:
    """A one-scene dialogue (lines alternate between speakers), optionally followed by a narration-only scene."""
    width, height = frame_size(aspect, resolution)
    lines = [
        Line(
            id=f"l{i}",
            speaker=speakers[i % len(speakers)],
            text=f"Line number {i + 1} is spoken here",
            emotion="happy" if i % 2 else "neutral",
        )
        for i in range(len(line_seconds))
    ]
    scenes = [Scene(index=0, heading="EXT. HILL - DAY", setting="hill", lines=lines)]
    if narration_scene:
        scenes.append(
            Scene(index=1, heading="EXT. HILL - DUSK", setting="hill", time_of_day="dusk", lines=[])
        )
    characters = [Character(id=s, name=s.title()) for s in dict.fromkeys(speakers)]
    characters.append(Character(id="narrator", name="Narrator", is_narrator=True))
    plan = ScriptPlan(
        title="Sample", scenes=scenes, characters=characters, estimated_seconds=sum(line_seconds)
    )
    voices = VoiceTrack(
        lines=[
            VoicedLine(
                line_id=line.id,
                audio="none",
                duration=seconds,
                voice_id="sample",
                words=[WordTiming(word="line", start=0.0, end=seconds)],
                phonemes=phonemes_for(seconds),
            )
            for line, seconds in zip(lines, line_seconds, strict=True)
        ]
    )
    timeline = build_timeline(plan, voices)
    sprite_h = sprite_height or round(height * 0.8)
    cast = Cast(characters=[draw_character(c.id, sprite_h, store) for c in characters if not c.is_narrator])
    backdrops = Backdrops(
        scenes=[
            Backdrop(
                scene_index=s.index,
                layers=[_png(layer, store) for layer in draw_layers(width, height, s.index)],
                size=(round(width * 1.1), round(height * 1.1)),
            )
            for s in scenes
        ]
    )
    return RenderInput(
        plan=plan,
        timeline=timeline,
        cast=cast,
        backdrops=backdrops,
        voices=voices,
        audio=store.put_bytes(write_audio(timeline), ".wav"),
        aspect=aspect,
        resolution=resolution,
        fps=fps,
        ass=store.put_bytes(write_ass(timeline, width, height), ".ass") if subtitles else None,
        watermark=watermark,
    )


def decode_frames(path: Path, width: int, height: int) -> np.ndarray:
    """All frames of a (short) video as an N x H x W x 3 BGR array."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
