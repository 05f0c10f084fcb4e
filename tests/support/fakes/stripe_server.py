"""A local Stripe: the API calls the studio makes, hosted Checkout pages to "pay" on, and signed webhooks.

Run it alone for browser tests:
    python -m tests.support.fakes.stripe_server --port 12111 --webhook-url http://127.0.0.1:8000/api/billing/stripe/webhook
then point the studio at it (FILMSTUDIO_STRIPE_API_BASE=http://127.0.0.1:12111, the same key and secret).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import secrets
import signal
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.support.fakes.stripe_account import StripeAccount
from tests.support.fakes.stripe_forms import FormError, decode_form
from tests.support.fakes.stripe_objects import API_VERSION, Obj, StripeError
from tests.support.fakes.stripe_webhooks import Transport, WebhookSender, http_transport

DEFAULT_API_KEY = "sk_test_fake_studio"
DEFAULT_WEBHOOK_SECRET = "whsec_fake_studio"

Handler = Callable[[StripeAccount, Obj, list[str]], Obj]


def _expand(params: Obj) -> list[str]:
    value = params.get("expand") or []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _routes() -> list[tuple[str, re.Pattern[str], Handler]]:
    """The API surface, as (method, path pattern, handler(account, params, path groups))."""
    s = r"([A-Za-z0-9_]+)"
    table: list[tuple[str, str, Handler]] = [
        ("POST", "/v1/customers", lambda a, p, g: a.create_customer(p)),
        ("GET", f"/v1/customers/{s}", lambda a, p, g: a.store.get("customer", g[0])),
        (
            "GET",
            "/v1/customers",
            lambda a, p, g: a.store.page("customer", "/v1/customers", p, email=p.get("email")),
        ),
        ("POST", "/v1/products", lambda a, p, g: a.create_product(p)),
        ("GET", f"/v1/products/{s}", lambda a, p, g: a.store.get("product", g[0])),
        ("POST", "/v1/prices", lambda a, p, g: a.create_price(p)),
        ("GET", "/v1/prices", lambda a, p, g: a.list_prices(p)),
        ("GET", f"/v1/prices/{s}", lambda a, p, g: a.store.expand(a.store.get("price", g[0]), _expand(p))),
        ("POST", "/v1/checkout/sessions", lambda a, p, g: a.public_session(a.create_checkout_session(p))),
        (
            "GET",
            f"/v1/checkout/sessions/{s}",
            lambda a, p, g: a.public_session(a.store.get("checkout.session", g[0]), _expand(p)),
        ),
        (
            "GET",
            f"/v1/checkout/sessions/{s}/line_items",
            lambda a, p, g: a.store.get("checkout.session", g[0])["line_items"],
        ),
        (
            "POST",
            f"/v1/checkout/sessions/{s}/expire",
            lambda a, p, g: a.public_session(a.expire_checkout_session(g[0])),
        ),
        (
            "GET",
            f"/v1/subscriptions/{s}",
            lambda a, p, g: a.store.expand(a.store.get("subscription", g[0]), _expand(p)),
        ),
        ("POST", f"/v1/subscriptions/{s}", lambda a, p, g: a.update_subscription(g[0], p)),
        ("DELETE", f"/v1/subscriptions/{s}", lambda a, p, g: a.cancel_subscription(g[0])),
        (
            "GET",
            "/v1/subscriptions",
            lambda a, p, g: a.store.page("subscription", "/v1/subscriptions", p, customer=p.get("customer")),
        ),
        ("GET", "/v1/invoices", lambda a, p, g: _invoices(a, p)),
        (
            "GET",
            f"/v1/invoices/{s}",
            lambda a, p, g: a.store.expand(a.store.get("invoice", g[0]), _expand(p)),
        ),
        (
            "GET",
            f"/v1/payment_intents/{s}",
            lambda a, p, g: a.store.expand(a.store.get("payment_intent", g[0]), _expand(p)),
        ),
        ("GET", f"/v1/charges/{s}", lambda a, p, g: a.store.get("charge", g[0])),
        ("GET", f"/v1/events/{s}", lambda a, p, g: a.store.get("event", g[0])),
        ("GET", "/v1/events", lambda a, p, g: a.store.page("event", "/v1/events", p, type=p.get("type"))),
    ]
    return [(method, re.compile(f"^{path}$"), handler) for method, path, handler in table]


def _invoices(account: StripeAccount, params: Obj) -> Obj:
    page = account.store.page("invoice", "/v1/invoices", params, customer=params.get("customer"))
    if params.get("subscription"):
        wanted = params["subscription"]
        page["data"] = [
            i for i in page["data"] if i["parent"]["subscription_details"]["subscription"] == wanted
        ]
    return page


class FakeStripe:
    """The fake's HTTP server, its account and its webhook sender; a context manager for tests."""

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        webhook_url: str | None = None,
        transport: Transport | None = None,
        auto_deliver: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.routes = _routes()
        self.idempotent: dict[str, tuple[str, int, Obj]] = {}
        self.server = ThreadingHTTPServer((host, port), _handler_class(self))
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.account = StripeAccount(self.url)
        if transport is None and webhook_url:
            transport = http_transport(webhook_url)
        self.webhooks = WebhookSender(webhook_secret, transport, auto=auto_deliver)
        self.account.on_event = self.webhooks.enqueue
        self._thread: threading.Thread | None = None

    def start(self) -> FakeStripe:
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-stripe", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.webhooks.stop()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what a test (or the hosted page) does ------------------------------------------------

    def pay(self, session_id: str) -> Obj:
        """Completes a Checkout Session as a shopper who paid on the hosted page."""
        with self.account.lock:
            return self.account.pay_checkout_session(session_id)

    def end_period(self, subscription_id: str) -> Obj:
        """Moves time to the subscription's period end: it renews, or ends if cancelled at period end."""
        with self.account.lock:
            return self.account.end_period(subscription_id)

    def events_of(self, type: str) -> list[Obj]:
        return [e for e in self.account.events if e["type"] == type]

    # --- the API ------------------------------------------------------------------------------

    def call(
        self, method: str, path: str, params: Obj, key: str | None, idempotency_key: str | None
    ) -> tuple[int, Obj, bool]:
        """One API request: (status, JSON body, replayed)."""
        if not key:
            return (
                401,
                _auth_error(
                    "You did not provide an API key. You need to provide your API key in the Authorization "
                    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
                ),
                False,
            )
        if key != self.api_key:
            return 401, _auth_error(f"Invalid API Key provided: {key[:8]}{'*' * 12}{key[-4:]}"), False
        fingerprint = json.dumps([method, path, params], sort_keys=True)
        with self.account.lock:
            if idempotency_key and method != "GET" and idempotency_key in self.idempotent:
                seen, status, body = self.idempotent[idempotency_key]
                if seen != fingerprint:
                    return (
                        400,
                        StripeError(
                            400,
                            "Keys for idempotent requests can only be used with the same parameters they were "
                            f"first used with. Try using a key other than '{idempotency_key}' if you meant to "
                            "execute a different request.",
                            type="idempotency_error",
                        ).body,
                        False,
                    )
                return status, body, True
            status, body = self._dispatch(method, path, params)
            if idempotency_key and method != "GET" and status < 500:
                self.idempotent[idempotency_key] = (fingerprint, status, body)
        return status, body, False

    def _dispatch(self, method: str, path: str, params: Obj) -> tuple[int, Obj]:
        known_path = False
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None:
                continue
            known_path = True
            if route_method == method:
                try:
                    return 200, json.loads(json.dumps(handler(self.account, params, list(match.groups()))))
                except StripeError as error:
                    return error.status, error.body
        message = f"Unrecognized request URL ({method}: {path})."
        if known_path:
            message = f"Unrecognized request URL ({method}: {path}). This endpoint does not support {method}."
        return 404, StripeError(404, message).body


