"""`flask tracker backup` and `flask tracker restore`: a full demo database comes back row for row.

These tests commit for real, so they build their own databases (tests/databases.py) instead of
using the shared rolled-back `session`: a source database with the catalogue, the demo, uploaded
files and a row in every table, backed up once per backend; each test restores that archive into
a new, empty database.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask

from config import TestConfig
from tests.databases import empty_database
from tracker import create_app
from tracker.assessments.models import (
    Answer,
    Assessment,
    ContextEffect,
    ContextNote,
    QuestionAnswer,
)
from tracker.auth.models import Role, User
from tracker.auth.sessions import start_session
from tracker.backup.revisions import has_no_tables, head_revision
from tracker.backup.snapshot import row_tables
from tracker.benchmarks.models import BenchmarkDraft
from tracker.bin.service import move_to_bin
from tracker.catalogue.loader import bundled_files, load_files
from tracker.catalogue.models import ContextFactor, Factor, GuideQuestion, Programme
from tracker.checkins.models import ActionOutcome, CheckIn, CheckInAction
from tracker.deliverables.models import Deliverable, DeliverableFile
from tracker.deliverables.service import add_file, add_link
from tracker.demo import seed_demo
from tracker.extensions import db
from tracker.files.service import Upload, attach
from tracker.files.store import file_store
from tracker.notifications.models import EmailOptOut
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair
from tracker.plans.deletions import comment_deletion, withdraw_progress
from tracker.plans.models import Action, PlanComment, ProgressUpdate
from tracker.scheduler import run_job
from tracker.sharing.models import PeerReading
from tracker.visits.models import Visit

NEEDS_POSTGRESQL = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="TEST_DATABASE_URL is not set (a PostgreSQL server to create throw-away databases on)",
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=NEEDS_POSTGRESQL)]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Source:
    """The backed-up database: what every restore must give back."""

    backend: str
    archive: Path
    rows: dict[str, list[tuple[Any, ...]]]
    uploads: dict[str, bytes]


def tracker_app(url: str, upload_dir: Path, storage: str = "local") -> Flask:
    settings = {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(upload_dir), "STORAGE": storage}
    return create_app(TestConfig, settings)


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["tracker", *args])


def all_rows(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, all columns, in primary-key order, as the models read them
    (files kept in the database are compared as files)."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in row_tables()
        }


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def build_demo_database(app: Flask) -> None:
    """The catalogue, the demo, the reminder jobs' output, uploaded files, and the rest."""
    with app.app_context():
        flask_migrate.upgrade()
        load_files(bundled_files())
        seed_demo()
        upload_files()
        fill_the_tables_the_demo_leaves_empty()
        db.session.commit()
    for job_id in ("reminders", "weekly-digest"):  # notifications, outbox emails, job runs
        assert not run_job(app, job_id, "test").error


def upload_files() -> None:
    coordinator = first(User, User.role == Role.COORDINATOR)
    plan, toolkit = db.session.execute(sa.select(Deliverable).order_by(Deliverable.id).limit(2))
    original = add_file(coordinator, plan[0], "plan.pdf", PDF + b"% first version\n")
    add_file(coordinator, plan[0], "plan.pdf", PDF + b"% second version\n", original.id)
    later = add_file(coordinator, toolkit[0], "toolkit.pdf", PDF + b"% toolkit\n")
    # A link to a row with a higher id, which inserting the rows in id order would refuse.
    original.replaces_id = later.id
    add_link(coordinator, plan[0], "https://example.org/video", "Video of the plan")


