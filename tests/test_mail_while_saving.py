"""On SQLite, people save while the scheduler sends mail: 8 officers post progress over HTTP to
gunicorn while `flask tracker run-job outbox` sends 500 emails to a real SMTP server, and not
one save fails.

What it proves: the sender holds no database transaction while the mail server talks. Each
time the server has a message and has not answered yet, it takes SQLite's write lock itself
(waiting at most 10 s); a sender holding a transaction across the SMTP exchange would hold that
lock and every probe would fail. Every 250th message the server also takes 3.5 s to answer, longer
than the web workers wait for the lock (SQLITE_BUSY_TIMEOUT_MS=3000 here): a save during such an
answer would fail with "database is locked" if the sender held the lock. The other messages are
answered at once, so the 500 take well under a minute instead of the 500 s of a server that
takes 1 s for every message.
"""

from __future__ import annotations

import importlib.util
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing

import pytest
import sqlalchemy as sa

from config import TestConfig
from tests.databases import empty_database
from tests.mail_world import environment, start
from tests.servers import Browser, Server
from tests.smtp import RecordingSMTPServer
from tests.test_durability import Post, Scheme, new_post, seed
from tracker import create_app
from tracker.auth.models import User
from tracker.extensions import db
from tracker.mail import queue_notification_emails
from tracker.notifications.models import Notification, OutboxStatus

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gunicorn") is None or sys.platform != "linux",
    reason="needs gunicorn, and Linux /proc to check that its processes are gone",
)
EMAILS = 500
WRITERS = 8
SLOW_EVERY, SLOW_SECONDS = 250, 3.5
WEB_BUSY_TIMEOUT_MS = 3000
# A sender holding the lock across the SMTP exchange would hold it for as long as the probe
# waits (the probe runs inside that exchange), so any wait proves it; a generous one keeps the
# eight writers' own short transactions, on a busy machine, from being mistaken for it.
PROBE_SECONDS = 10
SENDING_SECONDS = 150  # a bound, far above the ~40 s it takes


def queue_emails(url: str, scheme: Scheme) -> None:
    """500 notifications to the officers, each with its email waiting (written when sent)."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        officers = list(
            db.session.execute(sa.select(User).where(User.email.in_(scheme.emails))).scalars()
        )
        notifications = [
            Notification(
                user_id=officers[number % len(officers)].id,
                kind="comment",
                key=f"load:{number}",
                subject=f"A comment on the plan, number {number}",
                link=f"/actions/{scheme.action_ids[0]}",
            )
            for number in range(EMAILS)
        ]
        db.session.add_all(notifications)
        db.session.flush()
        queue_notification_emails([(n, n.user) for n in notifications])
        db.session.commit()
        db.engine.dispose()


class LockProbe:
    """Run by the SMTP server while the sender waits for its answer: can anyone else write?"""

    def __init__(self, path: str) -> None:
        self.path = path
        self.messages = 0
        self.refused: list[str] = []

    def __call__(self, _message) -> None:
        self.messages += 1
        if len(self.refused) < 3:  # enough to tell; a failing run should end soon too
            self.try_to_write()
        if self.messages % SLOW_EVERY == 0:
            time.sleep(SLOW_SECONDS)  # a slow answer; this server has one connection to serve

    def try_to_write(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=PROBE_SECONDS)) as connection:
            connection.isolation_level = None
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
            except sqlite3.OperationalError as error:
                self.refused.append(f"message {self.messages}: {error}")


class Officer(threading.Thread):
    """Posts progress back to back until told to stop."""

    def __init__(self, number: int, browser: Browser, scheme: Scheme, stop: threading.Event):
        super().__init__(name=f"officer-{number}", daemon=True)
        self.number, self.browser, self.scheme, self.stop = number, browser, scheme, stop
        self.posts: list[Post] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        rng = random.Random(self.number)
        try:
            while not self.stop.is_set():
                action = self.scheme.action_ids[len(self.posts) % len(self.scheme.action_ids)]
                post = new_post(rng, action, f"officer {self.number} post {len(self.posts)}")
                self.posts.append(post)
                post.send(self.browser)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error


@pytest.fixture
def scheme(tmp_path) -> Iterator[Scheme]:
    with empty_database("sqlite", tmp_path, "saving") as url:
        scheme = seed("sqlite", url, tmp_path)
        queue_emails(url, scheme)
        yield scheme


def test_saves_never_fail_while_the_scheduler_sends_mail(scheme, tmp_path, monkeypatch):
    path = sa.engine.make_url(scheme.url).database
    probe = LockProbe(path)
    smtp = RecordingSMTPServer()
    smtp.handler.on_message = probe
    smtp.start()
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_MS", str(WEB_BUSY_TIMEOUT_MS))
    stop = threading.Event()
    sender_log = tmp_path / "sender.log"
    try:
        with Server(scheme.url, tmp_path / "gunicorn.log", workers=3) as server:
            officers = [
                Officer(number, scheme.browser(server, email), scheme, stop)
                for number, email in enumerate(scheme.emails[:WRITERS])
            ]
            for officer in officers:
                officer.start()
            started = time.monotonic()
            with sender_log.open("wb") as log:
                sender = start(["run-job", "outbox"], environment(scheme.url, smtp.port), log)
                try:
                    sender.wait(timeout=SENDING_SECONDS)
                except subprocess.TimeoutExpired:
                    sender.kill()
                    sender.wait()
            sending = time.monotonic() - started
            stop.set()
            for officer in officers:
                officer.join(timeout=60)
            web_log = server.log()
    finally:
        stop.set()
        smtp.stop()

    assert [o.error for o in officers if o.error] == [] and not any(o.is_alive() for o in officers)
    posts = [post for officer in officers for post in officer.posts]
    failed = [(post.note, post.outcome) for post in posts if not post.acknowledged]
    print(f"{len(posts)} saves in {sending:.1f} s of sending {EMAILS} emails; {len(failed)} failed")
    assert probe.refused == []
    assert failed == [], failed[:10]
    assert "database is locked" not in web_log + sender_log.read_text()
    assert sender.returncode == 0, sender_log.read_text()
    assert len(posts) >= WRITERS * 10  # the saves really happened while it sent
    with closing(sqlite3.connect(path)) as connection:
        load = list(
            connection.execute(
                "SELECT o.key, o.status FROM outbox_email o "
                "JOIN notification n ON n.id = o.notification_id WHERE n.key LIKE 'load:%'"
            )
        )
    assert len(load) == EMAILS and {status for _key, status in load} == {OutboxStatus.SENT.value}
    delivered = [message["X-Tracker-Email"] for message in smtp.messages]
    assert sorted(key for key in delivered if key in dict(load)) == sorted(dict(load))
    assert len(delivered) == len(set(delivered)) == probe.messages
