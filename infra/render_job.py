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
from collections.abc import Callable
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


def estimate_line(seconds: float, billed_seconds: int, credits: int, note: str) -> str:
    """What the film will cost, printed before it starts."""
    return (
        f"Estimate: a film of about {seconds:.0f} s, billed as {billed_seconds} s: {credits} credits. {note}"
    )


def local_estimate(studio: Any, spec: FilmSpec) -> str:
    """The price of the film by the studio's catalogue (a local render reserves no credits)."""
    from commands.plan_rules import quote_film

    quote = quote_film(spec, studio.catalogue, studio.measure)
    note = "Rendering locally reserves no credits; on a studio it would."
    return estimate_line(quote.seconds, quote.billed_seconds, quote.credits, note)


def film_row(row: dict[str, Any]) -> dict[str, Any]:
    """A `films` read-model row with its JSON columns decoded (the shape the HTTP API returns)."""
    decoded = dict(row)
    for column in ("stages", "outputs"):
        if isinstance(decoded.get(column), str):
            decoded[column] = json.loads(decoded[column])
    return decoded


def follow(poll: Callable[[], dict[str, Any] | None], console: Console) -> dict[str, Any]:
    """Show a bar per stage and one for the film until it finishes; returns the final film row."""
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TextColumn("{task.fields[note]}", style="dim"),
    )
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as bars:
        film_bar = bars.add_task("film", total=100, note="waiting for the studio")
        stage_bars: dict[str, TaskID] = {}
        while True:
            row = poll()
            if row is not None:
                for name, state in row["stages"].items():
                    done = 1.0 if state["status"] == "completed" else float(state.get("fraction") or 0.0)
                    note = state.get("reason") or state.get("message") or state["status"]
                    if state["status"] == "completed":
                        note = f"done in {state['seconds']:.1f} s" if state.get("seconds") else "done"
                    if name not in stage_bars:  # the film's own DAG, in its order
                        stage_bars[name] = bars.add_task(name, total=1.0, note="")
                    bars.update(stage_bars[name], completed=done, note=str(note)[:60])
                eta = row.get("eta_seconds")
                running = row["status"] == "running"
                note = row["status"] + (f", about {eta:.0f} s left" if eta and running else "")
                bars.update(film_bar, completed=float(row["percent"]), note=note)
                if row["status"] in FINISHED:
                    return row
            time.sleep(POLL_SECONDS)


def deliver(outputs: dict[str, Any], fetch: Callable[[str, Path], None], out: Path, title: str) -> list[Path]:
    """Fetch the film's videos, subtitles and thumbnails into `out` under readable names."""
    out.mkdir(parents=True, exist_ok=True)
    base = slug(title)
    wanted: list[tuple[str, str]] = []
    if isinstance(outputs.get("thumbnails"), dict) and "renditions" in outputs["thumbnails"]:
        film = FilmOutputs.model_validate(outputs["thumbnails"])
        for rendition in film.renditions:
            shape = f"{rendition.aspect.replace(':', 'x')}-{rendition.resolution}"
            wanted.append((rendition.video, f"{base}-{shape}.mp4"))
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
    for key, name in wanted:
        fetch(key, out / name)
    return [out / name for _, name in wanted]


def film_title(outputs: dict[str, Any], spec: FilmSpec, source: ScriptSource) -> str:
    """The title the script stage settled on (a Fountain title page wins over 'Untitled')."""
    title = str((outputs.get("script") or {}).get("title") or spec.title)
    return source.name if title == "Untitled" else title


def checked_request(script: Path, options: dict[str, Any], console: Console) -> tuple[ScriptSource, FilmSpec]:
    """The script and spec, or exit 2 with what is wrong before any work starts."""
    from gpu_stages.script import ScriptRejected

    try:
        source = read_script(script)
        return source, film_spec(source, options)
    except (ScriptNotFound, ScriptRejected, ValueError) as error:  # ValidationError is a ValueError
        message = error.message if isinstance(error, ScriptRejected) else str(error)
        if isinstance(error, ValidationError):
            message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        console.print(f"[red]Cannot render:[/red] {message}")
        raise SystemExit(2) from None


def report(row: dict[str, Any], console: Console) -> None:
    """Exit 1 with the reason unless the film completed."""
    if row["status"] != "completed":
        console.print(f"[red]The film {row['status']}:[/red] {row.get('error') or 'no reason was recorded'}")
        raise SystemExit(1)


def listed(files: list[Path], out: Path, started: float, console: Console) -> None:
    console.print(f"[green]Done in {time.monotonic() - started:.0f} s.[/green] Files in {out.resolve()}:")
    for path in files:
        console.print(f"  {path.name}  ({path.stat().st_size / 1e6:.2f} MB)")