def _auth_error(message: str) -> Obj:
    return {"error": {"type": "invalid_request_error", "message": message}}


def _api_key(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        # `curl -u sk_test_...:` sends the key as the basic-auth user name.
        return base64.b64decode(value).decode().partition(":")[0]
    return None


def _handler_class(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class StripeRequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read events, not logs
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            try:
                params = decode_form(body if method == "POST" else parts.query)
            except FormError as error:
                self._json(400, StripeError(400, str(error)).body)
                return
            if not parts.path.startswith("/v1/"):
                self._page(method, parts.path)
                return
            status, payload, replayed = fake.call(
                method,
                parts.path,
                params,
                _api_key(self.headers.get("Authorization")),
                self.headers.get("Idempotency-Key"),
            )
            self._json(status, payload, {"Idempotent-Replayed": "true"} if replayed else {})

        def _json(self, status: int, payload: Obj, extra: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, indent=2).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
            self.send_header("Stripe-Version", self.headers.get("Stripe-Version") or API_VERSION)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _page(self, method: str, path: str) -> None:
            from tests.support.fakes.stripe_pages import serve_page

            status, content, location = serve_page(fake, method, path)
            data = content.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(data)

    return StripeRequestHandler


def main(argv: list[str] | None = None) -> None:
    """Runs the fake until interrupted, sending webhooks to --webhook-url."""
    parser = argparse.ArgumentParser(description="A local fake of the Stripe API for tests and demos.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument(
        "--webhook-url", help="where to POST signed events, e.g. .../api/billing/stripe/webhook"
    )
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--webhook-secret", default=DEFAULT_WEBHOOK_SECRET)
    args = parser.parse_args(argv)
    fake = FakeStripe(
        api_key=args.api_key,
        webhook_secret=args.webhook_secret,
        webhook_url=args.webhook_url,
        host=args.host,
        port=args.port,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with fake:
        print(
            f"Fake Stripe on {fake.url} (api key {fake.api_key}, webhook secret {fake.webhooks.secret}, "
            f"webhooks to {args.webhook_url or 'nowhere'})",
            flush=True,
        )
        stop.wait()


if __name__ == "__main__":
    main()
