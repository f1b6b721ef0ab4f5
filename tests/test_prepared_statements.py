"""On PostgreSQL a request that only read keeps the statements psycopg prepared: it ends with
a commit that changes nothing instead of the rollback that made psycopg forget them. A
transaction that wrote anything is still rolled back at the end, whoever wrote."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig
from tests.databases import empty_database
from tracker import create_app
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind

NEEDS_POSTGRESQL = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL is not set"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=NEEDS_POSTGRESQL)]


@pytest.fixture
def app_on(tmp_path: Path):
    """An app on a new database of the backend, with Gdańsk in it (committed)."""
    with ExitStack() as opened:

        def make(backend: str):
            url = opened.enter_context(empty_database(backend, tmp_path, "prepared"))
            app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
            with app.app_context():
                db.metadata.create_all(db.engine)
                db.session.add(
                    Organisation(name="Gdańsk", kind=OrganisationKind.CITY, country="PL")
                )
                db.session.commit()
            opened.callback(dispose_engine, app)  # before the database is dropped
            return app

        yield make


def dispose_engine(app) -> None:
    with app.app_context():
        db.engine.dispose()


def name_of_the_city(app) -> str:
    with app.app_context():
        return db.session.execute(sa.select(Organisation.name)).scalar_one()


@NEEDS_POSTGRESQL
def test_statements_stay_prepared_from_one_read_only_request_to_the_next(app_on):
    app = app_on("postgresql")
    for _ in range(8):  # psycopg prepares a statement at its fifth execution
        assert name_of_the_city(app) == "Gdańsk"
    with app.app_context():
        prepared = db.session.execute(
            sa.text("SELECT count(*) FROM pg_prepared_statements")
        ).scalar_one()
    assert prepared >= 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_flush_nobody_committed_is_rolled_back_at_the_end(app_on, backend):
    app = app_on(backend)
    with app.app_context():
        db.session.execute(sa.select(Organisation)).scalar_one().name = "Rīga"
        db.session.flush()
    assert name_of_the_city(app) == "Gdańsk"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_core_update_the_session_does_not_track_is_rolled_back_at_the_end(app_on, backend):
    """The session has nothing new, dirty or deleted: only the database knows it was written."""
    app = app_on(backend)
    with app.app_context():
        db.session.execute(sa.update(Organisation).values(name="Łódź"))
        assert not (db.session.new or db.session.dirty or db.session.deleted)
    assert name_of_the_city(app) == "Gdańsk"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_request_that_failed_after_writing_is_rolled_back(app_on, backend):
    app = app_on(backend)
    with pytest.raises(RuntimeError), app.app_context():
        db.session.execute(sa.update(Organisation).values(name="München"))
        raise RuntimeError("the view failed")
    assert name_of_the_city(app) == "Gdańsk"