def fill_the_tables_the_demo_leaves_empty() -> None:
    assessment, user, visit = first(Assessment), first(User), first(Visit)
    context_factor, question, factor = first(ContextFactor), first(GuideQuestion), first(Factor)
    db.session.add_all(
        [
            EmailOptOut(user_id=user.id, kind="visit_soon"),
            ContextNote(
                assessment=assessment,
                context_factor=context_factor,
                effect=ContextEffect.LIMITING,
                note="Übergangsfrist – 20 € ✓",
            ),
            QuestionAnswer(assessment=assessment, question=question, answer=Answer.NO),
        ]
    )
    visit.focus_factors.append(factor)
    # A draft of the next version of a benchmark, its JSON with names from several scripts.
    draft = {"factors": [{"key": "łódź", "title": "Rīga's „draft“", "statement": "שלום"}]}
    db.session.add(BenchmarkDraft(theme_id=factor.theme_id, based_on=1, content=draft))
    # A progress update withdrawn, and a comment in the bin (its row kept as JSON).
    withdraw_progress(user, first(ProgressUpdate), "Posted on the wrong action")
    attach(user, [Upload("Protokół.pdf", PDF + b"% minutes\n")], first(ProgressUpdate))
    comment = first(PlanComment)
    mistake = PlanComment(plan_id=comment.plan_id, author_id=user.id, body="Sent too early")
    db.session.add(mistake)
    db.session.flush()
    move_to_bin(user, comment_deletion(mistake))
    start_session(user, remember=True, address="192.0.2.7", browser="Firefox on Rīga's laptop")
    # A check-in answered after the programme, and a programme sharing its pairs' work.
    pair = first(Pair)
    db.session.add_all(
        [
            CheckIn(
                pair_id=pair.id,
                months=6,
                completed_on=date(2025, 9, 2),
                plan_still_endorsed=False,
                what_changed="Der Stadtrat hat „Gdańsk“ eingeladen",
                answered_by_id=user.id,
                actions=[
                    CheckInAction(
                        action_id=first(Action).id,
                        position=1,
                        title="Łódź desk",
                        outcome=ActionOutcome.STOPPED,
                        note="Budget moved\nto 2027",
                    )
                ],
            ),
            PeerReading(programme_id=first(Programme).id, turned_on_by_id=user.id),
        ]
    )


def first(model: type, *where: Any) -> Any:
    return db.session.execute(sa.select(model).where(*where).limit(1)).scalar_one()


@pytest.fixture(scope="module", params=BACKENDS)
def source(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Source]:
    backend = request.param
    folder = tmp_path_factory.mktemp(f"source-{backend}")
    with empty_database(backend, folder, "backup_source") as url:
        app = tracker_app(url, folder / "uploads")
        build_demo_database(app)
        archive = folder / "backup.tar.gz"
        with app.app_context():
            result = run(app, "backup", "--output", str(archive))
            assert result.exit_code == 0, result.output
            assert f"Wrote {archive}" in result.output
            rows = all_rows(db.engine)
            db.engine.dispose()
        yield Source(backend, archive, rows, files_under(folder / "uploads"))


@contextmanager
def fresh_app(
    backend: str, tmp_path: Path, label: str = "restored", storage: str = "local"
) -> Iterator[Flask]:
    """An app on a new, empty database (and upload folder), inside its app context."""
    with empty_database(backend, tmp_path, label) as url:
        app = tracker_app(url, tmp_path / f"{label}-uploads", storage)
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def assert_new_rows_get_new_ids() -> None:
    """After a restore, the database hands out ids above the restored ones (PostgreSQL's
    sequences are not moved by inserts that give the id)."""
    highest = db.session.execute(sa.select(sa.func.max(Organisation.id))).scalar_one()
    city = Organisation(name="Backup Test City", kind=OrganisationKind.CITY, country="Belgium")
    db.session.add(city)
    db.session.commit()
    assert city.id == highest + 1


def previous_revision(app: Flask) -> str:
    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(head_revision()).down_revision


def rewritten(
    archive: Path,
    target: Path,
    manifest_changes: dict[str, Any] | None = None,
    extra: tarfile.TarInfo | None = None,
) -> Path:
    """A copy of the archive with its manifest changed or a member added."""
    with tarfile.open(archive) as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            payload = original.extractfile(member).read()
            if member.name == "manifest.json" and manifest_changes:
                payload = json.dumps(json.loads(payload) | manifest_changes).encode()
                member.size = len(payload)
            copy.addfile(member, io.BytesIO(payload))
        if extra is not None:
            copy.addfile(extra, io.BytesIO(b"escaped") if extra.isfile() else None)
    return target


