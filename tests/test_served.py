"""Issue 15 through gunicorn in production mode (two workers, a database built by the
migrations): downloads with odd names, sessions that end on every worker, and a "forgot
password" form sent twice at once."""

from __future__ import annotations

import copy
import os
import statistics
import sys
import threading
import time
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass

import flask_migrate
import pytest
import sqlalchemy as sa

from config import BASE_DIR, TestConfig
from tests.databases import empty_database
from tests.factories import PASSWORD, Factories
from tests.odd_world import DOWNLOADS, OddWorld, build_odd_world, check_disposition
from tests.servers import Browser, Server
from tracker import create_app
from tracker.catalogue.loader import bundled_files, load_files
from tracker.extensions import db

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs Linux /proc for gunicorn")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
        ),
    ),
]


@dataclass
class Served:
    server: Server
    world: OddWorld
    url: str

    def browser(self, who: str | None = None, *, remember: bool = False) -> Browser:
        browser = Browser(self.server.base_url)
        if who is not None:
            browser.request("/sign-in")
            answer = browser.request(
                "/sign-in",
                {"email": self.world.emails[who], "password": PASSWORD}
                | ({"remember": "y"} if remember else {}),
            )
            assert answer.status == 302, answer.body[:500]
            browser.request(answer.location)  # the new session's CSRF token
        return browser

    def rows(self, query: str) -> list[tuple]:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as connection:
                return list(connection.exec_driver_sql(query))
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tmp_path_factory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    uploads = str(folder / "uploads")
    with (
        empty_database(request.param, folder, "served") as url,
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv("UPLOAD_DIR", uploads)  # the server's files, where the world put them
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": uploads})
        with app.app_context():
            flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
            load_files(bundled_files())
            world = build_odd_world(Factories(db.session))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        with Server(url, folder / "gunicorn.log", workers=2) as server:
            yield Served(server, world, url)
            log = server.log()
    assert "Traceback" not in log and "Error handling request" not in log, log


def fetch(browser: Browser, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET anything (a file too) with the browser's cookies."""
    try:
        with browser.opener.open(browser.base_url + path, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_every_download_works_under_gunicorn(served: Served):
    browsers: dict[str | None, Browser] = {}
    for who, template, expected in DOWNLOADS:
        if who not in browsers:
            browsers[who] = served.browser(who)
        path = served.world.address(template)
        status, headers, body = fetch(browsers[who], path)
        assert status == 200 and body, f"{path}: {status}\n{served.server.log()}"
        assert "no-store" in headers["Cache-Control"] or path.startswith("/calendar/feed/")
        check_disposition(
            headers["Content-Disposition"], expected and served.world.address(expected), path
        )


def copy_cookies(source: Browser, names: set[str]) -> Browser:
    """Another browser holding copies of some of the source's cookies."""
    thief = Browser(source.base_url)
    for cookie in source.cookies:
        if cookie.name in names:
            thief.cookies.set_cookie(copy.copy(cookie))
    return thief


def signed_in(browser: Browser, tries: int = 6) -> list[bool]:
    """Ask for the home page several times: with two workers, both of them answer."""
    return [browser.request("/").status == 200 for _ in range(tries)]


def test_a_session_ended_on_one_worker_is_ended_on_every_worker(served: Served):
    first = served.browser("implementer")
    second = served.browser("implementer", remember=True)
    copied = copy_cookies(first, {"session"})
    copied_remember = copy_cookies(second, {"remember_token"})
    assert all(signed_in(copied)) and all(signed_in(copied_remember))
    assert first.request("/sign-out", {}).status == 302
    assert not any(signed_in(copied))
    assert all(signed_in(second))  # the other browser is still signed in
    page = second.request("/account/sessions")
    assert second.request("/account/sessions/end-others", {}).status == 302, page.status
    assert all(signed_in(second))
    second.request("/sign-out", {})
    assert not any(signed_in(copied_remember))


def test_a_forgot_password_form_sent_twice_at_once_sends_one_link(served: Served):
    browsers = [served.browser() for _ in range(2)]
    for browser in browsers:
        browser.request("/account/forgot-password")
    answers: list[int] = []
    start = threading.Barrier(len(browsers))

    def submit(browser: Browser) -> None:
        start.wait()
        answer = browser.request("/account/forgot-password", {"email": "officer@gdansk.example"})
        answers.append(answer.status)

    threads = [threading.Thread(target=submit, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [302, 302], served.server.log()
    emails = served.rows(
        "SELECT count(*) FROM outbox_email WHERE to_address = 'officer@gdansk.example'"
    )
    assert emails == [(1,)]


def test_known_and_unknown_addresses_take_the_same_time_under_gunicorn(served: Served):
    browser = served.browser()
    browser.request("/account/forgot-password")
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for number in range(7):
        for kind, email in (
            ("known", "coordinator@network.example"),
            ("unknown", f"nobody{number}@network.example"),
        ):
            started = time.perf_counter()
            assert browser.request("/account/forgot-password", {"email": email}).status == 302
            times[kind].append(time.perf_counter() - started)
    known, unknown = (statistics.median(times[kind]) for kind in ("known", "unknown"))
    print(
        f"\nforgot password under gunicorn: known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms"
    )
    assert known >= 0.25 and unknown >= 0.25
    assert abs(known - unknown) < 0.05  # noise only (the test machine may be busy)
