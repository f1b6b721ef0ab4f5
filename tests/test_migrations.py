"""`flask db upgrade` on an empty database gives exactly the schema the models describe."""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from config import BASE_DIR, TestConfig
from tests.databases import empty_database
from tracker import create_app
from tracker.db import include_in_autogenerate
from tracker.extensions import db


@contextmanager
def expression_index_warnings_ignored() -> Iterator[None]:
    """SQLite's reflection skips expression indexes with a warning; we compare those by SQL."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression")
        warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified expr")
        yield


def snapshot(engine: sa.Engine) -> dict[str, Any]:
    """Everything about a schema that matters: columns, keys, indexes, constraints."""
    with expression_index_warnings_ignored():
        inspector = sa.inspect(engine)
        tables = {}
        for table in sorted(inspector.get_table_names()):
            if table == "alembic_version":
                continue
            tables[table] = {
                "columns": sorted(  # column order is not part of the schema that matters
                    (col["name"], _type(col["type"]), col["nullable"], _default(col.get("default")))
                    for col in inspector.get_columns(table)
                ),
                "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign_keys": sorted(
                    (
                        fk["name"],
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        tuple(fk["referred_columns"]),
                        (fk.get("options") or {}).get("ondelete"),
                    )
                    for fk in inspector.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (uq["name"], tuple(uq["column_names"]))
                    for uq in inspector.get_unique_constraints(table)
                ),
                "checks": sorted(
                    (ck["name"], _sql(ck["sqltext"]))
                    for ck in inspector.get_check_constraints(table)
                ),
                "indexes": sorted(
                    (ix["name"], tuple(str(c) for c in ix["column_names"]), bool(ix["unique"]))
                    for ix in inspector.get_indexes(table)
                ),
            }
    # What the inspector does not see, read from each database's catalogue.
    tables["expression indexes"] = _catalogue(
        engine,
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%CASE%'",
        "SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%CASE%'",
    )
    # The triggers that keep each plan's figures (tracker/plans/figures.py), by table.
    tables["triggers"] = _catalogue(
        engine,
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'",
        "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal",
    )
    return tables


def _catalogue(engine: sa.Engine, sqlite: str, postgresql: str) -> list[tuple[str, str]]:
    query = sqlite if engine.dialect.name == "sqlite" else postgresql
    with engine.connect() as connection:
        return sorted((name, _sql(text)) for name, text in connection.execute(sa.text(query)))


def _type(column_type: Any) -> str:
    return re.sub(r"\s+", " ", str(column_type.compile(dialect=sa.dialects.postgresql.dialect())))


def _default(value: Any) -> Any:
    return _sql(value) if value is not None else None


def _sql(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def schema_after(url: str, build) -> tuple[dict[str, Any], list[Any]]:
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        build()
        result = snapshot(db.engine)
        with db.engine.connect() as connection, expression_index_warnings_ignored():
            differences = compare_metadata(
                MigrationContext.configure(
                    connection,
                    opts={"compare_type": True, "include_object": include_in_autogenerate},
                ),
                db.metadata,
            )
        db.engine.dispose()
    return result, differences


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_from_empty_database_gives_the_models_schema(backend: str, tmp_path: Path):
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    with (
        empty_database(backend, tmp_path, "migrated") as migrated_url,
        empty_database(backend, tmp_path, "created") as created_url,
    ):
        migrated, differences = schema_after(migrated_url, flask_migrate.upgrade)
        created, _ = schema_after(created_url, lambda: db.metadata.create_all(db.engine))

    assert differences == []
    assert "pair" in migrated and "uq_pair_theme_partners" in str(migrated["expression indexes"])
    assert migrated["triggers"], "no trigger keeps the plans' figures"
    for table in sorted(set(migrated) | set(created)):
        assert migrated.get(table) == created.get(table), f"table {table} differs"


def round_world(now: Any) -> list[tuple[str, dict[str, Any]]]:
    """A theme with one factor and question, and Gdańsk's completed baseline on it, as rows."""
    return [
        (
            "programme",
            {"id": 1, "key": "p", "name": "P", "created_at": now, "updated_at": now},
        ),
        (
            "theme",
            {
                "id": 1,
                "programme_id": 1,
                "code": "A",
                "title": "T",
                "standard": "",
                "summary": "",
                "created_at": now,
                "updated_at": now,
            },
        ),
        (
            "factor",
            {
                "id": 1,
                "theme_id": 1,
                "key": "f",
                "position": 1,
                "title": "F",
                "statement": "",
                "created_at": now,
                "updated_at": now,
            },
        ),
        ("guide_question", {"id": 1, "factor_id": 1, "position": 1, "text": "Q?"}),
        (
            "context_factor",
            {
                "id": 1,
                "programme_id": 1,
                "key": "c",
                "position": 1,
                "title": "C",
                "description": "",
            },
        ),
        (
            "organisation",
            {
                "id": 1,
                "name": "Gdańsk",
                "country": "Poland",
                "kind": "city",
                "timezone": "Europe/Warsaw",
                "is_demo": False,
                "created_at": now,
                "updated_at": now,
            },
        ),
        (
            "assessment",
            {
                "id": 1,
                "city_id": 1,
                "theme_id": 1,
                "round": "baseline",
                "assessed_on": date(2026, 1, 10),
                "status": "completed",
                "version_id": 1,
                "created_at": now,
                "updated_at": now,
            },
        ),
        (
            "factor_rating",
            {
                "id": 1,
                "assessment_id": 1,
                "factor_id": 1,
                "level": 2,
                "evidence": 'The "Gdańsk model"\nworks.',
            },
        ),
        (
            "question_answer",
            {"id": 1, "assessment_id": 1, "question_id": 1, "answer": "yes", "note": ""},
        ),
        (
            "context_note",
            {
                "id": 1,
                "assessment_id": 1,
                "context_factor_id": 1,
                "effect": "limiting",
                "note": "Elections in May.",
            },
        ),
    ]


