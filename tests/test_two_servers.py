"""Two web servers, as behind a load balancer: each in its own working directory with its own
upload folder, both on one PostgreSQL with STORAGE=database. Whatever one server was given,
the other serves: a file, a signed-in session, and its end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.databases import empty_database
from tests.servers import Browser, Server
from tests.test_durability import PASSWORD, Scheme, connected, seed

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)
PDF = b"%PDF-1.4\n" + "Protokół – Łódź, Rīga".encode() * 2000 + b"\n%%EOF\n"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[Scheme, Server, Server]]:
    with empty_database("postgresql", tmp_path, "two_servers") as url, ExitStack() as stack:
        scheme = seed("postgresql", url, tmp_path)
        started = []
        for name in ("one", "two"):
            workdir = tmp_path / name
            workdir.mkdir()
            settings = {"STORAGE": "database", "UPLOAD_DIR": str(workdir / "uploads")}
            server = Server(url, tmp_path / f"{name}.log", 1, settings, workdir)
            started.append(stack.enter_context(server))
        yield scheme, *started


def on(server: Server, browser: Browser) -> Browser:
    """The same browser (cookies, CSRF token) sent to another server, as a balancer would."""
    browser.base_url = server.base_url
    return browser


def test_what_one_server_was_given_the_other_serves(servers):
    scheme, one, two = servers
    browser = Browser(one.base_url)
    browser.sign_in(scheme.emails[0], PASSWORD)
    action_id = scheme.action_ids[0]
    saved = browser.upload(
        f"/actions/{action_id}",
        {"status": "on_track", "progress": "40", "note": "Minutes attached"},
        {"files": ("Protokół z targów.pdf", PDF)},
    )
    assert saved.status == 302, saved.body[:500]
    with connected(scheme.url) as connection:
        attachment_id = connection.execute(
            sa.text("SELECT id FROM attachment ORDER BY id DESC LIMIT 1")
        ).scalar_one()

    assert on(two, browser).download(f"/attachments/{attachment_id}") == (200, PDF)
    assert not (Path(two.workdir) / "uploads").exists()
    assert not (Path(one.workdir) / "uploads").exists()

    assert on(one, browser).request("/sign-out", {}).status == 302
    after = on(two, browser).request("/")
    assert after.status == 302 and "/sign-in" in after.location
