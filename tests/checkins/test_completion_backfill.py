"""0016_after_programme: pairs completed before it take the time of the status change that
completed them from the audit log, else the time they were last changed; others take none."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa

from config import TestConfig
from tests.databases import empty_database
from tests.test_migrations import expression_index_warnings_ignored
from tracker import create_app
from tracker.db import as_utc
from tracker.extensions import db

AUDITED = datetime(2025, 9, 2, 10, 0, tzinfo=UTC)
CHANGED = datetime(2025, 11, 20, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_completed_pairs_get_their_completion_time(backend: str, tmp_path: Path):
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    with empty_database(backend, tmp_path, "completion") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0011_mail_claims")
            tables = sa.MetaData()
            with expression_index_warnings_ignored():
                tables.reflect(db.engine)
            times = {"created_at": CHANGED, "updated_at": CHANGED}
            with db.engine.begin() as connection:

                def insert(name: str, *rows: dict) -> None:
                    connection.execute(tables.tables[name].insert(), list(rows))

                insert("programme", {"id": 1, "key": "p", "name": "P", **times})
                insert(
                    "theme",
                    {
                        "id": 1,
                        "programme_id": 1,
                        "code": "A",
                        "title": "T",
                        "standard": "",
                        "summary": "",
                        **times,
                    },
                )
                insert(
                    "organisation",
                    *(
                        {
                            "id": number,
                            "name": name,
                            "country": "",
                            "kind": "city",
                            "timezone": "Europe/Warsaw",
                            "is_demo": False,
                            **times,
                        }
                        for number, name in enumerate(["Gdańsk", "Łódź", "Rīga", "München"], 1)
                    ),
                )
                pair = {"theme_id": 1, "notes": "", "is_demo": False, **times}
                insert(
                    "pair",
                    {
                        "id": 1,
                        "mentor_city_id": 1,
                        "implementing_city_id": 2,
                        "status": "completed",
                        **pair,
                    },
                    {
                        "id": 2,
                        "mentor_city_id": 1,
                        "implementing_city_id": 3,
                        "status": "completed",
                        **pair,
                    },
                    {
                        "id": 3,
                        "mentor_city_id": 1,
                        "implementing_city_id": 4,
                        "status": "active",
                        **pair,
                    },
                )
                insert(
                    "audit_entry",
                    {
                        "at": datetime(2025, 6, 1, tzinfo=UTC),
                        "action": "pair.status_changed",
                        "subject_type": "Pair",
                        "subject_id": 1,
                        "pair_id": 1,
                        "summary": "",
                        "details": {},
                    },
                    {
                        "at": AUDITED,
                        "action": "pair.status_changed",
                        "subject_type": "Pair",
                        "subject_id": 1,
                        "pair_id": 1,
                        "summary": "",
                        "details": {},
                    },
                    {
                        "at": datetime(2026, 1, 1, tzinfo=UTC),
                        "action": "pair.updated",
                        "subject_type": "Pair",
                        "subject_id": 1,
                        "pair_id": 1,
                        "summary": "",
                        "details": {},
                    },
                )
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                completed = dict(
                    connection.execute(sa.text("SELECT id, completed_at FROM pair")).all()
                )
            db.engine.dispose()
    assert as_utc(_moment(completed[1])) == AUDITED
    assert as_utc(_moment(completed[2])) == CHANGED  # no status change in the log
    assert completed[3] is None


def _moment(value: datetime | str) -> datetime:
    """SQLite hands raw SQL timestamps back as text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value
