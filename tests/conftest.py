"""Shared fixtures: one app and schema per database backend, each test in a rolled-back transaction.

Every test that uses the database runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL
is set (CI sets it). The bundled catalogue is loaded once per session; everything else a test
needs it makes with the factories below, inside its own transaction.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from config import BASE_DIR, TestConfig
from tests.databases import session_in_transaction
from tests.factories import Factories, build_scheme
from tests.signing_in import open_session, sign_in_client
from tracker import create_app
from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.catalogue.loader import bundled_files, load_files
from tracker.extensions import db, limiter

TRANSLATIONS = BASE_DIR / "tracker" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile each language's catalogue when its .mo is missing or older than its .po, as
    `make translations` does, so a bare `pytest` runs in every language too."""
    for source in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        compiled = source.with_suffix(".mo")
        if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as po:
            catalogue = read_po(po)
        with compiled.open("wb") as mo:
            write_mo(mo, catalogue)


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "postgresql":
        return os.environ["TEST_DATABASE_URL"]
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class IsolatedClient(FlaskClient):
    """A test client whose requests get their own app context, as in production.

    The test body runs inside an app context (for the factories); without this, Flask would
    reuse it for every request, sharing `g` (the signed-in user, the CSRF token) and the
    database session between requests and the test.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session", params=BACKENDS)
def app(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    compiled_translations: None,
) -> Iterator[Flask]:
    url = database_url(request.param, tmp_path_factory)
    application = create_app(
        TestConfig,
        {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads"))},
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        reset_schema(url)
        db.metadata.create_all(db.engine)
        load_files(bundled_files())
        # Tests count the audit entries they cause; the catalogue's first versions are not theirs.
        db.session.execute(sa.delete(AuditEntry))
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


def reset_schema(url: str) -> None:
    """Start from an empty database (PostgreSQL's test database outlives the run)."""
    if url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")


@pytest.fixture
def session(app: Flask) -> Iterator[Any]:
    """Run the test in a transaction that is rolled back afterwards, whatever the code commits."""
    with app.app_context(), session_in_transaction():
        yield db.session


@pytest.fixture
def make(session: Any) -> Factories:
    """Factories for test data: make.city(), make.user(...), make.pair(...)."""
    return Factories(session)


@pytest.fixture
def client(app: Flask, session: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login_as(client: FlaskClient):
    """Sign the test client in as a user: a new session row, its token in the cookie."""

    def sign_in(user: User) -> FlaskClient:
        return sign_in_client(client, open_session(user))

    return sign_in


TODAY = date(2026, 3, 2)


@pytest.fixture
def today():
    with freeze_time("2026-03-02 10:00:00"):
        yield TODAY


@pytest.fixture
def scheme(make, today):
    """A pair on theme B (facilitated by MigrationWork) with everyone around it, on a frozen day."""
    return build_scheme(make)


@pytest.fixture(autouse=True)
def no_rate_limits():
    """Tests sign in as often as they like; the limits' own tests switch them on. (The limiter
    is one object for every app in the process, so the switch is here, not in the config.)"""
    limiter.enabled = False
    yield
    limiter.enabled = False


@pytest.fixture(autouse=True)
def no_network_mail(monkeypatch):
    """Mail may only go to a test SMTP server on this machine, never out to the network."""
    import smtplib

    connect = smtplib.SMTP.connect

    def loopback_only(self, host="localhost", port=0, source_address=None):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise RuntimeError(f"tests may not send mail to {host}")
        return connect(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", loopback_only)


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on 127.0.0.1 (aiosmtpd), with the app configured to use it."""
    from tests.smtp import RecordingSMTPServer

    server = RecordingSMTPServer()
    server.start()
    for name, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
    }.items():
        monkeypatch.setitem(app.config, name, value)
    yield server
    server.stop()
