"""Credits in the browser: buying a top-up on the local fake Stripe's checkout page, and the dashboard's speed."""

from __future__ import annotations

import re
import statistics
from typing import Any

import pytest

from tests.web.conftest import LiveStudio, screenshot, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def available_credits(page: Any) -> int:
    return int(re.sub(r"\D", "", page.get_by_test_id("available").inner_text()) or 0)


def test_buying_a_top_up_goes_through_checkout_and_the_credits_arrive(
    page: Any, paying: tuple[LiveStudio, Any]
) -> None:
    live, stripe = paying
    sign_up_in_browser(page, live)
    page.get_by_role("navigation").get_by_role("link", name="Credits & plans").click()
    expect(page.get_by_role("heading", name="Credits & plans")).to_be_visible()
    before = available_credits(page)
    expect(page.get_by_role("heading", name="Plans", exact=True)).to_be_visible()
    screenshot(page, "credits-and-plans")

    buy = page.get_by_role("button", name=re.compile(r"^Buy [\d,]+ credits")).first
    bought = int(re.sub(r"\D", "", re.match(r"Buy ([\d,]+)", buy.inner_text()).group(1)))
    buy.click()
    page.wait_for_url(f"{stripe.url}/c/pay/**")  # the fake's hosted checkout page
    page.locator("#pay").click()

    page.wait_for_url(re.compile(r"/credits\?checkout=success"))
    expect(page.get_by_role("status").first).to_contain_text("Thank you")
    # The webhook may land a moment after the redirect: reload until the balance shows the purchase.
    for _ in range(50):
        if available_credits(page) == before + bought:
            break
        page.wait_for_timeout(200)
        page.reload()
        expect(page.get_by_test_id("available")).to_be_visible()
    assert available_credits(page) == before + bought
    expect(page.get_by_role("cell", name=re.compile(f"\\+{bought:,}"))).to_be_visible()


def test_dashboard_api_calls_answer_within_100_ms(page: Any, live: LiveStudio) -> None:
    sign_up_in_browser(page, live)
    timings: dict[str, list[float]] = {}
    for _ in range(5):
        page.goto(live.url + "/dashboard")
        expect(page.get_by_role("heading", name="Recent projects")).to_be_visible()
        page.wait_for_load_state("networkidle")
        entries = page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'))"
            ".map(e => [new URL(e.name).pathname, e.responseEnd - e.requestStart])"
        )
        for path, ms in entries:
            timings.setdefault(path, []).append(ms)
    medians = {path: statistics.median(ms) for path, ms in timings.items()}
    print("dashboard API medians (ms):", {p: round(m, 1) for p, m in medians.items()})
    assert {"/api/me", "/api/projects"} <= set(medians)
    assert all(m < 100 for m in medians.values()), medians
