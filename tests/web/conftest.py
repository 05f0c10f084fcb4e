"""Browser tests: a real gateway and embedded studio on a free port, driven by Debian's Chromium via Playwright."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from gateway.app import create_app
from infra.container import Studio, build_studio
from infra.settings import Settings
from tests.gateway.conftest import FAST_HASHER, stop
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class LiveStudio:
    """A studio serving HTTP on loopback: the web app at `url`, the API under `url`/api."""

    url: str
    studio: Studio

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


def ensure_web_build() -> None:
    """The tests drive the built app; build it once when web/dist is missing (make setup builds it too)."""
    if (WEB / "dist" / "index.html").is_file():
        return
    npm = shutil.which("npm")
    assert npm, "npm is needed to build the web app (make setup installs Node.js)"
    if not (WEB / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    subprocess.run([npm, "run", "build"], cwd=WEB, check=True)


@pytest.fixture(scope="session")
def web_build() -> None:
    ensure_web_build()


def serve(studio: Studio, port: int | None = None) -> Iterator[LiveStudio]:
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(studio, password_hasher=FAST_HASHER),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.05)
    try:
        yield LiveStudio(f"http://127.0.0.1:{port}", studio)
    finally:
        server.should_exit = True
        thread.join(10)


def start_studio(data_dir: Path, stage_set: str, **settings: Any) -> Studio:
    studio = build_studio(
        Settings(
            data_dir=data_dir, stage_set=stage_set, environment="test", retry_backoff_seconds=0.1, **settings
        )
    )
    studio.start_embedded()
    return studio


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, web_build: None) -> Iterator[LiveStudio]:
    """The fast title-card pipeline: for flows where a real render is not the point."""
    studio = start_studio(tmp_path_factory.mktemp("web-studio"), "titlecards")
    yield from serve(studio)
    stop(studio)


@pytest.fixture(scope="module")
def paying(tmp_path_factory: pytest.TempPathFactory, web_build: None) -> Iterator[tuple[LiveStudio, Any]]:
    """A studio that takes payments through the local fake Stripe (its hosted checkout page and webhooks)."""
    from infra.plan_catalogue import DEFAULT_PLANS_FILE
    from tests.support.fakes.stripe_server import FakeStripe

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with FakeStripe(webhook_url=f"{url}/api/billing/stripe/webhook") as stripe:
        studio = start_studio(
            tmp_path_factory.mktemp("web-paying"),
            "titlecards",
            stripe_api_key=stripe.api_key,
            stripe_webhook_secret=stripe.webhooks.secret,
            stripe_api_base=stripe.url,
            public_url=url,
            plans_file=DEFAULT_PLANS_FILE,
        )
        yield from ((live, stripe) for live in serve(studio, port))
        stop(studio)


@pytest.fixture(scope="module")
def publishing(tmp_path_factory: pytest.TempPathFactory, web_build: None) -> Iterator[tuple[LiveStudio, Any]]:
    """A studio whose YouTube settings point at the local fake YouTube (OAuth consent, Data API, uploads)."""
    from infra.plan_catalogue import DEFAULT_PLANS_FILE
    from infra.youtube.wiring import youtube_of
    from tests.publishing.conftest import youtube_settings
    from tests.support.fakes.youtube_server import FakeYouTube

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    fake = FakeYouTube(tmp_path_factory.mktemp("fake-youtube")).start()
    studio = build_studio(
        Settings(
            data_dir=tmp_path_factory.mktemp("web-publishing"),
            stage_set="titlecards",
            environment="test",
            retry_backoff_seconds=0.1,
            plans_file=DEFAULT_PLANS_FILE,  # the bundled plans: YouTube needs Standard or above
        )
    )
    # Google sends the browser back to this studio's callback, which returns it to the web app's page.
    youtube_of(
        studio,
        youtube_settings(fake, redirect_uri=f"{url}/api/youtube/oauth/callback", return_url=f"{url}/youtube"),
    )
    studio.start_embedded()
    try:
        yield from ((live, fake) for live in serve(studio, port))
    finally:
        stop(studio)
        fake.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


def new_page(browser: Any, **options: Any) -> Any:
    """A page in a fresh browser context (its own localStorage: its own session)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = new_page(browser)
    yield page
    page.context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def access_token(page: Any) -> str:
    """The signed-in browser's access token, for API calls made alongside it."""
    return str(page.evaluate("JSON.parse(localStorage.getItem('filmstudio.tokens')).access_token"))


def new_email() -> str:
    return f"web-{uuid.uuid4().hex[:8]}@example.com"


def sign_up_in_browser(page: Any, live: LiveStudio, name: str = "Asha") -> str:
    """Signs up through the form; returns the e-mail. The app lands on the wizard with the story template."""
    email = new_email()
    page.goto(live.url + "/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/new?template=story")
    return email
