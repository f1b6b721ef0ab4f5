"""Browser tests: the tracker served on 127.0.0.1 from a fresh demo database, driven in Debian's
Chromium through Playwright. Skipped, with the reason, where Chromium or Playwright is missing.

Screenshots go to test-artifacts/screenshots/ (CI keeps them as artefacts).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from config import BASE_DIR, TestConfig
from tests.e2e.screens import OFFICER, Screen, follow
from tracker import create_app
from tracker.catalogue.loader import bundled_files, load_files
from tracker.demo import DEMO_PASSWORD, seed_demo
from tracker.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = BASE_DIR / "test-artifacts" / "screenshots"
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
HTMLCS = BASE_DIR / "node_modules" / "@pa11y" / "html_codesniffer" / "build" / "HTMLCS.js"
DEMO = {
    "coordinator": "coordinator@demo.example",
    "riga": "riga@demo.example",
    "helsinki": "helsinki@demo.example",
    "expert": "expert@demo.example",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_api():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium')")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need Playwright: make install"
    )
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_api):
    browser = playwright_api.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The tracker on a free port of 127.0.0.1, on a new SQLite database with the demo."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'tracker.sqlite'}",
            "UPLOAD_DIR": str(folder / "uploads"),
            "WTF_CSRF_ENABLED": True,  # as in production: the browser sends the tokens
            "TESTING": False,
        },
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        load_files(bundled_files())
        seed_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, _closed_before_sending(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
    with app.app_context():
        db.engine.dispose()


def _closed_before_sending(app):
    """The app, its responses read whole and closed before the server sends them. When the
    browser drops a request (it leaves a page while its favicon still loads), Werkzeug's
    development server never closes the response, and an open static file would turn up later
    as a ResourceWarning in whichever test is running. Test pages are small; production runs
    under gunicorn."""

    def application(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return application


@pytest.fixture
def browser_context(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


# The interface's languages: the accessibility and phone checks run in each, since translated
# words are longer (German compounds) and a page must not break for them.
LANGUAGES = ("en", "fr", "de")


def read_in(page, language: str) -> None:
    """Ask for the pages in a language, as a browser set to it does (Accept-Language), from the
    next request on; an account that has chosen its own language keeps it."""
    page.context.set_extra_http_headers({"Accept-Language": f"{language},en;q=0.5"})


def sign_in(page, who: str) -> None:
    """Sign in through the form as one of the demo users (coordinator, riga, helsinki, expert),
    or as another account with the demo password by its email address."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(DEMO.get(who, who))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ---- The screens of tests/e2e/screens.py, opened as their users ----


@pytest.fixture(scope="session")
def dresden_officer(chromium, live_server) -> str:
    """An officer of Dresden (implementing city of a plan under way), added by the coordinator,
    who has started Dresden's final self-assessment round: the email address to sign in with."""
    from playwright.sync_api import expect

    context = chromium.new_context(base_url=live_server)
    page = context.new_page()
    sign_in(page, "coordinator")
    page.goto("/users/new")
    page.get_by_label("Full name").fill("Katrin Vogel")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Role", exact=True).select_option("city")
    page.get_by_label("Organisation", exact=True).select_option(label="Dresden")
    page.get_by_label("Initial password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("main")).to_contain_text("Katrin Vogel")
    context.clear_cookies()

    sign_in(page, OFFICER)
    follow(page, "main td a[href^='/pairs/']", "main a[href$='/assessments']")
    page.get_by_label("Final", exact=True).check()
    page.get_by_label("Date of the round").fill(date.today().isoformat())
    page.get_by_role("button", name="Start the round").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    context.close()
    return OFFICER


@pytest.fixture(scope="module")
def signed_in_cookies(chromium, live_server, dresden_officer):
    """The session cookies of each user, who signs in through the form once for the module."""
    cookies = {}

    def of(who: str) -> list[dict]:
        if who not in cookies:
            context = chromium.new_context(base_url=live_server)
            sign_in(context.new_page(), who)
            cookies[who] = context.cookies()
            context.close()
        return cookies[who]

    return of


@pytest.fixture
def open_screen(page, signed_in_cookies):
    """Open a screen as its user; check the page answered as expected."""

    def open_(screen: Screen):
        if screen.who:
            page.context.add_cookies(signed_in_cookies(screen.who))
        response = page.goto(screen.start)
        response = follow(page, *screen.follow) or response
        assert response.status == screen.status, (
            f"{screen.name}: {page.url} answered {response.status}"
        )
        return page

    return open_
