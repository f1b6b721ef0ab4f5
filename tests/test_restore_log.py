"""A restore that succeeds is news, not a warning: it is logged at INFO."""

from __future__ import annotations

import logging

import flask_migrate

from config import BASE_DIR, TestConfig
from tests.databases import empty_database
from tracker import create_app
from tracker.extensions import db


def tracker_command(url: str, uploads, *args: str):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(uploads)})
    with app.app_context():
        if args[0] == "backup":
            flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        result = app.test_cli_runner().invoke(args=["tracker", *args])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    return result


def test_a_successful_restore_is_logged_at_info(tmp_path, caplog):
    archive = tmp_path / "backup.tar.gz"
    with (
        empty_database("sqlite", tmp_path, "source") as source,
        empty_database("sqlite", tmp_path, "target") as target,
    ):
        tracker_command(source, tmp_path / "source-uploads", "backup", "--output", str(archive))
        with caplog.at_level(logging.INFO):
            tracker_command(target, tmp_path / "target-uploads", "restore", str(archive))
    restored = [record for record in caplog.records if "restored into" in record.getMessage()]
    assert [record.levelno for record in restored] == [logging.INFO]