def insert_rows(rows: list[tuple[str, dict[str, Any]]]) -> None:
    tables = sa.MetaData()
    tables.reflect(db.engine, only=[table for table, _values in rows])
    with db.engine.begin() as connection:
        for table, values in rows:
            connection.execute(tables.tables[table].insert().values(**values))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_rounds_taken_before_carrying_over_existed_migrate_as_typed_in(
    backend: str, tmp_path: Path
):
    """0009_rounds: every existing level, answer and context note was typed in (not carried
    over) and every existing round started from nothing; Gdańsk's text survives as it was."""
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    now = sa.func.current_timestamp()
    with empty_database(backend, tmp_path, "rounds") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0005_action_health")
            insert_rows(round_world(now))
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                assert (
                    connection.execute(
                        sa.text("SELECT carried_from_id FROM assessment")
                    ).scalar_one()
                    is None
                )
                for table in ("factor_rating", "question_answer", "context_note"):
                    carried = connection.execute(sa.text(f"SELECT carried_over FROM {table}"))  # noqa: S608
                    assert carried.scalar_one() in (False, 0), table
                assert connection.execute(
                    sa.text("SELECT level, evidence FROM factor_rating")
                ).one() == (2, 'The "Gdańsk model"\nworks.')
            db.engine.dispose()


def test_after_migrating_sqlite_enforces_foreign_keys_again(tmp_path: Path):
    """Migrations run with SQLite's foreign keys off; the app must never get that connection
    back (cascades would silently not happen: found restoring from the bin)."""
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        for _ in range(3):  # every connection the pool hands out
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_existing_benchmarks_become_version_1_and_rounds_keep_every_rating(
    backend: str, tmp_path: Path
):
    """0014_benchmark_versions: each theme with factors or rounds gets version 1 holding its
    text as it stood, every round points at it, and no rating or answer changes."""
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    now = sa.func.current_timestamp()
    with empty_database(backend, tmp_path, "versions") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0011_mail_claims")
            examples = [
                {
                    "id": number,
                    "factor_id": 1,
                    "city_name": city,
                    "country": "Poland",
                    "title": f"Jobs desk in {city}",
                    "summary": 'A "one-stop" desk\nfor newcomers.',
                    "url": None,
                }
                for number, city in ((7, "Łódź"), (3, "Gdańsk"))
            ]
            insert_rows([*round_world(now), *(("example", row) for row in examples)])
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                version_id, theme_id, number, content = connection.execute(
                    sa.text("SELECT id, theme_id, number, content FROM benchmark_version")
                ).one()
                assert (theme_id, number) == (1, 1)
                if isinstance(content, str):  # SQLite hands JSON back as text
                    content = json.loads(content)
                (factor,) = content["factors"]
                assert (factor["id"], factor["key"], factor["title"]) == (1, "f", "F")
                assert factor["guide_questions"] == [{"text": "Q?", "kind": "scale", "id": 1}]
                assert [e["city"] for e in factor["examples"]] == ["Gdańsk", "Łódź"]
                assert (
                    connection.execute(
                        sa.text("SELECT benchmark_version_id FROM assessment")
                    ).scalar_one()
                    == version_id
                )
                assert connection.execute(
                    sa.text("SELECT id, position FROM example ORDER BY id")
                ).all() == [(3, 1), (7, 2)]
                assert connection.execute(
                    sa.text("SELECT level, evidence FROM factor_rating")
                ).one() == (2, 'The "Gdańsk model"\nworks.')
                assert (
                    connection.execute(sa.text("SELECT answer FROM question_answer")).scalar_one()
                    == "yes"
                )
            db.engine.dispose()


