"""The web studio in a real browser (Debian's Chromium): the flows a creator goes through."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import LiveStudio, screenshot, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def expect(page: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(page)


def test_sign_up_then_template_then_draft_then_full_render_then_download(page: Any, live: LiveStudio) -> None:
    sign_up_in_browser(page, live)
    # The story template is loaded into the editor, with its word count and the cast the script stage finds.
    expect(page.get_by_label("Script", exact=True)).to_have_value(re.compile("PRIYA"))
    expect(page.get_by_test_id("word-count")).to_have_text(re.compile(r"^\d+ words$"))
    expect(page.get_by_label("Title")).to_have_value("Story")
    screenshot(page, "wizard-script")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Priya", exact=True)).to_be_visible()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("16:9").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create project and render a draft").click()

    page.wait_for_url(re.compile(r"/projects/[0-9a-f-]{36}$"))
    film = page.get_by_test_id("film")
    expect(film).to_have_attribute("data-status", "completed", timeout=60_000)
    expect(page.get_by_test_id("player")).to_be_visible()

    page.get_by_role("button", name="Render the full film").click()
    expect(page.get_by_role("table")).to_be_visible()  # the draft moves to the list of earlier renders
    expect(film).to_have_attribute("data-status", "completed", timeout=60_000)
    screenshot(page, "project-completed")

    mp4 = page.locator("ul.downloads a", has_text="MP4").first
    with page.expect_download() as download_info:
        mp4.click()
    path = download_info.value.path()
    with open(path, "rb") as f:
        head = f.read(12)
    assert head[4:8] == b"ftyp", "the download is an MP4"

    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("table").get_by_role("link", name="Story")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Ready", exact=True)).to_be_visible()
    screenshot(page, "dashboard")


def test_arabic_interface_is_right_to_left(page: Any, live: LiveStudio) -> None:
    page.goto(live.url + "/")
    page.get_by_label("Language").select_option("ar")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("حوّل النص إلى فيلم مكتمل")
    # The layout really flips: the brand sits at the right edge, the tools at the left.
    brand = page.locator(".brand").bounding_box()
    tools = page.locator(".tools").bounding_box()
    assert brand["x"] > tools["x"]
    page.get_by_role("link", name="إنشاء حساب").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("أنشئ حسابك")
    page.get_by_label("البريد الإلكتروني").fill("not-an-email")
    page.get_by_label("البريد الإلكتروني").blur()
    expect(page.get_by_role("alert")).to_contain_text("name@example.com")
    screenshot(page, "signup-arabic-rtl")


def test_a_failed_render_says_why_and_a_retry_after_the_fix_succeeds(page: Any, live: LiveStudio) -> None:
    sign_up_in_browser(page, live)
    token = page.evaluate("JSON.parse(localStorage.getItem('filmstudio.tokens')).access_token")
    headers = {"Authorization": f"Bearer {token}"}
    with live.api() as api:
        # A script of blank space passes the API's length check but has nothing to film.
        project = api.post("/api/projects", json={"title": "Empty", "script": "   "}, headers=headers).json()
        assert api.post(f"/api/projects/{project['id']}/films", headers=headers).status_code == 202
    page.goto(f"{live.url}/projects/{project['id']}")
    film = page.get_by_test_id("film")
    expect(film).to_have_attribute("data-status", "failed", timeout=30_000)
    failure = page.get_by_test_id("failure")
    expect(failure).to_contain_text("The script is empty")
    expect(failure).to_contain_text("render again")
    screenshot(page, "project-failed")

    page.get_by_label("Script", exact=True).fill("The keeper lights the lamp.\n\nThe boats come home.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    failure.get_by_role("button", name="Render again").click()
    expect(film).to_have_attribute("data-status", "completed", timeout=60_000)
    expect(page.get_by_test_id("player")).to_be_visible()
