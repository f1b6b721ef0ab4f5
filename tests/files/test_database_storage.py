"""STORAGE=database: uploaded files kept in the database, in pieces, so that several web servers
share them. Run on a committed database of its own, as a server sees it (the files are sent
after the request's transaction has ended)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from config import TestConfig
from tests.conftest import IsolatedClient
from tests.databases import empty_database
from tests.factories import Factories, build_scheme
from tests.signing_in import open_session, sign_in_client
from tracker import create_app
from tracker.auth.models import User
from tracker.catalogue.loader import bundled_files, load_files
from tracker.extensions import db
from tracker.files.models import Attachment, StoredChunk
from tracker.files.store import file_store
from tracker.plans.models import PlanStatus

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
        ),
    ),
]
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"
PIECE = 500  # bytes, for the tests (1 MiB in use): the PDF is two pieces and a bit


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr("tracker.files.store.CHUNK_BYTES", PIECE)


@pytest.fixture(params=BACKENDS)
def world(request, tmp_path) -> Iterator[tuple[Flask, dict]]:
    with empty_database(request.param, tmp_path, "files_in_database") as url:
        settings = {
            "SQLALCHEMY_DATABASE_URI": url,
            "STORAGE": "database",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
        app = create_app(TestConfig, settings)
        app.test_client_class = IsolatedClient
        with app.app_context():
            db.create_all()
            load_files(bundled_files())
            make = Factories(db.session)
            scheme = build_scheme(make)
            plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
            ids = {
                "action": make.action(plan, title="Job fair in Łódź").id,
                "implementer": scheme["implementer"].id,
                "mentor": scheme["mentor"].id,
            }
            db.session.commit()
            try:
                yield app, ids
            finally:
                db.session.remove()
                db.engine.dispose()


def signed_in(app: Flask, user_id: int) -> object:
    """A client signed in as the user. The test's own session ends its transaction first: on
    SQLite every transaction holds the write lock (BEGIN IMMEDIATE), and requests need it."""
    client = app.test_client()
    token = open_session(db.session.get(User, user_id))
    db.session.commit()
    return sign_in_client(client, token)


def pieces() -> list[tuple[str, int, int]]:
    return db.session.execute(
        sa.select(
            StoredChunk.stored_name, StoredChunk.number, sa.func.length(StoredChunk.data)
        ).order_by(StoredChunk.stored_name, StoredChunk.number)
    ).all()


def test_a_file_is_kept_in_pieces_in_the_database_and_sent_back_whole(world):
    app, ids = world
    client = signed_in(app, ids["implementer"])
    response = client.post(
        f"/actions/{ids['action']}",
        data={"status": "on_track", "progress": "30", "files": [(io.BytesIO(PDF), "Rīga.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment_id = db.session.execute(sa.select(Attachment.id)).scalar_one()
    stored = pieces()
    mentor = signed_in(app, ids["mentor"])
    assert [number for _name, number, _size in stored] == [0, 1, 2]
    assert [size for *_rest, size in stored] == [PIECE, PIECE, len(PDF) - 2 * PIECE]
    assert not Path(app.config["UPLOAD_DIR"]).exists()

    download = mentor.get(f"/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers["Content-Length"] == str(len(PDF))
    assert download.data == PDF


def test_a_file_taken_off_a_report_leaves_the_database_with_the_change(world):
    app, ids = world
    with app.test_request_context():
        name = "ab" + "c" * 30 + ".pdf"
        file_store().save(name, PDF)
        db.session.rollback()  # a change that fails takes its file with it
        assert pieces() == []
        file_store().save(name, PDF)
        db.session.commit()
        assert file_store().read(name) == PDF
        file_store().discard(name)
        assert file_store().exists(name) is False
        db.session.rollback()
        assert file_store().exists(name)


def test_a_missing_file_is_not_found(world):
    app, ids = world
    client = signed_in(app, ids["implementer"])
    client.post(
        f"/actions/{ids['action']}",
        data={"status": "on_track", "progress": "30", "files": [(io.BytesIO(PDF), "plan.pdf")]},
        content_type="multipart/form-data",
    )
    attachment_id = db.session.execute(sa.select(Attachment.id)).scalar_one()
    db.session.execute(sa.delete(StoredChunk))
    db.session.commit()
    db.session.close()
    assert client.get(f"/attachments/{attachment_id}").status_code == 404
