"""End-to-end render benchmark: a bundled ~60-second template to a 1080p film through `FilmStageRunner`.

Runs the film pipeline's DAG with two stages at a time (like the embedded studio's two worker
slots) on a cold artifact store, then measures in the same run:
* the encode floor: ffmpeg alone encoding as many raw 1080p frames, with the render stage's very
  command (libx264 veryfast crf 20, AAC, the film's ASS burned), fed from memory through a pipe
  (`bench_render_floor.floor`, its frames cycled from the rendered film);
* the draft preview (480p, espeak voices) of the same script;
* a re-render after editing one line, as a fraction of the first render;
* MoviePy composing the film's first seconds the usual way (`bench_render_floor.moviepy_run`),
  compared per frame with our render stage, when MoviePy is installed.
Prints one JSON object as its last line.

    .venv/bin/python bench/bench_render.py [--template story] [--moviepy-frames 240]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_render_floor import cpu_seconds, floor, moviepy_run

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.film_pipeline import FILM_STAGES, FilmStageRunner, SceneBackdrops
from gpu_stages.render.encode import EncodeSettings
from gpu_stages.render.stage import RenderInput
from gpu_stages.script import load_template
from gpu_stages.timeline import build_timeline
from schemas.film import FilmSpec
from schemas.media import Cast, FilmOutputs, ScriptPlan, StageFailure, VoiceTrack

EDIT = ("So we light it anyway?", "So we light it anyway, even though it is cracked?")
"""The one-line edit of the story template (another template: its first dialogue line gains a word)."""
CYCLED_FRAMES = 48
"""Distinct frames of the film fed round and round to the floor encoder (2 s: real motion, bounded memory)."""


def run_dag(
    runner: FilmStageRunner, spec: FilmSpec, slots: int = 2
) -> tuple[dict[str, Any], dict[str, float], float]:
    """All stages in dependency order, `slots` at a time; (outputs, seconds per stage, wall seconds)."""
    outputs: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def one(stage: str) -> Any:
        began = time.perf_counter()
        result = runner(stage, spec, {d: outputs[d] for d in FILM_STAGES[stage]}, lambda f, m: None)
        seconds[stage] = round(time.perf_counter() - began, 2)
        if isinstance(result, StageFailure):
            raise SystemExit(f"{stage} failed: {result.reason}")
        return result

    running: dict[Future[Any], str] = {}
    with ThreadPoolExecutor(slots) as pool:
        while len(outputs) < len(FILM_STAGES):
            for stage, deps in FILM_STAGES.items():
                ready = (
                    stage not in outputs and stage not in running.values() and all(d in outputs for d in deps)
                )
                if ready and len(running) < slots:
                    running[pool.submit(one, stage)] = stage
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                outputs[running.pop(future)] = future.result()
    return outputs, seconds, time.perf_counter() - started


def edited(text: str) -> str:
    if EDIT[0] in text:
        return text.replace(EDIT[0], EDIT[1], 1)
    lines = text.splitlines()
    # Fallback for other templates: the first line that looks like speech gains a word.
    index = next(i for i, line in enumerate(lines) if line.strip().endswith((".", "!", "?")))
    lines[index] = lines[index].rstrip() + " Really."
    return "\n".join(lines)


def film_frames(path: Path, width: int, height: int, count: int) -> list[bytes]:
    """`count` consecutive raw BGR frames from the middle of a video."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    middle = float(probe.stdout.strip()) / 2
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{middle:.2f}", "-i", str(path), "-frames:v", str(count),
         "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    size = width * height * 3
    return [raw[i : i + size] for i in range(0, len(raw) - size + 1, size)]