def test_the_archive_holds_a_manifest_every_row_and_the_uploaded_files(source, tmp_path):
    assert [name for name, rows in source.rows.items() if not rows] == [], (
        "give these tables a row in build_demo_database(), so the round trip covers them"
    )
    replaces = DeliverableFile.__table__.columns.keys().index("replaces_id")
    assert any((row[replaces] or 0) > row[0] for row in source.rows["deliverable_file"])
    with tarfile.open(source.archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        if source.backend == "sqlite":
            tar.extract("database.sqlite", tmp_path, filter="data")
    with tracker_app("sqlite://", tmp_path).app_context():
        assert manifest["alembic_revision"] == head_revision()
    assert manifest["backend"] == source.backend
    assert datetime.fromisoformat(manifest["created_at"]).utcoffset() is not None
    assert manifest["tables"] == {name: len(rows) for name, rows in source.rows.items()}
    assert (
        manifest["uploads"] == len(source.uploads) == 4
    )  # three versions of deliverable files and an attachment
    assert sorted(name for name in names if name.startswith("uploads/")) == sorted(
        f"uploads/{name}" for name in source.uploads
    )
    assert oct(source.archive.stat().st_mode & 0o777) == oct(0o600)
    if source.backend == "sqlite":
        copy = tmp_path / "database.sqlite"
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        engine = sa.create_engine(f"sqlite:///{copy}", poolclass=sa.pool.NullPool)
        assert all_rows(engine) == source.rows
        engine.dispose()
    else:
        assert "database.sqlite" not in names  # pg_dump is the PostgreSQL database copy


def test_restore_into_an_empty_database_gives_back_every_row_and_file(source, tmp_path):
    with fresh_app(source.backend, tmp_path) as app:
        result = run(app, "restore", str(source.archive))
        assert result.exit_code == 0, result.output
        assert "the migrations were run first" in result.output
        assert f"Restored {sum(map(len, source.rows.values()))} rows" in result.output

        assert all_rows(db.engine) == source.rows
        assert files_under(Path(app.config["UPLOAD_DIR"])) == source.uploads
        assert_new_rows_get_new_ids()


def test_restore_refuses_a_database_holding_data_unless_told_to_replace_it(source, tmp_path):
    with fresh_app(source.backend, tmp_path) as app:
        assert run(app, "restore", str(source.archive)).exit_code == 0
        uploads = Path(app.config["UPLOAD_DIR"])
        db.session.add(
            Organisation(name="Backup Test City", kind=OrganisationKind.CITY, country="Belgium")
        )
        db.session.execute(sa.delete(EmailOptOut))
        db.session.execute(sa.update(Deliverable).values(title="Changed since the backup"))
        stored = db.session.execute(sa.select(DeliverableFile.stored_name)).scalars().first()
        db.session.commit()
        (uploads / stored[:2] / stored).write_bytes(b"changed since the backup")
        changed_rows, changed_files = all_rows(db.engine), files_under(uploads)

        refused = run(app, "restore", str(source.archive))
        assert refused.exit_code == 1
        assert "already holds data" in refused.output and "--replace" in refused.output
        assert all_rows(db.engine) == changed_rows
        assert files_under(uploads) == changed_files

        replaced = run(app, "restore", "--replace", str(source.archive))
        assert replaced.exit_code == 0, replaced.output
        assert "deleted first" in replaced.output
        assert all_rows(db.engine) == source.rows
        assert files_under(uploads) == source.uploads
        assert_new_rows_get_new_ids()


def test_restore_refuses_an_archive_made_at_another_revision(source, tmp_path):
    with fresh_app(source.backend, tmp_path) as app:
        older = previous_revision(app)
        archive = rewritten(
            source.archive, tmp_path / "older.tar.gz", manifest_changes={"alembic_revision": older}
        )
        result = run(app, "restore", str(archive))
        assert result.exit_code == 1
        assert f"at revision {older}" in result.output and "Nothing was changed" in result.output
        assert has_no_tables(db.engine)  # not even migrated
        assert not Path(app.config["UPLOAD_DIR"]).exists()


def test_restore_refuses_a_database_at_another_revision(source, tmp_path):
    with fresh_app(source.backend, tmp_path) as app:
        older = previous_revision(app)
        flask_migrate.upgrade(revision=older)
        result = run(app, "restore", str(source.archive))
        assert result.exit_code == 1
        assert f"The database is at revision {older}" in result.output
        with db.engine.connect() as connection:
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert revision.scalar_one() == older
            for name in sa.inspect(connection).get_table_names():
                if name != "alembic_version":
                    count = sa.select(sa.func.count()).select_from(sa.table(name))
                    assert connection.execute(count).scalar_one() == 0, name


def escaping_member(kind: str, tmp_path: Path) -> tarfile.TarInfo:
    if kind == "link":
        member = tarfile.TarInfo("uploads/ab/escaped.txt")
        member.type, member.linkname = tarfile.SYMTYPE, "../../../escaped.txt"
        return member
    name = {
        "parent": "../escaped.txt",
        "parent of uploads": "uploads/../../escaped.txt",
        "absolute": str(tmp_path / "escaped.txt"),
    }[kind]
    member = tarfile.TarInfo(name)
    member.size = len(b"escaped")
    return member


@pytest.mark.parametrize("kind", ["parent", "parent of uploads", "absolute", "link"])
def test_restore_refuses_an_archive_with_a_member_that_would_land_outside(source, tmp_path, kind):
    archive = rewritten(
        source.archive, tmp_path / "hostile.tar.gz", extra=escaping_member(kind, tmp_path)
    )
    target = tmp_path / "target"
    target.mkdir()
    with fresh_app(source.backend, target) as app:
        result = run(app, "restore", str(archive))
        assert result.exit_code == 1
        assert "Refusing the archive" in result.output
        assert has_no_tables(db.engine)
        assert not Path(app.config["UPLOAD_DIR"]).exists()
    assert list(tmp_path.parent.rglob("escaped.txt")) == []


@NEEDS_POSTGRESQL
@pytest.mark.parametrize("source", ["sqlite"], indirect=True)
def test_a_sqlite_backup_restores_into_postgresql_and_back(source, tmp_path):
    with fresh_app("postgresql", tmp_path, "from_sqlite") as app:
        assert run(app, "restore", str(source.archive)).exit_code == 0
        assert all_rows(db.engine) == source.rows
        archive = tmp_path / "from-postgresql.tar.gz"
        assert run(app, "backup", "--output", str(archive)).exit_code == 0
    with fresh_app("sqlite", tmp_path, "back_in_sqlite") as app:
        assert run(app, "restore", str(archive)).exit_code == 0
        assert all_rows(db.engine) == source.rows
        assert files_under(Path(app.config["UPLOAD_DIR"])) == source.uploads


@pytest.mark.parametrize("source", BACKENDS, indirect=True)
def test_files_kept_in_the_database_go_through_a_backup_and_back_to_a_folder(source, tmp_path):
    with fresh_app(source.backend, tmp_path, "in_database", storage="database") as app:
        assert run(app, "restore", str(source.archive)).exit_code == 0
        assert not Path(app.config["UPLOAD_DIR"]).exists()
        store = file_store()
        assert {name: store.read(name.split("/")[1]) for name in source.uploads} == source.uploads
        assert all_rows(db.engine) == source.rows
        archive = tmp_path / "from-database.tar.gz"
        result = run(app, "backup", "--output", str(archive))
        assert result.exit_code == 0, result.output
    with fresh_app(source.backend, tmp_path, "in_folder") as app:
        assert run(app, "restore", str(archive)).exit_code == 0
        assert files_under(Path(app.config["UPLOAD_DIR"])) == source.uploads
        assert all_rows(db.engine) == source.rows
