"""0012_programme_setup on a database in use: its programmes keep everything and take the
network's colours, its pairs keep their deliverables, and templates can be added."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa

from config import TestConfig
from tests.databases import empty_database
from tests.test_migrations import expression_index_warnings_ignored
from tracker import create_app
from tracker.extensions import db


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_existing_database_upgrades_with_its_programmes_and_deliverables(
    backend: str, tmp_path: Path
):
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    now = sa.func.current_timestamp()
    stamps = {"created_at": now, "updated_at": now}
    rows = [
        (
            "programme",
            {
                "id": 1,
                "key": "cities-grow",
                "name": 'CITIES "GROW"',
                "period_start": date(2024, 1, 1),
                "period_end": date(2025, 12, 31),
                "funder": "AMIF",
                **stamps,
            },
        ),
        (
            "theme",
            {
                "id": 1,
                "programme_id": 1,
                "code": "B",
                "title": "Work",
                "standard": "",
                "summary": "",
                **stamps,
            },
        ),
        *(
            (
                "organisation",
                {
                    "id": number,
                    "name": name,
                    "country": "Poland",
                    "kind": "city",
                    "timezone": "Europe/Warsaw",
                    "is_demo": False,
                    **stamps,
                },
            )
            for number, name in ((1, "Gdańsk"), (2, "Łódź"))
        ),
        (
            "pair",
            {
                "id": 1,
                "theme_id": 1,
                "mentor_city_id": 1,
                "implementing_city_id": 2,
                "status": "active",
                "starts_on": date(2024, 3, 1),
                "notes": "",
                "is_demo": False,
                **stamps,
            },
        ),
        (
            "deliverable",
            {
                "id": 1,
                "programme_id": 1,
                "theme_id": 1,
                "pair_id": 1,
                "kind": "action_plan",
                "title": "Local action plan of Łódź",
                "description": "",
                "responsible_organisation_id": 2,
                "due_on": date(2024, 9, 1),
                "status": "planned",
                "review_note": "",
                "is_demo": False,
                "version_id": 1,
                **stamps,
            },
        ),
    ]
    with empty_database(backend, tmp_path, "setup") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0011_mail_claims")
            tables = sa.MetaData()
            with expression_index_warnings_ignored():
                tables.reflect(db.engine, only=[table for table, _values in rows])
            with db.engine.begin() as connection:
                for table, values in rows:
                    connection.execute(tables.tables[table].insert().values(**values))
            flask_migrate.upgrade()
            with db.engine.begin() as connection:
                programme = connection.execute(
                    sa.text(
                        "SELECT name, funder, period_end, primary_colour, accent_colour, "
                        "highlight_colour FROM programme"
                    )
                ).one()
                # SQLite gives dates back as text to a plain SQL query
                assert [str(value) for value in programme] == [
                    'CITIES "GROW"',
                    "AMIF",
                    "2025-12-31",
                    "None",
                    "None",
                    "None",
                ]
                deliverable = connection.execute(
                    sa.text("SELECT title, due_on, pair_id, template_id FROM deliverable")
                ).one()
                assert [str(value) for value in deliverable] == [
                    "Local action plan of Łódź",
                    "2024-09-01",
                    "1",
                    "None",  # registered by hand
                ]
                connection.execute(
                    sa.text(
                        "INSERT INTO deliverable_template (programme_id, kind, title, description, "
                        "months_after_start, responsible, created_at, updated_at) VALUES "
                        "(1, 'infographic', 'Infographic', '', 12, 'implementing_city', "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    )
                )
                with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
                    connection.execute(
                        sa.text("UPDATE deliverable_template SET months_after_start = 0")
                    )
            db.engine.dispose()