def encode_floor(
    frames: list[bytes], count: int, settings: EncodeSettings, audio: Path, ass: Path, out: Path
) -> tuple[float, float]:
    """(wall, CPU seconds) of ffmpeg alone encoding `count` frames; frames come from memory through a FIFO."""
    fifo = Path(tempfile.mkdtemp(prefix="floor-fifo-")) / "frames.bgr"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as sink:
            for i in range(count):
                sink.write(frames[i % len(frames)])

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    before = cpu_seconds()
    wall = floor(fifo, count, settings, audio, ass, out)
    feeder.join()
    fifo.unlink()
    return wall, cpu_seconds() - before


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child so far (forked children
    report at least the parent's size at the fork, so the child figure is an upper bound)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "largest_child": round(children, 1), "max": round(max(own, children), 1)}


def moviepy_ratio(
    outputs: dict[str, Any],
    spec: FilmSpec,
    store: LocalArtifactStore,
    frames: int,
    render_seconds: float,
    total_frames: int,
    folder: Path,
) -> dict[str, Any]:
    """MoviePy composing the film's first `frames` frames, per frame, against our render stage."""
    try:
        import moviepy  # noqa: F401
    except ImportError:
        return {"moviepy": "not installed (pip install moviepy)"}
    plan = ScriptPlan.model_validate(outputs["script"])
    voices = VoiceTrack.model_validate(outputs["voices"])
    inputs = RenderInput(
        plan=plan,
        timeline=build_timeline(plan, voices),
        cast=Cast.model_validate(outputs["cast"]),
        backdrops=SceneBackdrops.model_validate(outputs["scenes"]).aspects["16:9"],
        voices=voices,
        audio=outputs["mix"]["audio"],
        fps=spec.fps,
    )
    frames = min(frames, total_frames)
    cwd = Path.cwd()
    os.chdir(folder)  # MoviePy writes its temporary audio file into the working directory
    try:
        seconds = moviepy_run(
            inputs, store, frames, spec.fps, store.path(inputs.audio), folder / "moviepy.mp4"
        )
    finally:
        os.chdir(cwd)
    ours_per_frame = render_seconds / total_frames
    return {
        "moviepy_frames": frames,
        "moviepy_seconds": round(seconds, 2),
        "ratio_moviepy_to_ours_per_frame": round((seconds / frames) / ours_per_frame, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="story")
    parser.add_argument("--moviepy-frames", type=int, default=240, help="0 skips the MoviePy comparison")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-film-"))
    store = LocalArtifactStore(folder / "artifacts")
    text, fmt = load_template(args.template)
    spec = FilmSpec(script=text, script_format=fmt, resolution="1080p", aspects=["16:9"])
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    log(f"full 1080p render of the {args.template!r} template (cold cache) ...")
    runner = FilmStageRunner(store)
    before_cpu = cpu_seconds()
    outputs, stage_seconds, wall = run_dag(runner, spec)
    cpu = cpu_seconds() - before_cpu
    film_peak = peak_rss_mb()  # before the comparisons below add their own memory
    film = FilmOutputs.model_validate(outputs["thumbnails"])
    rendition = film.renditions[0]
    log(f"  {wall:.1f} s for a {rendition.duration:.1f} s film; stages {stage_seconds}")

    log("encode floor: ffmpeg alone on the same number of 1080p frames ...")
    count = round(rendition.duration * spec.fps)
    video = store.path(rendition.video)
    frames = film_frames(video, rendition.width, rendition.height, CYCLED_FRAMES)
    track = film.subtitles[0]
    from gpu_stages.subtitles import ass_for_frame

    ass = folder / "subs.ass"
    ass.write_text(ass_for_frame(track, spec.subtitles, rendition.width, rendition.height))
    settings = EncodeSettings(rendition.width, rendition.height, spec.fps)  # the render stage's defaults
    floor_wall, floor_cpu = encode_floor(
        frames, count, settings, store.path(outputs["mix"]["audio"]), ass, folder / "floor.mp4"
    )
    log(f"  floor {floor_wall:.1f} s vs render stage {stage_seconds['render']:.1f} s")

    log("draft preview (480p, fast voices) ...")
    _, draft_stages, draft_wall = run_dag(FilmStageRunner(store), spec.model_copy(update={"draft": True}))

    log("re-render after editing one line ...")
    edit_runner = FilmStageRunner(store)
    _, edit_stages, edit_wall = run_dag(edit_runner, spec.model_copy(update={"script": edited(text)}))

    report: dict[str, Any] = {
        "template": args.template,
        "film_seconds": rendition.duration,
        "resolution": f"{rendition.width}x{rendition.height}",
        "fps": spec.fps,
        "frames": count,
        "wall_seconds": round(wall, 2),
        "real_time_factor": round(wall / rendition.duration, 3),
        "cpu_seconds": round(cpu, 2),
        "stage_seconds": stage_seconds,
        "encode_floor_seconds": round(floor_wall, 2),
        "encode_floor_cpu_seconds": round(floor_cpu, 2),
        "render_stage_seconds": stage_seconds["render"],
        "ratio_render_to_floor": round(stage_seconds["render"] / floor_wall, 3),
        "ratio_film_to_floor": round(wall / floor_wall, 3),
        "draft_wall_seconds": round(draft_wall, 2),
        "draft_stage_seconds": draft_stages,
        "edit_wall_seconds": round(edit_wall, 2),
        "edit_fraction_of_first": round(edit_wall / wall, 3),
        "edit_stages_rerun": dict(edit_runner.runs),
        "edit_lines_revoiced": edit_runner.lines_voiced,
        "edit_render_segments": dict(getattr(edit_runner._stages.get("render"), "segments", {})),
        "edit_stage_seconds": edit_stages,
    }
    if args.moviepy_frames > 0:
        log(f"MoviePy composing the first {args.moviepy_frames} frames ...")
        report.update(
            moviepy_ratio(outputs, spec, store, args.moviepy_frames, stage_seconds["render"], count, folder)
        )
    report["peak_rss_mb_film"] = film_peak
    report["peak_rss_mb_whole_run"] = peak_rss_mb()
    report["cores"] = os.cpu_count()
    report["load_average_1min"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
