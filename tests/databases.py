"""Test databases: throw-away ones for tests that need real commits (migrations, several
processes), and a session bound to one transaction that is rolled back whatever the code commits."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from tracker.extensions import db


@contextmanager
def empty_database(backend: str, tmp_path: Path, label: str) -> Iterator[str]:
    """A URL to a new, empty database of the backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / label}.sqlite"
        return
    base = sa.engine.make_url(os.environ["TEST_DATABASE_URL"])
    name = f"tracker_{label}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def session_in_transaction() -> Iterator[sa.Connection]:
    """Point db.session at one connection's transaction (the code's commits become savepoints)
    and roll it back at the end; needs an app context. Yields the connection."""
    connection = db.engine.connect()
    transaction = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_app_ctx_id,
    )
    try:
        yield connection
    finally:
        db.session.remove()
        db.session = original
        transaction.rollback()
        connection.close()


def wait_for_lock_waiters(engine: sa.Engine, count: int, seconds: float = 30) -> None:
    """Until `count` sessions of the engine's PostgreSQL database wait for a lock."""
    deadline = time.monotonic() + seconds
    with engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            if waiting >= count:
                return
            watcher.rollback()
            time.sleep(0.05)
    raise AssertionError(f"{count} sessions never waited for a lock together")
