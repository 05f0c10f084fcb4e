"""`filmstudio`: one command line for every process of the studio."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from infra.billing_cli import billing_app
from infra.credits_cli import credits_app, plans

app = typer.Typer(help="AI Film Studio: turn a script into a finished film.", no_args_is_help=True)
projections_app = typer.Typer(help="Read models.", no_args_is_help=True)
events_app = typer.Typer(help="The event log.", no_args_is_help=True)
schemas_app = typer.Typer(help="Data contracts.", no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")
app.add_typer(projections_app, name="projections")
app.add_typer(events_app, name="events")
app.add_typer(billing_app, name="billing")
app.add_typer(credits_app, name="credits")
app.command("plans")(plans)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Where the embedded studio keeps its data.")]


def _settings(data_dir: Path | None = None, **overrides: Any) -> Any:
    from infra.settings import Settings

    if data_dir is not None:
        overrides["data_dir"] = data_dir
    return Settings(**overrides)


def _wait_for_signal() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@app.command()
def up(
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8000,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    data_dir: DataDir = None,
) -> None:
    """Everything in one process (embedded transport): gateway, processors, workers, projections."""
    import uvicorn

    from gateway.app import create_app
    from infra.container import build_studio

    _logging()
    studio = build_studio(_settings(data_dir))
    studio.start_embedded()
    typer.echo(f"AI Film Studio is up: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    try:
        uvicorn.run(create_app(studio), host=host, port=port, log_level="warning")
    finally:
        studio.stop()


@app.command()
def gateway(port: int = 8000, host: str = "127.0.0.1", data_dir: DataDir = None) -> None:
    """Only the HTTP gateway (reads projections, sends commands); run the other processes beside it."""
    import uvicorn

    from gateway.app import create_app
    from infra.container import build_studio

    _logging()
    studio = build_studio(_settings(data_dir, create_tables=False))
    uvicorn.run(create_app(studio), host=host, port=port, log_level="warning")


@app.command()
def init(data_dir: DataDir = None) -> None:
    """Create the event store and read-model tables once, before starting scale-out processes."""
    from infra.container import build_studio
    from infra.crm import create_crm_tables

    studio = build_studio(_settings(data_dir, create_tables=True))
    studio.projector.setup()
    create_crm_tables(studio.views)  # the Salesforce mirror's sf_* tables and the e-mail outbox
    typer.echo(f"tables ready in {studio.settings.resolved_event_store_url().split('@')[-1]}")
    ensure_bucket = getattr(studio.artifacts, "ensure_bucket", None)
    if ensure_bucket is not None:  # S3/MinIO: create the artifact bucket on first deployment
        created = ensure_bucket()
        typer.echo(f"artifact bucket {studio.artifacts!r} {'created' if created else 'ready'}")
    studio.stop()


@app.command()
def projector(data_dir: DataDir = None) -> None:
    """Keep the read models caught up with the event log."""
    from infra.container import build_studio
    from infra.health import STALL_SECONDS, Probe, serve_health

    _logging()
    studio = build_studio(_settings(data_dir, create_tables=False))
    studio.projector.start()
    probe = Probe("projector", studio.projector.min_position, studio.store.last_position, STALL_SECONDS)
    serve_health(studio.settings.health_port, probe)
    _wait_for_signal().wait()
    studio.stop()


@app.command()
def relay(data_dir: DataDir = None) -> None:
    """Publish the event log to Kafka (KAFKA_BOOTSTRAP_SERVERS), at least once, in order."""
    from infra.container import build_studio
    from infra.health import STALL_SECONDS, Probe, serve_health
    from infra.kafka.relay import Relay
    from infra.kafka.topics import Topics

    _logging()
    settings = _settings(data_dir, create_tables=False)
    studio = build_studio(settings)
    topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
    r = Relay(studio.store, settings.kafka_bootstrap_servers, topics, list(studio.pipeline))
    probe = Probe("relay", lambda: studio.store.tracked(r.name), studio.store.last_position, STALL_SECONDS)
    serve_health(settings.health_port, probe)
    stop = _wait_for_signal()

    def stop_on_signal() -> None:
        stop.wait()
        r.stop()

    threading.Thread(target=stop_on_signal, daemon=True).start()
    r.run()


@app.command()
def processors(data_dir: DataDir = None) -> None:
    """The pipeline, suspension and credit-saga processors as faust-streaming agents, and the credit sweeper
    (stateless; run as many as you like)."""
    from infra.container import build_studio
    from infra.health import Probe, Progress, serve_health
    from infra.kafka.faust_app import create_faust_app
    from infra.kafka.topics import Topics

    settings = _settings(data_dir, create_tables=False)
    studio = build_studio(settings)
    topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
    faust_app = create_faust_app(
        studio.pipeline_processor(),
        settings.kafka_bootstrap_servers,
        topics,
        datadir=str(settings.data_dir / "faust"),
        others=[studio.suspension_processor(), studio.credit_saga()],
        on_handled=(progress := Progress()).record,
    )
    serve_health(settings.health_port, Probe("processors", progress, studio.store.last_position))
    studio.credit_sweeper().start()  # a thread beside the agents; its commands are idempotent across processes
    sys.argv = ["filmstudio-processors", "worker", "--loglevel", "warn", "--without-web"]
    faust_app.main()


@app.command()
def worker(
    stages: Annotated[str, typer.Option(help="Comma-separated stages to serve; empty serves all.")] = "",
    name: Annotated[str | None, typer.Option(help="Worker name in events.")] = None,
    data_dir: DataDir = None,
) -> None:
    """A stage worker in a consumer group: partitions spread the stage requests over workers, and
    higher-priority (plan) requests are taken first."""
    from events.store import Tracking
    from infra.container import build_studio
    from infra.health import Probe, Progress, serve_health
    from infra.kafka.consumer import consume_by_priority
    from infra.kafka.topics import Topics
    from schemas.envelope import Envelope

    _logging()
    settings = _settings(data_dir, create_tables=False)
    studio = build_studio(settings)
    chosen = [s for s in stages.split(",") if s] or list(studio.pipeline)
    unknown = set(chosen) - set(studio.pipeline)
    if unknown:
        raise typer.BadParameter(
            f"unknown stages {sorted(unknown)}; choose from {sorted(studio.pipeline)}",
            param_hint="'--stages'",
        )
    topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
    stage_worker = studio.stage_worker(chosen, name=name)
    progress = Progress()

    def handle(event: Envelope, tracking: Tracking) -> None:
        stage_worker.handle(event, tracking)
        progress.record(event.position)

    serve_health(settings.health_port, Probe("worker", progress, studio.store.last_position))
    consume_by_priority(
        settings.kafka_bootstrap_servers,
        "stage-workers",
        topics.stage_request_levels(chosen),
        handle,
        _wait_for_signal(),
    )


@app.command()
def publisher(
    transport: Annotated[
        str | None, typer.Option(help="embedded (follow the event store) or kafka (consumer group)")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Worker name in events.")] = None,
    data_dir: DataDir = None,
) -> None:
    """The YouTube uploader: uploads films (resumable, resumed after a crash) and publishes finished films."""
    from infra.container import build_studio
    from infra.youtube.wiring import publisher_loop

    _logging()
    settings = _settings(data_dir, create_tables=False)
    chosen = transport or settings.transport
    if chosen not in ("embedded", "kafka"):
        raise typer.BadParameter(
            f"{chosen!r} is not a transport; use embedded or kafka", param_hint="'--transport'"
        )
    studio = build_studio(settings)
    try:
        publisher_loop(studio, chosen, name, _wait_for_signal())
    finally:
        studio.stop()


@app.command("salesforce-mirror")
def salesforce_mirror(
    rebuild: Annotated[
        bool, typer.Option(help="Forget the local mirror and rebuild it from the whole history first.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Mirror accounts, projects, credits and YouTube links to Salesforce (consumer group 'salesforce-mirror')."""
    from infra.container import build_studio
    from infra.crm import MIRROR_GROUP, consume_events, mirror_parts

    _logging()
    studio = build_studio(_settings(data_dir, create_tables=False))
    consumer, pusher = mirror_parts(studio, kafka=True)
    if rebuild:
        typer.echo(f"rebuilt the mirror from {consumer.rebuild()} events; sending every record again")
    pusher.start()
    try:
        consume_events(studio, MIRROR_GROUP, consumer.handle, _wait_for_signal())
    finally:
        pusher.stop()
        studio.stop()


