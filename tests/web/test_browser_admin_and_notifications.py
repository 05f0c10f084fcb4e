"""Administration and notifications in the browser: suspend a creator, adjust credits, hear about a film."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from commands.account import account_id_for
from schemas.commands import ChangeRole
from tests.web.conftest import LiveStudio, access_token, new_email, new_page, screenshot, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
PASSWORD = "correct horse battery"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def log_in(page: Any, live: LiveStudio, email: str) -> None:
    page.goto(live.url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_admin_adjusts_credits_with_a_reason_then_suspends_a_creator_who_is_told_why(
    browser: Any, page: Any, live: LiveStudio
) -> None:
    creator = new_email()
    with live.api() as api:
        registered = api.post(
            "/api/auth/register",
            json={"email": creator, "password": PASSWORD, "display_name": "Ravi", "language": "en"},
        )
        assert registered.status_code in (201, 202), registered.text
    admin_email = sign_up_in_browser(page, live, name="Admin Meera")
    live.studio.bus.handle(ChangeRole(account_id=account_id_for(admin_email), role="admin"))
    page.goto(live.url + "/admin")
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()

    page.get_by_label("Find by e-mail").fill(creator)
    row = page.locator(f"tr[data-email='{creator}']")
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name=f"Manage {creator}").click()
    account = page.get_by_test_id("account")
    account.get_by_label("Reason").fill("Refund for the outage on Tuesday")
    account.get_by_label("Credits (+ or −)").fill("+250")  # noqa: RUF001 (the label shows a real minus sign)
    account.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status").first).to_contain_text(f"+250 credits applied to {creator}")

    # The creator sees the adjustment, with the administrator's reason, in their history.
    creator_page = new_page(browser)
    try:
        log_in(creator_page, live, creator)
        creator_page.wait_for_url("**/dashboard")
        creator_page.goto(live.url + "/credits")
        expect(creator_page.get_by_role("cell", name=re.compile("Refund for the outage on Tuesday"))).to_be_visible()
        expect(creator_page.get_by_role("cell", name="+250")).to_be_visible()

        account.get_by_label("Reason").fill("Spam links in every script")
        account.get_by_role("button", name="Suspend").click()
        expect(page.get_by_role("status").first).to_contain_text(f"{creator} is suspended")
        expect(row).to_contain_text("Suspended")
        expect(row).to_contain_text("Spam links in every script")
        screenshot(page, "admin-suspended")

        # Their open session has ended; logging in again is refused with the administrator's reason.
        log_in(creator_page, live, creator)
        alert = creator_page.get_by_role("alert")
        expect(alert).to_contain_text("Spam links in every script")
        expect(creator_page).to_have_url(re.compile("/login"))
        screenshot(creator_page, "login-suspended")
    finally:
        creator_page.context.close()

    account.get_by_role("button", name="Reinstate").click()
    expect(row).to_contain_text("Active")


def test_a_finished_film_shows_up_in_notifications_and_can_be_marked_read(page: Any, live: LiveStudio) -> None:
    sign_up_in_browser(page, live)
    page.goto(live.url + "/notifications")
    expect(page.get_by_text("No notifications yet")).to_be_visible()
    headers = {"Authorization": f"Bearer {access_token(page)}"}
    with live.api() as api:
        project = api.post(
            "/api/projects", json={"title": "Lamp", "script": "The keeper lights the lamp."}, headers=headers
        ).json()
        assert api.post(f"/api/projects/{project['id']}/films", headers=headers).status_code == 202
    # The page re-reads the feed while it is open: the film's notification arrives without a reload.
    item = page.locator("li[data-kind='film_completed']")
    expect(item).to_be_visible(timeout=60_000)
    expect(item).to_have_attribute("data-read", "false")
    expect(page.get_by_test_id("unread")).to_have_text("1")
    screenshot(page, "notifications")
    item.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(f"/projects/{project['id']}$"))
    page.go_back()
    page.locator("li[data-kind='film_completed']").get_by_role("button", name="Mark read").click()
    expect(page.locator("li[data-kind='film_completed']")).to_have_attribute("data-read", "true")
    expect(page.get_by_test_id("unread")).to_have_count(0)


def test_notification_preferences_are_saved_and_read_back(page: Any, live: LiveStudio) -> None:
    sign_up_in_browser(page, live)
    page.goto(live.url + "/settings")
    failed = page.get_by_label("a film fails")
    expect(failed).to_be_checked()
    failed.uncheck()
    page.get_by_label("Language of e-mails and messages").select_option("fr")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status").filter(has_text="Preferences saved.")).to_be_visible()
    deadline = time.monotonic() + 10
    while True:  # the preferences view follows the log: reload until it has the change
        page.reload()
        expect(page.get_by_label("a film fails")).to_be_visible()
        if not page.get_by_label("a film fails").is_checked() or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    expect(page.get_by_label("a film fails")).not_to_be_checked()
    expect(page.get_by_label("Language of e-mails and messages")).to_have_value("fr")
