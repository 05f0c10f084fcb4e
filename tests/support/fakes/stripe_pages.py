"""The fake's web pages: hosted Checkout (with a Pay button), hosted invoices, receipts, a test clock."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from tests.support.fakes.stripe_objects import Obj, StripeError

if TYPE_CHECKING:
    from tests.support.fakes.stripe_server import FakeStripe

Page = tuple[int, str, str | None]
"""(HTTP status, HTML, Location header for redirects)."""

PAY = re.compile(r"^/c/pay/(cs_test_\w+)$")
CANCEL = re.compile(r"^/c/pay/(cs_test_\w+)/cancel$")
INVOICE = re.compile(r"^/i/(in_\w+)(/pdf)?$")
RECEIPT = re.compile(r"^/receipts/(ch_\w+)$")
END_PERIOD = re.compile(r"^/_fake/subscriptions/(sub_\w+)/end_period$")


def _html(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def _money(cents: int, currency: str) -> str:
    return f"{cents / 100:.2f} {currency.upper()}"


def _redirect(url: str | None, session_id: str, fallback: str) -> Page:
    if not url:
        return 200, _html(fallback, "<p>You can close this page.</p>"), None
    return 303, _html("Redirecting", ""), url.replace("{CHECKOUT_SESSION_ID}", session_id)


def serve_page(fake: FakeStripe, method: str, path: str) -> Page:
    """Answers a browser request to the fake (anything outside /v1/)."""
    account = fake.account
    try:
        with account.lock:
            if (m := PAY.match(path)) and method == "GET":
                return _checkout_page(account.store.get("checkout.session", m[1]))
            if (m := PAY.match(path)) and method == "POST":
                session = account.pay_checkout_session(m[1])
                return _redirect(session["success_url"], session["id"], "Payment complete")
            if (m := CANCEL.match(path)) and method == "POST":
                session = account.store.get("checkout.session", m[1])
                return _redirect(session["cancel_url"], session["id"], "Payment cancelled")
            if (m := INVOICE.match(path)) and method == "GET":
                return _invoice_page(account.store.get("invoice", m[1]))
            if (m := RECEIPT.match(path)) and method == "GET":
                charge = account.store.get("charge", m[1])
                text = f"<p id='amount'>Amount paid: {_money(charge['amount'], charge['currency'])}</p>"
                return 200, _html(f"Receipt {charge['id']}", text), None
            if (m := END_PERIOD.match(path)) and method == "POST":
                subscription = account.end_period(m[1])
                return (
                    200,
                    _html("Period ended", f"<p id='status'>{escape(subscription['status'])}</p>"),
                    None,
                )
    except StripeError as error:
        return error.status, _html("Stripe (fake)", f"<p role='alert'>{escape(str(error))}</p>"), None
    return 404, _html("Not found", f"<p>Nothing at {escape(path)}.</p>"), None


def _checkout_page(session: Obj) -> Page:
    if session["status"] != "open":
        return (
            200,
            _html("Checkout", f"<p role='status'>This session is {escape(session['status'])}.</p>"),
            None,
        )
    rows = "".join(
        f"<li>{escape(line['description'])} x {line['quantity']}: "
        f"{_money(line['amount_total'], line['currency'])}"
        f"{' / month' if line['price']['recurring'] else ''}</li>"
        for line in session["line_items"]["data"]
    )
    total = _money(session["amount_total"], session["currency"])
    body = (
        f"<ul>{rows}</ul><p id='total'>Total: {total}</p>"
        f"<form method='post' action='/c/pay/{session['id']}'>"
        "<label>Card number <input name='card' value='4242 4242 4242 4242'></label>"
        f"<button id='pay' type='submit'>Pay {total}</button></form>"
        f"<form method='post' action='/c/pay/{session['id']}/cancel'>"
        "<button id='cancel' type='submit'>Cancel</button></form>"
    )
    return 200, _html("Checkout (fake Stripe, test mode)", body), None


def _invoice_page(invoice: Obj) -> Page:
    lines = "".join(
        f"<li>{escape(line['description'])}: {_money(line['amount'], line['currency'])}</li>"
        for line in invoice["lines"]["data"]
    )
    body = (
        f"<p id='status'>{escape(invoice['status'])}</p><ul>{lines}</ul>"
        f"<p id='amount'>Amount paid: {_money(invoice['amount_paid'], invoice['currency'])}</p>"
    )
    return 200, _html(f"Invoice {invoice['number']}", body), None
