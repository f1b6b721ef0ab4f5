"""A database with emails waiting in the outbox, and the tracker's own processes to send them
(`flask tracker run-job outbox`, `flask tracker scheduler`), for tests that kill or race senders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import flask_migrate
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from config import BASE_DIR, TestConfig
from tests.signing_in import open_session, sign_in_client
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.extensions import db
from tracker.notifications.models import OutboxEmail
from tracker.organisations.models import Organisation, OrganisationKind

COORDINATOR = "coordinator@network.test"
RECIPIENT = "officer@riga.test"
PUBLIC_BASE_URL = "http://tracker.test"
COMMAND_SECONDS = 60


def seed_outbox(url: str, emails: int) -> None:
    """Migrate an empty database; add a coordinator, an officer and `emails` emails to them."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        network = Organisation(name="Network", kind=OrganisationKind.NETWORK)
        riga = Organisation(name="Riga", kind=OrganisationKind.CITY, country="Latvia")
        coordinator = User(
            email=COORDINATOR, name="Claire", role=Role.COORDINATOR, organisation=network
        )
        officer = User(email=RECIPIENT, name="Anna", role=Role.CITY, organisation=riga)
        db.session.add_all([coordinator, officer])
        db.session.flush()
        db.session.add_all(
            OutboxEmail(
                key=f"test:{number}",
                user_id=officer.id,
                to_address=RECIPIENT,
                subject=f"Update {number}",
                text_body=f"Update {number}",
                html_body=f"<p>Update {number}</p>",
            )
            for number in range(emails)
        )
        db.session.commit()
        db.engine.dispose()


def mail_settings(smtp_port: int, **settings: object) -> dict[str, object]:
    """Settings of a tracker that mails the test SMTP server."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_USE_TLS": False,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        **settings,
    }


def environment(url: str, smtp_port: int, **settings: object) -> dict[str, str]:
    """The environment of a tracker process on the database, mailing the test SMTP server."""
    given = mail_settings(smtp_port, **settings)
    return {
        **os.environ,
        "TRACKER_ENV": "development",
        "DATABASE_URL": url,
        **{
            name: str(int(value) if isinstance(value, bool) else value)
            for name, value in given.items()
        },
    }


def start(command: list[str], env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start `flask tracker <command>` as its own process."""
    return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", "tracker", *command],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def run(command: list[str], env: dict[str, str]) -> str:
    """Run `flask tracker <command>` to its end and return what it printed."""
    finished = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", "tracker", *command],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


@contextmanager
def reader(url: str, **settings: object) -> Iterator[Flask]:
    """An app on the database, for reading it and its pages, inside an app context."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, **settings})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def coordinator_client(app: Flask) -> FlaskClient:
    """A test client signed in as the seeded coordinator (its session row committed: the
    client's requests read it in sessions of their own)."""
    user = db.session.execute(sa.select(User).where(User.email == COORDINATOR)).scalar_one()
    token = open_session(user)
    db.session.commit()
    return sign_in_client(app.test_client(), token)


def outbox_rows() -> list[OutboxEmail]:
    """The outbox as it is now, detached: reading the rows later opens no transaction (on
    SQLite, one that holds the write lock the tracker's processes need)."""
    db.session.rollback()
    rows = list(db.session.execute(sa.select(OutboxEmail).order_by(OutboxEmail.id)).scalars())
    db.session.expunge_all()
    db.session.rollback()
    return rows
