"""The real film pipeline (script, voices, cast, scenes, music, subtitles, render) driven from the browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.gateway.conftest import stop
from tests.web.conftest import LiveStudio, screenshot, serve, sign_up_in_browser, start_studio

pytestmark = [pytest.mark.browser, pytest.mark.media, pytest.mark.slow, pytest.mark.timeout(420)]

SCRIPT = """INT. KITCHEN - MORNING

Sunlight falls across the table.

PRIYA: Good morning, Dadi!
DADI: You are up early, little one.
"""


@pytest.fixture(scope="module")
def studio_live(tmp_path_factory: pytest.TempPathFactory, web_build: None) -> Iterator[LiveStudio]:
    studio = start_studio(tmp_path_factory.mktemp("web-real"), "studio")
    yield from serve(studio)
    stop(studio)


def test_a_draft_from_the_real_pipeline_plays_with_subtitles_to_download(
    page: Any, studio_live: LiveStudio
) -> None:
    from playwright.sync_api import expect

    sign_up_in_browser(page, studio_live)
    page.get_by_label("Start from a template").select_option("")
    page.get_by_label("Title").fill("Morning")
    page.get_by_label("Script", exact=True).fill(SCRIPT)
    expect(page.get_by_test_id("word-count")).to_have_text("19 words")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Dadi", exact=True)).to_be_visible()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Resolution").select_option("480p")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create project and render a draft").click()

    page.wait_for_url(re.compile(r"/projects/[0-9a-f-]{36}$"))
    film = page.get_by_test_id("film")
    # Progress arrives live: a stage is seen running before the film completes.
    expect(page.locator("li[data-stage][data-status='running']").first).to_be_visible(timeout=60_000)
    screenshot(page, "project-rendering")
    expect(film).to_have_attribute("data-status", "completed", timeout=360_000)
    expect(page.get_by_role("heading", name="Draft preview")).to_be_visible()
    expect(page.get_by_test_id("player")).to_be_visible()
    duration = page.get_by_test_id("player").evaluate(
        "v => new Promise(r => v.readyState >= 1 ? r(v.duration) : v.addEventListener('loadedmetadata', () => r(v.duration)))"
    )
    assert duration > 2, "the browser can load and play the draft"
    links = page.locator("ul.downloads a")
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    # Labelled for the creator, not by output key: "Film 16:9 480p (MP4)", "Subtitles English (SRT)".
    assert "Film 16:9 480p (MP4)" in texts, texts
    assert {"Subtitles English (SRT)", "Subtitles English (VTT)"} <= set(texts), texts
    screenshot(page, "project-draft-real-pipeline")
