"""Encoding: raw BGR frames piped into one ffmpeg process (libx264 + AAC, subtitles burned in).

Frames are made by a small thread pool ahead of the writer (OpenCV and numpy release the GIL), so
compositing overlaps with x264; at most a few frames are in memory at any time.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class EncodeError(Exception):
    """ffmpeg refused the input or stopped; the message carries the end of its log."""


@dataclass(frozen=True)
class EncodeSettings:
    width: int
    height: int
    fps: int
    preset: str = "veryfast"
    crf: int = 20
    tune: str | None = "animation"
    audio_bitrate: str = "192k"


def ffmpeg_command(
    settings: EncodeSettings, audio: Path | None, output: Path, subtitles: str | None
) -> list[str]:
    """The ffmpeg argument list: raw frames on stdin, the mixed WAV as the audio track (none for a segment)."""
    command = [
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "bgr24",
        "-s",
        f"{settings.width}x{settings.height}",
        "-r",
        str(settings.fps),
        "-i",
        "pipe:0",
    ]
    if audio is not None:
        command += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0"]
    if subtitles is not None:
        # Never `-shortest` here: with subtitles it cuts the video at the last cue.
        command += ["-vf", f"ass={subtitles}"]
    command += ["-c:v", "libx264", "-preset", settings.preset, "-crf", str(settings.crf)]
    if settings.tune:
        command += ["-tune", settings.tune]
    command += [
        "-pix_fmt",
        "yuv420p",
        "-r",
        str(settings.fps),
    ]
    command += ["-c:a", "aac", "-b:a", settings.audio_bitrate] if audio is not None else ["-an"]
    command += ["-movflags", "+faststart", str(output)]
    return command


def encode_audio(audio: Path, output: Path, audio_bitrate: str = "192k") -> subprocess.Popen[bytes]:
    """Start encoding the mixed WAV to AAC (an .m4a) in the background; the caller waits on the process.

    Done while the segments render, so the join after them only copies streams."""
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(audio.resolve()),
        "-vn", "-c:a", "aac", "-b:a", audio_bitrate, str(output.resolve()),
    ]  # fmt: skip
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def join_segments(segments: list[Path], audio: Path, output: Path, audio_bitrate: str = "192k") -> None:
    """Concatenate H.264 segments made with identical settings (no re-encode) and add the audio once.

    An AAC `audio` (.m4a, from `encode_audio`) is copied as it is; a WAV is encoded here."""
    with tempfile.TemporaryDirectory(prefix="join-") as folder:
        listing = Path(folder) / "segments.txt"
        quoted = (str(p.resolve()).replace("'", "'\\''") for p in segments)
        listing.write_text("".join(f"file '{q}'\n" for q in quoted))
        command = [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(audio.resolve()),
            "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy",
            *(["-c:a", "copy"] if audio.suffix == ".m4a" else ["-c:a", "aac", "-b:a", audio_bitrate]),
            "-movflags", "+faststart", str(output.resolve()),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise EncodeError(f"joining {len(segments)} segments failed: {done.stderr.strip()[-1500:]}")


def ordered_frames(make: Callable[[int], np.ndarray], count: int, workers: int) -> Iterator[np.ndarray]:
    """Yield make(0..count-1) in order, computing up to 2 x workers frames ahead in threads."""
    if workers <= 1:
        for i in range(count):
            yield make(i)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="compose")
    pending: deque[Future[np.ndarray]] = deque()
    try:
        submitted = 0
        while submitted < count and len(pending) < 2 * workers:
            pending.append(pool.submit(make, submitted))
            submitted += 1
        while pending:
            frame = pending.popleft().result()
            if submitted < count:
                pending.append(pool.submit(make, submitted))
                submitted += 1
            yield frame
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def encode(
    frames: Iterable[np.ndarray],
    count: int,
    settings: EncodeSettings,
    audio: Path | None,
    output: Path,
    subtitles: Path | None = None,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Write `count` frames with the audio (and burned subtitles) to an MP4; raise EncodeError."""
    with tempfile.TemporaryDirectory(prefix="render-") as folder:
        workdir = Path(folder)
        ass_name = None
        if subtitles is not None:
            # A plain relative name avoids filter-graph escaping of ':' and quotes in paths.
            shutil.copyfile(subtitles, workdir / "subs.ass")
            ass_name = "subs.ass"
        log = (workdir / "ffmpeg.log").open("w+b")
        command = ffmpeg_command(settings, audio.resolve() if audio else None, output.resolve(), ass_name)
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=log, cwd=workdir)
        assert process.stdin is not None
        written = 0
        expected = (settings.height, settings.width, 3)
        try:
            for frame in frames:
                if frame.shape != expected or frame.dtype != np.uint8:
                    raise EncodeError(
                        f"frame {written} is {frame.shape} {frame.dtype}, expected {expected} uint8"
                    )
                process.stdin.write(np.ascontiguousarray(frame).data)
                written += 1
                if progress is not None:
                    progress(written / count)
            process.stdin.close()
            code = process.wait()
        except BrokenPipeError:
            code = process.wait()
        except BaseException:  # cancelled or failed: stop ffmpeg and the compositing threads now
            process.kill()
            process.wait()
            close = getattr(frames, "close", None)
            if close is not None:
                close()
            raise
        finally:
            log.seek(0)
            tail = log.read()[-2000:].decode(errors="replace")
            log.close()
        if code != 0 or written != count:
            raise EncodeError(f"ffmpeg exited with {code} after {written}/{count} frames: {tail.strip()}")