@app.command()
def notifier(data_dir: DataDir = None) -> None:
    """Send notification e-mails over SMTP (FILMSTUDIO_SMTP_HOST; consumer group 'notifier')."""
    from infra.container import build_studio
    from infra.crm import NOTIFIER_GROUP, consume_events, notifier_parts

    _logging()
    settings = _settings(data_dir, create_tables=False)
    if not settings.smtp_host:
        raise typer.BadParameter(
            "set FILMSTUDIO_SMTP_HOST (and FILMSTUDIO_SMTP_PORT) to the SMTP server to use"
        )
    studio = build_studio(settings)
    handler, sender = notifier_parts(studio)
    sender.start()
    try:
        consume_events(studio, NOTIFIER_GROUP, handler.handle, _wait_for_signal())
    finally:
        sender.stop()
        studio.stop()


@app.command()
def broker(port: int = 9092) -> None:
    """Run the bundled Kafka-protocol dev broker (Tansu, in memory) on loopback."""
    from infra.broker import run_broker

    run_broker(port)


@projections_app.command("rebuild")
def projections_rebuild(name: str, data_dir: DataDir = None) -> None:
    """Drop a read model and replay the whole event log into it ('all' for every one)."""
    from infra.container import build_studio

    studio = build_studio(_settings(data_dir))
    studio.projector.setup()
    names = list(studio.projector.projections) if name == "all" else [name]
    for n in names:
        if n not in studio.projector.projections:
            raise typer.BadParameter(
                f"no projection {n!r}; choose from {sorted(studio.projector.projections)}"
            )
        started = time.perf_counter()
        count = studio.projector.rebuild(n)
        typer.echo(f"{n}: {count} events replayed in {time.perf_counter() - started:.2f} s")


