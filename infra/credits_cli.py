"""`filmstudio credits ...` and `filmstudio plans`: balances, history, prices and admin adjustments on a local studio."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

credits_app = typer.Typer(
    help="Credits: balance, history, price estimates, admin adjustments.", no_args_is_help=True
)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Where the embedded studio keeps its data.")]
Email = Annotated[str, typer.Argument(help="The creator's e-mail address.")]


def _settings(data_dir: Path | None) -> Any:
    from infra.settings import Settings

    return Settings(data_dir=data_dir) if data_dir else Settings()


def _studio(data_dir: Path | None) -> Any:
    from infra.container import build_studio

    return build_studio(_settings(data_dir))


def _account(studio: Any, email: str) -> uuid.UUID:
    from commands.account import account_id_for

    account = account_id_for(email)
    state, _ = studio.bus.state_of("account", account)
    if not state.exists:
        raise typer.BadParameter(f"no account for {email}; register it first", param_hint="EMAIL")
    return account


@credits_app.command("balance")
def balance(email: Email, data_dir: DataDir = None) -> None:
    """Available and reserved credits and the plan."""
    from commands.film_order import credit_state

    studio = _studio(data_dir)
    state = credit_state(studio.bus, _account(studio, email), studio.catalogue, datetime.now(UTC))
    plan = studio.catalogue.plan(state.plan)
    typer.echo(f"{email}: {state.available} credits available, {state.reserved} reserved ({plan.name} plan)")
    if state.available < 5:
        typer.echo("Low balance: buy a top-up with `filmstudio billing` or at /credits.")


@credits_app.command("history")
def history(
    email: Email,
    kind: Annotated[
        str | None, typer.Option(help="granted, purchased, reserved, captured, released, ...")
    ] = None,
    limit: int = 20,
    data_dir: DataDir = None,
) -> None:
    """The account's ledger, newest first."""
    from schemas.credits import credit_account_id

    studio = _studio(data_dir)
    envelopes = studio.store.load(credit_account_id(_account(studio, email)))
    shown = 0
    for envelope in reversed(envelopes):
        name = envelope.type.removeprefix("Credits").lower()
        if kind and name != kind:
            continue
        p = envelope.payload
        detail = p.get("reason") or p.get("reservation_id") or p.get("period") or p.get("payment_id") or ""
        credits = p.get("credits", "")
        typer.echo(f"{envelope.occurred_at:%Y-%m-%d %H:%M}  {envelope.type:<26} {credits!s:>6}  {detail}")
        shown += 1
        if shown >= limit:
            break


@credits_app.command("estimate")
def estimate(
    seconds: Annotated[float | None, typer.Option(help="The film's length in seconds.")] = None,
    script: Annotated[Path | None, typer.Option(help="A script file: price its estimated length.")] = None,
    data_dir: DataDir = None,
) -> None:
    """What a film costs: 3 credits a minute, rounded up to the half minute."""
    from commands.plan_rules import quote_film, quote_seconds
    from infra.film_length import measure_script
    from infra.plan_catalogue import load_catalogue
    from schemas.film import FilmSpec

    catalogue = load_catalogue(_settings(data_dir).plans_file)
    if script is not None:
        quote = quote_film(FilmSpec(script=script.read_text(encoding="utf-8")), catalogue, measure_script)
    elif seconds is not None:
        quote = quote_seconds(seconds, catalogue)
    else:
        raise typer.BadParameter("give --seconds N or --script FILE")
    typer.echo(f"about {quote.seconds:.0f} s, billed as {quote.billed_seconds} s: {quote.credits} credits")


@credits_app.command("adjust")
def adjust(
    email: Email,
    credits: Annotated[int, typer.Argument(help="Positive adds, negative removes.")],
    reason: Annotated[str, typer.Option(help="Why; kept in the ledger.")],
    data_dir: DataDir = None,
) -> None:
    """Add or remove credits as the operator, with a reason."""
    from commands.errors import DomainError
    from schemas.credits import AdjustCredits

    studio = _studio(data_dir)
    account = _account(studio, email)
    operator = uuid.UUID(int=0)
    try:
        studio.bus.handle(
            AdjustCredits(account_id=account, credits=credits, reason=reason, admin_id=operator)
        )
    except DomainError as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(1) from refused
    typer.echo(f"adjusted {email} by {credits:+d} credits ({reason})")


def plans(data_dir: DataDir = None) -> None:
    """The plan catalogue: prices, monthly credits, limits, top-ups."""
    from infra.plan_catalogue import load_catalogue

    catalogue = load_catalogue(_settings(data_dir).plans_file)
    for p in catalogue.plans:
        projects = "unlimited" if p.projects_per_month is None else str(p.projects_per_month)
        typer.echo(
            f"{p.name:<11} ${p.price_cents / 100:>6.2f}/month  {p.monthly_credits:>4} credits  films up to "
            f"{p.max_seconds // 60} min  {p.max_resolution:<5}  {projects} projects/month"
            + ("  watermark" if p.watermark else "")
        )
    for t in catalogue.topups:
        extra = "  (enterprise)" if t.enterprise_only else ""
        typer.echo(f"top-up {t.credits:>4} credits  ${t.price_cents / 100:.2f}{extra}")
    typer.echo(catalogue.cancel_policy_text)
