"""YouTube in the browser against the local fake YouTube: connect a channel through OAuth, publish a film."""

from __future__ import annotations

import re
from typing import Any

import pytest

from commands.account import account_id_for
from schemas.credits import ChangePlan
from tests.web.conftest import LiveStudio, access_token, new_page, screenshot, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.fixture
def tls_page(browser: Any) -> Any:
    """The fake YouTube serves TLS with its own certificate; the browser is told to accept it."""
    page = new_page(browser, ignore_https_errors=True)
    yield page
    page.context.close()


def test_a_creator_connects_a_channel_then_publishes_a_finished_film_and_sees_its_url(
    tls_page: Any, publishing: tuple[LiveStudio, Any]
) -> None:
    live, fake = publishing
    page = tls_page
    email = sign_up_in_browser(page, live)
    live.studio.bus.handle(ChangePlan(account_id=account_id_for(email), plan="standard"))

    page.get_by_role("navigation").get_by_role("link", name="YouTube").click()
    expect(page.get_by_text("No YouTube channel is connected")).to_be_visible()
    page.get_by_role("button", name="Connect a YouTube channel").click()
    # Google's consent (the fake) sends the browser to the studio's callback, which returns it here.
    page.wait_for_url(f"{live.url}/youtube")
    channel = page.get_by_test_id("channel")
    expect(channel).to_contain_text(fake.channel_title)
    expect(channel).to_contain_text(fake.channel_id)

    headers = {"Authorization": f"Bearer {access_token(page)}"}
    with live.api() as api:
        project = api.post(
            "/api/projects",
            json={"title": "The Lighthouse", "script": "The keeper lights the lamp.\n\nThe boats come home."},
            headers=headers,
        ).json()
        assert api.post(f"/api/projects/{project['id']}/films", headers=headers).status_code == 202
    page.goto(f"{live.url}/projects/{project['id']}")
    film = page.get_by_test_id("film")
    expect(film).to_have_attribute("data-status", "completed", timeout=60_000)

    page.get_by_role("button", name="Publish to YouTube").click()
    form = page.get_by_test_id("publish")
    expect(form.get_by_label("Title")).not_to_have_value("")
    form.get_by_label("Title").fill("The Lighthouse (studio test)")
    form.get_by_label("Privacy").select_option("unlisted")
    form.get_by_role("button", name="Publish", exact=True).click()
    upload = form.get_by_test_id("upload")
    expect(upload).to_have_attribute("data-status", "published", timeout=60_000)
    video_id = next(iter(fake.videos))
    link = upload.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(re.escape(video_id)))
    assert fake.videos[video_id]["snippet"]["title"] == "The Lighthouse (studio test)"
    assert fake.videos[video_id]["status"]["privacyStatus"] == "unlisted"

    page.get_by_role("navigation").get_by_role("link", name="YouTube").click()
    row = page.get_by_test_id("upload")
    expect(row).to_have_attribute("data-status", "published")
    expect(row).to_contain_text("The Lighthouse (studio test)")
    expect(row.get_by_role("link")).to_have_attribute("href", re.compile(re.escape(video_id)))
    expect(page.get_by_role("heading", name="Playlists")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)  # every section has loaded
    screenshot(page, "youtube")
