"""`filmstudio render`: one film from a script file or template, on an embedded studio, with live progress.

The job goes through the same commands, events, processors and read models as the HTTP API: it
registers a local command-line account, creates a project, requests the film, follows the `films`
read model, and finally copies the finished files out of the artifact store with readable names.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from infra.settings import Settings
from schemas.film import FilmSpec, ScriptFormat
from schemas.media import FilmOutputs

CLI_EMAIL = "cli@localhost"
POLL_SECONDS = 0.25
FINISHED = ("completed", "failed", "cancelled")


class ScriptNotFound(Exception):
    """The SCRIPT argument is neither a readable file nor a bundled template."""


@dataclass(frozen=True)
class ScriptSource:
    text: str
    format: ScriptFormat
    name: str


def read_script(script: Path) -> ScriptSource:
    """A script file (.txt, .md, .fountain, .docx, .pdf) or a template name, as text and format."""
    from gpu_stages.script import list_templates, load_template, read_upload

    if script.is_file():
        upload = read_upload(script.read_bytes(), script.name)
        return ScriptSource(upload.text, upload.format, script.stem)
    if str(script) in list_templates():
        text, fmt = load_template(str(script))
        return ScriptSource(text, fmt, str(script))
    raise ScriptNotFound(
        f"'{script}' is not a file, nor one of the bundled templates ({', '.join(list_templates())}). "
        "Give the path of a .txt, .md, .fountain, .docx or .pdf script, or a template name."
    )


def film_spec(source: ScriptSource, options: dict[str, Any]) -> FilmSpec:
    """The film specification: the script plus the creator's options (any FilmSpec field)."""
    unknown = set(options) - set(FilmSpec.model_fields)
    if unknown:
        raise ValueError(f"unknown options {sorted(unknown)}; choose from {sorted(FilmSpec.model_fields)}")
    return FilmSpec.model_validate({"script": source.text, "script_format": source.format, **options})


def slug(text: str) -> str:
    """A file-name friendly form of a title: lower case words joined by hyphens."""
    words = re.findall(r"\w+", text.lower())
    return "-".join(words)[:60].strip("-") or "film"


def submit(studio: Any, spec: FilmSpec) -> UUID:
    """Register the CLI account (once per data dir), create a project and request the film."""
    from commands.account import account_id_for
    from commands.errors import Conflict
    from schemas.commands import CreateProject, RegisterAccount, RequestFilm

    owner = account_id_for(CLI_EMAIL)
    with contextlib.suppress(Conflict):  # registered by an earlier render in this data dir
        studio.bus.handle(
            RegisterAccount(email=CLI_EMAIL, display_name="Command line", password_hash="!cli-no-password"),
            actor="cli",
        )
    project = CreateProject(owner_id=owner, spec=spec)
    studio.bus.handle(project, actor="cli")
    film = RequestFilm(project_id=project.project_id, owner_id=owner, spec=spec, stages=studio.pipeline)
    studio.bus.handle(film, actor="cli")
    return film.film_id


def follow(studio: Any, film_id: UUID, console: Console) -> dict[str, Any]:
    """Show a bar per stage and one for the film until it finishes; returns the final `films` row."""
    order = list(studio.pipeline)
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TextColumn("{task.fields[note]}", style="dim"),
    )
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as bars:
        film_bar = bars.add_task("film", total=100, note="waiting for the studio")
        stage_bars: dict[str, TaskID] = {name: bars.add_task(name, total=1.0, note="") for name in order}
        while True:
            rows = studio.views.query("SELECT * FROM films WHERE id = %s", (str(film_id),))
            if rows:
                row = rows[0]
                stages = json.loads(row["stages"])
                for name, state in stages.items():
                    done = 1.0 if state["status"] == "completed" else float(state.get("fraction", 0.0))
                    note = state.get("reason") or state.get("message") or state["status"]
                    if state["status"] == "completed":
                        note = f"done in {state['seconds']:.1f} s" if "seconds" in state else "done"
                    if name in stage_bars:
                        bars.update(stage_bars[name], completed=done, note=str(note)[:60])
                eta = row.get("eta_seconds")
                note = row["status"] + (
                    f", about {eta:.0f} s left" if eta and row["status"] == "running" else ""
                )
                bars.update(film_bar, completed=float(row["percent"]), note=note)
                if row["status"] in FINISHED:
                    return dict(row)
            time.sleep(POLL_SECONDS)


def deliver(outputs: dict[str, Any], artifacts: Any, out: Path, title: str) -> list[Path]:
    """Copy the film's videos, subtitles and thumbnails into `out` under readable names."""
    out.mkdir(parents=True, exist_ok=True)
    base = slug(title)
    wanted: list[tuple[str, str]] = []
    if isinstance(outputs.get("thumbnails"), dict) and "renditions" in outputs["thumbnails"]:
        film = FilmOutputs.model_validate(outputs["thumbnails"])
        for rendition in film.renditions:
            wanted.append(
                (rendition.video, f"{base}-{rendition.aspect.replace(':', 'x')}-{rendition.resolution}.mp4")
            )
        for track in film.subtitles:
            wanted += [
                (track.srt, f"{base}-{track.language}.srt"),
                (track.vtt, f"{base}-{track.language}.vtt"),
            ]
        for n, key in enumerate(film.thumbnails, start=1):
            wanted.append((key, f"{base}-thumbnail-{n}.jpg"))
    else:  # another stage set (title cards): every video it made
        for stage, output in outputs.items():
            video = output.get("video") if isinstance(output, dict) else None
            if isinstance(video, str):
                wanted.append((video, f"{base}-{stage}.mp4"))
    copied = []
    for key, name in wanted:
        target = out / name
        shutil.copyfile(artifacts.path(key), target)
        copied.append(target)
    return copied


def render_script(script: Path, out: Path, settings: Settings, options: dict[str, Any]) -> None:
    """Render SCRIPT (file or template) into OUT on an embedded studio; exits non-zero if the film fails."""
    from gpu_stages.script import ScriptRejected
    from infra.container import build_studio

    console = Console()
    try:
        source = read_script(script)
        spec = film_spec(source, options)
    except (ScriptNotFound, ScriptRejected, ValueError) as error:  # ValidationError is a ValueError
        message = error.message if isinstance(error, ScriptRejected) else str(error)
        if isinstance(error, ValidationError):
            message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        console.print(f"[red]Cannot render:[/red] {message}")
        raise SystemExit(2) from None
    studio = build_studio(settings)
    studio.start_embedded()
    started = time.monotonic()
    try:
        film_id = submit(studio, spec)
        try:
            row = follow(studio, film_id, console)
        except KeyboardInterrupt:
            from schemas.commands import CancelFilm

            studio.bus.handle(
                CancelFilm(film_id=film_id, reason="interrupted on the command line"), actor="cli"
            )
            console.print("[yellow]Cancelled.[/yellow]")
            raise SystemExit(130) from None
        if row["status"] != "completed":
            console.print(
                f"[red]The film {row['status']}:[/red] {row.get('error') or 'no reason was recorded'}"
            )
            raise SystemExit(1)
        outputs = json.loads(row["outputs"] or "{}")
        title = str((outputs.get("script") or {}).get("title") or spec.title or source.name)
        if title == "Untitled":
            title = source.name
        files = deliver(outputs, studio.artifacts, out, title)
    finally:
        studio.stop()
    console.print(f"[green]Done in {time.monotonic() - started:.0f} s.[/green] Files in {out.resolve()}:")
    for path in files:
        console.print(f"  {path.name}  ({path.stat().st_size / 1e6:.2f} MB)")
