"""`filmstudio billing purchase|plan|cancel`: buy credits or change plan on a running studio, over its API."""

from __future__ import annotations

from typing import Annotated, Any

import typer

billing_app = typer.Typer(
    help="Credits and plans: buy a top-up, change or cancel the plan.", no_args_is_help=True
)

Url = Annotated[str, typer.Option(envvar="FILMSTUDIO_URL", help="The running studio.")]
Email = Annotated[str, typer.Option(envvar="FILMSTUDIO_EMAIL", help="Your account's e-mail.")]
Password = Annotated[str, typer.Option(envvar="FILMSTUDIO_PASSWORD", help="Its password.")]


def _call(
    url: str, email: str, password: str, path: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Logs in and POSTs to the billing API; exits with the problem's detail on an error."""
    import httpx

    if not email or not password:
        raise typer.BadParameter("give --email and --password (or FILMSTUDIO_EMAIL / FILMSTUDIO_PASSWORD)")
    with httpx.Client(base_url=url.rstrip("/"), timeout=30) as http:
        login = http.post("/api/auth/login", json={"email": email, "password": password})
        if login.status_code != 200:
            typer.echo(f"Log-in failed: {login.json().get('detail', login.text)}", err=True)
            raise typer.Exit(1)
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        answer = http.post(f"/api/billing/{path}", json=body, headers=headers)
    if answer.status_code >= 400:
        typer.echo(answer.json().get("detail", answer.text), err=True)
        raise typer.Exit(1)
    return dict(answer.json())


@billing_app.command()
def purchase(
    topup_id: Annotated[str, typer.Argument(help="e.g. topup-10, topup-30, topup-60, topup-150")],
    url: Url = "http://127.0.0.1:8000",
    email: Email = "",
    password: Password = "",
) -> None:
    """Starts a top-up and prints the Checkout URL to pay at; the credits arrive once Stripe confirms."""
    answer = _call(url, email, password, "checkout", {"kind": "topup", "topup_id": topup_id})
    typer.echo(f"Pay here: {answer['checkout_url']}")


@billing_app.command()
def plan(
    plan_id: Annotated[str, typer.Argument(help="free, standard, pro or enterprise")],
    url: Url = "http://127.0.0.1:8000",
    email: Email = "",
    password: Password = "",
) -> None:
    """Changes plan: upgrades at once, downgrades at the period's end; a first subscription prints a Checkout URL."""
    answer = _call(url, email, password, "plan", {"plan_id": plan_id})
    if answer.get("checkout_url"):
        typer.echo(f"Pay here to start the {plan_id} plan: {answer['checkout_url']}")
    else:
        typer.echo(f"The {plan_id} plan takes effect at {answer['effective_at']}.")


@billing_app.command()
def cancel(url: Url = "http://127.0.0.1:8000", email: Email = "", password: Password = "") -> None:
    """Cancels the subscription at the end of the paid period (the plan stays until then)."""
    answer = _call(url, email, password, "cancel")
    typer.echo(f"Cancelled. Your plan stays until {answer['ends_at']}, then the free plan applies.")