def render_script(script: Path, out: Path, settings: Settings, options: dict[str, Any]) -> None:
    """Render SCRIPT (file or template) into OUT on an embedded studio; exits non-zero if the film fails."""
    from infra.container import build_studio

    console = Console()
    source, spec = checked_request(script, options, console)
    studio = build_studio(settings)
    studio.start_embedded()
    started = time.monotonic()
    try:
        console.print(local_estimate(studio, spec))
        film_id = submit(studio, spec)

        def poll() -> dict[str, Any] | None:
            rows = studio.views.query("SELECT * FROM films WHERE id = %s", (str(film_id),))
            return film_row(rows[0]) if rows else None

        try:
            row = follow(poll, console)
        except KeyboardInterrupt:
            from schemas.commands import CancelFilm

            cancel = CancelFilm(film_id=film_id, reason="interrupted on the command line")
            studio.bus.handle(cancel, actor="cli")
            console.print("[yellow]Cancelled.[/yellow]")
            raise SystemExit(130) from None
        report(row, console)
        outputs = row["outputs"] or {}
        fetch = lambda key, target: shutil.copyfile(studio.artifacts.path(key), target)  # noqa: E731
        files = deliver(outputs, fetch, out, film_title(outputs, spec, source))
    finally:
        studio.stop()
    listed(files, out, started, console)


class RemoteStudio:
    """The studio's HTTP API as the render job needs it: log in, create a project, follow a film, download."""

    def __init__(self, url: str, email: str, password: str, client: Any = None) -> None:
        import httpx

        self.client = client or httpx.Client(base_url=url.rstrip("/"), timeout=60.0)
        self.email, self.password = email, password
        self.token = ""

    def log_in(self) -> None:
        """Log in, registering the account first if the studio does not know it."""
        answer = self.client.post("/api/auth/login", json={"email": self.email, "password": self.password})
        if answer.status_code == 401:
            body = {"email": self.email, "password": self.password, "display_name": "Command line"}
            registered = self.client.post("/api/auth/register", json=body)
            if registered.status_code not in (201, 409):
                raise RemoteRefused(registered)
            answer = self.client.post(
                "/api/auth/login", json={"email": self.email, "password": self.password}
            )
        if answer.status_code != 200:
            raise RemoteRefused(answer)
        self.token = answer.json()["access_token"]

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """An authorised request; logs in again once when the access token has expired."""
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
            answer = self.client.request(method, path, headers=headers, **kwargs)
            if answer.status_code == 401 and attempt == 1:
                self.log_in()
                continue
            if answer.status_code >= 400 and answer.status_code != 504:
                raise RemoteRefused(answer)
            return answer
        raise AssertionError("unreachable")

    def request_film(
        self, spec: FilmSpec, title: str, show: Callable[[str], None] = lambda _: None
    ) -> tuple[str, int]:
        """Create a project from the spec, `show` its credit estimate, then generate its film;
        (film id, log position)."""
        body = spec.model_dump(mode="json") | {"title": spec.title if spec.title != "Untitled" else title}
        project = self.call("POST", "/api/projects", json=body).json()
        quote = self.call("GET", "/api/credits/estimate", params={"project_id": project["id"]}).json()
        show(estimate_line(quote["seconds"], quote["billed_seconds"], quote["credits"], quote["message"]))
        film = self.call("POST", f"/api/projects/{project['id']}/films").json()
        return str(film["film_id"]), int(film["position"])

    def fetch(self, key: str, target: Path) -> None:
        with target.open("wb") as sink:
            sink.write(self.call("GET", f"/api/artifacts/{key}").content)


class RemoteRefused(Exception):
    """The studio answered a request with an error; the message carries its problem detail."""

    def __init__(self, answer: Any) -> None:
        try:
            detail = answer.json().get("detail") or answer.text
        except ValueError:
            detail = answer.text
        super().__init__(
            f"{answer.request.method} {answer.request.url.path}: HTTP {answer.status_code}: {detail}"
        )


def render_remote(
    url: str, script: Path, out: Path, options: dict[str, Any], email: str, password: str, client: Any = None
) -> None:
    """Render SCRIPT on an already running studio at URL (its HTTP API), with the same progress and files."""
    console = Console()
    source, spec = checked_request(script, options, console)
    remote = RemoteStudio(url, email, password, client)
    started = time.monotonic()
    try:
        remote.log_in()
        film_id, position = remote.request_film(spec, source.name, console.print)

        def poll() -> dict[str, Any] | None:
            answer = remote.call("GET", f"/api/films/{film_id}", headers={"X-Min-Position": str(position)})
            return answer.json() if answer.status_code == 200 else None  # 504: the read model is catching up

        try:
            row = follow(poll, console)
        except KeyboardInterrupt:
            remote.call("POST", f"/api/films/{film_id}/cancel")
            console.print("[yellow]Cancelled.[/yellow]")
            raise SystemExit(130) from None
        report(row, console)
        outputs = row["outputs"] or {}
        files = deliver(outputs, remote.fetch, out, film_title(outputs, spec, source))
    except RemoteRefused as error:
        console.print(f"[red]The studio refused:[/red] {error}")
        raise SystemExit(1) from None
    listed(files, out, started, console)
