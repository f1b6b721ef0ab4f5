"""Senders killed with SIGKILL, as the OOM killer or a power cut would, on SQLite and PostgreSQL:

- killed while the SMTP server takes its time, the run shows as failed on the Scheduled jobs
  page once its heartbeat has gone quiet;
- killed after the SMTP server accepted a message but before the database recorded it, the
  claim keeps other senders off until it expires; then the message goes out again with the
  same Message-ID, and the outbox says it may have been delivered twice.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Response

from tests.databases import empty_database
from tests.helpers import page_text
from tests.mail_world import (
    coordinator_client,
    environment,
    mail_settings,
    outbox_rows,
    reader,
    run,
    seed_outbox,
    start,
)
from tests.smtp import RecordingSMTPServer
from tracker.notifications.models import OutboxEmail, OutboxStatus
from tracker.scheduler import run_job

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
        ),
    ),
]
HEARTBEAT_SECONDS = 1
CLAIM_SECONDS = 8  # the killed sender's claim outlives the kill and the next sender's look
WAIT_SECONDS = 30  # a bound on every wait, far above what each takes


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path) -> Iterator[str]:
    """A migrated database with a coordinator and one email waiting."""
    with empty_database(request.param, tmp_path, "crash") as url:
        seed_outbox(url, emails=1)
        yield url


@pytest.fixture
def smtp() -> Iterator[RecordingSMTPServer]:
    server = RecordingSMTPServer()
    server.start()
    yield server
    server.stop()


def kill(process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=WAIT_SECONDS)


def outbox_job_row(app) -> str:
    """The outbox's row of the Scheduled jobs table, as text."""
    page = coordinator_client(app).get("/admin/jobs").get_data(as_text=True)
    row = next(row for row in page.split("<tr>") if "<strong>outbox</strong>" in row)
    return page_text(Response(row))


def test_a_job_killed_while_it_runs_shows_as_failed(database, smtp, tmp_path):
    arrived, release = threading.Event(), threading.Event()

    def hang(_message) -> None:  # the server takes the message and then takes its time
        arrived.set()
        release.wait(WAIT_SECONDS)

    smtp.handler.on_message = hang
    env = environment(database, smtp.port, JOB_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS)
    with (tmp_path / "sender.log").open("wb") as log:
        sender = start(["run-job", "outbox"], env, log)
        try:
            assert arrived.wait(WAIT_SECONDS), (tmp_path / "sender.log").read_text()
            time.sleep(2.5 * HEARTBEAT_SECONDS)  # a beat or two while it waits on the server
            with reader(database, JOB_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS) as app:
                assert "running" in outbox_job_row(app)
                kill(sender)
                release.set()
                time.sleep(5 * HEARTBEAT_SECONDS)  # longer than four beats of silence
                row = outbox_job_row(app)
        finally:
            kill(sender)
            release.set()
    assert "failed" in row and "stopped without finishing" in row, row


class LockOnAcceptance:
    """On the first message, takes a lock the sender's record of it will wait for, then
    accepts: the sender is stuck between the server's acceptance and its database update."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.locked = threading.Event()
        self.engine = sa.create_engine(url)
        self.connection: sa.Connection | None = None

    def __call__(self, _message) -> None:
        if self.locked.is_set():
            return
        self.connection = self.engine.connect()
        if self.engine.dialect.name == "sqlite":
            self.connection.exec_driver_sql("BEGIN IMMEDIATE")  # the one write lock
        else:
            self.connection.begin()
            self.connection.execute(sa.select(OutboxEmail.id).with_for_update())  # its row
        self.locked.set()

    def release(self) -> None:
        if self.connection is not None:
            self.connection.rollback()
            self.connection.close()
        self.engine.dispose()


def test_a_sender_killed_after_acceptance_resends_once_with_the_same_message_id(
    database, smtp, tmp_path
):
    lock = LockOnAcceptance(database)
    smtp.handler.on_message = lock
    settings = {"MAIL_TIMEOUT": 1, "MAIL_CLAIM_TIMEOUT_SECONDS": CLAIM_SECONDS}
    with (tmp_path / "sender.log").open("wb") as log:
        sender = start(["run-job", "outbox"], environment(database, smtp.port, **settings), log)
        try:
            assert lock.locked.wait(WAIT_SECONDS), (tmp_path / "sender.log").read_text()
            time.sleep(1)  # the sender has its 250 and waits to record it
            kill(sender)
        finally:
            kill(sender)
            lock.release()
    assert len(smtp.messages) == 1
    with reader(database, **mail_settings(smtp.port, **settings)) as app:
        (email,) = outbox_rows()
        assert email.status is OutboxStatus.SENDING and email.handed_over_at is not None

        # Another sender at once: the claim is still alive, so it leaves the email alone.
        assert run_job(app, "outbox").sent == 0
        assert len(smtp.messages) == 1

        expiry = email.claimed_at.timestamp() + CLAIM_SECONDS
        time.sleep(max(0.0, expiry - time.time()) + 0.5)
        assert run_job(app, "outbox").sent == 1  # the claim expired: taken over
        (email,) = outbox_rows()
        assert (email.status, email.interrupted_send, email.attempts) == (
            OutboxStatus.SENT,
            True,
            1,
        )
        client = coordinator_client(app)
        assert "may have been delivered twice" in page_text(client.get("/admin/outbox"))
        detail = page_text(client.get(f"/admin/outbox/{email.id}"))
        assert "may have been delivered twice" in detail and email.message_id in detail

    first, repeat = smtp.messages
    assert first["X-Tracker-Email"] == repeat["X-Tracker-Email"] == "test:0"
    message_ids = {str(message["Message-ID"]).strip() for message in (first, repeat)}
    assert message_ids == {email.message_id}
    assert email.message_id.endswith("@tracker.test>")


def test_nothing_goes_out_twice_without_a_crash(database, smtp):
    env = environment(database, smtp.port)
    assert "1 sent" in run(["run-job", "outbox"], env)
    assert "0 sent" in run(["run-job", "outbox"], env)
    with reader(database):
        (email,) = outbox_rows()
        assert (email.status, email.interrupted_send) == (OutboxStatus.SENT, False)
    assert len(smtp.messages) == 1
