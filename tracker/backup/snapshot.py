"""Writing a backup: every row read in one consistent snapshot, plus the uploaded files."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.pool import NullPool

from tracker.backup.archive import DATABASE_COPY, BackupError, write_archive
from tracker.backup.revisions import database_revision
from tracker.backup.values import encode, readable_columns
from tracker.db import utcnow
from tracker.extensions import db
from tracker.files.models import StoredChunk
from tracker.files.store import file_store

FORMAT = "tracker-backup/1"
# What pg_dump does: one read-only transaction that sees the database as of its first query.
SERVER_SNAPSHOT_OPTIONS = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    manifest: dict[str, Any]

    def describe(self) -> str:
        """What was written, for the operator."""
        rows = self.manifest["tables"]
        lines = [
            f"Wrote {self.path} ({self.size_bytes / 1024:.1f} KiB): {sum(rows.values())} rows "
            f"in {len(rows)} tables and {self.manifest['uploads']} uploaded files, "
            f"{self.manifest['backend']} database at revision {self.manifest['alembic_revision']}."
        ]
        lines += [f"  {name:<32} {count:>8}" for name, count in rows.items() if count]
        if self.manifest["alembic_revision"] is None:
            lines.append(
                "Warning: the database has no Alembic revision (it was not made with "
                "`flask db upgrade`), so `flask tracker restore` will refuse this archive."
            )
        return "\n".join(lines)


def default_backup_path() -> Path:
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "backups" / f"tracker-{stamp}.tar.gz"


def write_backup(output: Path | None = None) -> BackupReport:
    """Write the database's rows, its SQLite copy if any, and the uploaded files to an archive."""
    output = output or default_backup_path()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output.")
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    created_at = utcnow()
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as scratch:
        database_copy = None
        if engine.dialect.name == "sqlite":
            # Everything is read from the copy, so the archive holds the very same snapshot.
            database_copy = Path(scratch) / DATABASE_COPY
            copy_sqlite_database(engine, database_copy)
            source, options = sa.create_engine(f"sqlite:///{database_copy}", poolclass=NullPool), {}
        else:
            source, options = engine, SERVER_SNAPSHOT_OPTIONS
        # Rows and files (when they are in the database) come from one transaction.
        with source.connect().execution_options(**options) as connection, connection.begin():
            revision = database_revision(connection)
            tables = {table.name: read_table(connection, table) for table in row_tables()}
            uploads = file_store().archived(connection)
            manifest = {
                "format": FORMAT,
                "created_at": created_at.isoformat(),
                "alembic_revision": revision,
                "backend": engine.dialect.name,
                "tables": {name: len(table["rows"]) for name, table in tables.items()},
                "uploads": len(uploads),
            }
            write_archive(output, manifest, {"tables": tables}, database_copy, uploads)
        if source is not engine:
            source.dispose()
    current_app.logger.info("Backup written to %s", output)
    return BackupReport(path=output, size_bytes=output.stat().st_size, manifest=manifest)


def copy_sqlite_database(engine: sa.Engine, target: Path) -> None:
    """Copy a live SQLite database with its online backup API (a file copy could be torn)."""
    source = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            source.driver_connection.backup(destination)
            # One self-contained file: the copy would otherwise keep the WAL mode of the source.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        source.close()


def row_tables() -> list[sa.Table]:
    """The tables whose rows the archive holds as data, parents first. Files kept in the
    database are in the archive as files, like those kept in a folder."""
    return [table for table in db.metadata.sorted_tables if table is not StoredChunk.__table__]


def read_table(connection: sa.Connection, table: sa.Table) -> dict[str, Any]:
    query = sa.select(*readable_columns(table)).order_by(*table.primary_key.columns)
    return {
        "columns": [column.name for column in table.columns],
        "rows": [[encode(value) for value in row] for row in connection.execute(query)],
    }