PAIR = "A · München → Rīga"
OLD_AUDIT = {
    1: f"Action plan of {PAIR}: Draft → Under review",
    2: "Started the final self-assessment of Gdańsk on theme A (2 Mar 2026, 14 answers carried "
    "over from the midterm round), against version 1 of the benchmark",
    3: 'Created account for Anna "Ania" Ozola (city, Gdańsk)',
    4: f"Rīga posted progress on action 'Jobs desk' of {PAIR} — 40%, on track",
    5: "Something the tracker once wrote\nover two lines",
}


def language_world(now: Any) -> list[tuple[str, dict[str, Any]]]:
    """Gdańsk, one of its people, the English audit entries above and one notification."""
    return [
        ("organisation", {**dict(round_world(now))["organisation"]}),
        (
            "user",
            {
                "id": 1,
                "email": "anna@gdansk.pl",
                "name": 'Anna "Ania" Ozola',
                "role": "city",
                "organisation_id": 1,
                "timezone": "Europe/Warsaw",
                "active": True,
                "session_version": 1,
                "is_demo": False,
                "created_at": now,
                "updated_at": now,
            },
        ),
        *(
            (
                "audit_entry",
                {
                    "id": number,
                    "at": now,
                    "action": "x.y",
                    "subject_type": "X",
                    "summary": summary,
                    "details": {},
                },
            )
            for number, summary in OLD_AUDIT.items()
        ),
        (
            "notification",
            {
                "id": 1,
                "user_id": 1,
                "kind": "plan_status",
                "subject": f"The action plan of {PAIR} is now under review",
                "body": "",
                "link": "/pairs/1/plan",
                "created_at": now,
            },
        ),
    ]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_english_audit_entries_and_notifications_become_message_ids(backend: str, tmp_path: Path):
    """0017_languages: rows written as English sentences get the message id and parameters
    they were written from (statuses, rounds and roles as codes, numbers, dates, shares);
    a row that matches no sentence keeps its words and no message id."""
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    with empty_database(backend, tmp_path, "languages") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0016_after_programme")
            with expression_index_warnings_ignored():  # audit_entry points at pair
                insert_rows(language_world(sa.func.current_timestamp()))
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                audit = {
                    row.id: (row.summary, row.msgid, _json(row.params))
                    for row in connection.execute(
                        sa.text("SELECT id, summary, msgid, params FROM audit_entry")
                    )
                }
                notification = connection.execute(
                    sa.text("SELECT subject, subject_msgid, subject_params FROM notification")
                ).one()
                language = connection.execute(sa.text('SELECT language FROM "user"')).scalar()
            db.engine.dispose()

    assert language is None  # follows the browser until the person chooses
    assert {number: summary for number, (summary, _m, _p) in audit.items()} == OLD_AUDIT
    assert audit[1][1:] == (
        "Action plan of %(pair)s: %(previous)s → %(status)s",
        {
            "pair": PAIR,
            "previous": {"enum": "PlanStatus", "value": "draft"},
            "status": {"enum": "PlanStatus", "value": "under_review"},
        },
    )
    msgid, params = audit[2][1:]
    assert msgid.startswith("Started the %(round)s self-assessment") and "%(source)s" in msgid
    assert params == {
        "round": {"enum": "AssessmentRound", "value": "final", "in_sentence": True},
        "city": "Gdańsk",
        "theme": "A",
        "date": {"date": "2026-03-02"},
        "count": 14,
        "source": {"enum": "AssessmentRound", "value": "midterm", "in_sentence": True},
        "number": 1,
    }
    assert audit[3][2] == {
        "name": 'Anna "Ania" Ozola',
        "role": {"enum": "Role", "value": "city"},
        "organisation": "Gdańsk",
    }
    assert audit[4][2]["progress"] == {"percent": 40}
    assert audit[4][2]["status"] == {
        "enum": "ActionStatus",
        "value": "on_track",
        "in_sentence": True,
    }
    assert audit[5][1:] == (None, None)
    assert (notification[1], _json(notification[2])) == (
        "The action plan of %(pair)s is now %(status)s",
        {
            "pair": PAIR,
            "status": {"enum": "PlanStatus", "value": "under_review", "in_sentence": True},
        },
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_benchmark_rows_from_before_translations_read_as_english_only(backend: str, tmp_path: Path):
    """0018_benchmark_translations: themes, factors, questions and examples there already are
    get empty translations (the catalogue is English only), their text untouched."""
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    now = sa.func.current_timestamp()
    catalogue = ("programme", "theme", "factor", "guide_question")
    with empty_database(backend, tmp_path, "translations") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0016_after_programme")
            insert_rows([row for row in round_world(now) if row[0] in catalogue])
            insert_rows(
                [
                    (
                        "example",
                        {
                            "id": 1,
                            "factor_id": 1,
                            "city_name": "Łódź",
                            "title": 'The "Łódź" desk',
                            "summary": "One desk\nfor all.",
                        },
                    )
                ]
            )
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                for table in (*catalogue[1:], "example"):
                    translations = connection.execute(
                        sa.text(f"SELECT translations FROM {table}")  # noqa: S608
                    ).scalar_one()
                    if isinstance(translations, str):  # SQLite hands JSON back as text
                        translations = json.loads(translations)
                    assert translations == {}, table
                assert connection.execute(sa.text("SELECT title, summary FROM example")).one() == (
                    'The "Łódź" desk',
                    "One desk\nfor all.",
                )
            db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_plans_there_already_get_their_figures_counted(backend: str, tmp_path: Path):
    """0022_plan_figures: each plan's actions that are not dropped are counted and their
    progress added up; from then on the triggers keep the figures."""
    if backend == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    now = sa.func.current_timestamp()
    stamps = {"created_at": now, "updated_at": now}
    cities = [
        ("organisation", {"id": number, "name": name, "kind": "city", "country": "EU", "timezone": "UTC",
                          "is_demo": False, **stamps})
        for number, name in ((2, "Rīga"), (3, "München"))
    ]  # fmt: skip
    pair = {"id": 1, "theme_id": 1, "mentor_city_id": 3, "implementing_city_id": 2,
            "status": "active", "notes": "", "is_demo": False, **stamps}  # fmt: skip
    plan = {"id": 1, "pair_id": 1, "objective": "", "status": "in_implementation",
            "status_changed_at": now, "version_id": 1, **stamps}  # fmt: skip
    actions = [
        ("action", {"id": number, "plan_id": 1, "position": number, "title": title,
                    "description": "", "owner_name": "", "partners": "", "resources": "",
                    "indicator": "", "target": "", "status": status, "progress": progress,
                    "version_id": 1, **stamps})
        for number, title, status, progress in (
            (1, 'The "Centrum" job fair', "on_track", 40),
            (2, "Mentors for Łódź", "dropped", 90),
            (3, "One desk", "done", 100),
        )
    ]  # fmt: skip
    catalogue = ("programme", "theme")
    with empty_database(backend, tmp_path, "figures") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade(revision="0021_dashboard_indexes")
            insert_rows([row for row in round_world(now) if row[0] in catalogue])
            with expression_index_warnings_ignored():  # the pair's table, reflected
                insert_rows([*cities, ("pair", pair), ("action_plan", plan), *actions])
            flask_migrate.upgrade()
            figures = sa.text(
                "SELECT actions_counted, progress_total, recommendations_taken_up FROM action_plan"
            )
            with db.engine.begin() as connection:
                assert connection.execute(figures).one() == (2, 140, 0)
                connection.execute(sa.text("UPDATE action SET status = 'on_track' WHERE id = 2"))
                assert connection.execute(figures).one() == (3, 230, 0)
            db.engine.dispose()