@events_app.command("export")
def events_export(
    out: Annotated[Path, typer.Option(help="Output file.")],
    since: Annotated[int, typer.Option(help="Only events after this position.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or parquet")] = "jsonl",
    data_dir: DataDir = None,
) -> None:
    """Export the event log for analysts (JSON lines or Parquet)."""
    from infra.container import build_studio
    from infra.export import FORMATS, export_events

    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not a format; choose from {', '.join(FORMATS)}", param_hint="'--format'"
        )
    studio = build_studio(_settings(data_dir))
    try:
        count = export_events(studio.store, out, since=since, fmt=fmt)
    finally:
        studio.stop()
    typer.echo(f"wrote {count} events to {out}")


@schemas_app.command("export")
def schemas_export(
    out: Annotated[Path, typer.Argument(help="Folder for the JSON Schema files.")] = Path("docs/events"),
) -> None:
    """Write the JSON Schema of the envelope and of every event type."""
    from infra.schema_export import export_event_schemas

    written = export_event_schemas(out)
    typer.echo(f"wrote {len(written)} files to {out}")


@app.command()
def render(
    script: Annotated[
        Path, typer.Argument(help="Script file: .txt, .md, .fountain, .docx or .pdf, or a template name.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Where to put the MP4s, subtitles and thumbnails.")
    ] = Path("out"),
    data_dir: DataDir = None,
    options: Annotated[str, typer.Option(help='FilmSpec options as JSON, e.g. {"aspects": ["9:16"]}')] = "{}",
    url: Annotated[str | None, typer.Option(help="Submit to a running studio at this URL instead.")] = None,
    email: Annotated[
        str, typer.Option(envvar="FILMSTUDIO_EMAIL", help="Account on the running studio.")
    ] = "",
    password: Annotated[str, typer.Option(envvar="FILMSTUDIO_PASSWORD", help="Its password.")] = "",
) -> None:
    """Render a film from a script with a live progress bar per stage, then download the results."""
    from infra.render_job import render_remote, render_script

    try:
        chosen = json.loads(options)
    except json.JSONDecodeError as error:
        raise typer.BadParameter(
            f"--options is not valid JSON ({error}); e.g. '{{\"draft\": true}}'"
        ) from error
    if url:
        if not email or not password:
            raise typer.BadParameter(
                "--url needs --email and --password (or FILMSTUDIO_EMAIL / FILMSTUDIO_PASSWORD)"
            )
        render_remote(url, script, out, chosen, email, password)
        return
    render_script(script, out, _settings(data_dir), chosen)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
