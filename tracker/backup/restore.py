"""Restoring a backup's rows and uploaded files into the configured database, of any backend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask_migrate
import sqlalchemy as sa
from flask import current_app

from tracker.backup.archive import BackupError, OpenArchive, open_archive
from tracker.backup.revisions import database_revision, has_no_tables, head_revision
from tracker.backup.snapshot import FORMAT, row_tables
from tracker.backup.values import decode
from tracker.extensions import db
from tracker.files.store import file_store

CHUNK_ROWS = 1000


@dataclass(frozen=True)
class RestoreReport:
    archive: Path
    manifest: dict[str, Any]
    database: str
    rows: dict[str, int]
    uploads: int
    migrated: bool
    replaced: bool

    def describe(self) -> str:
        """What was restored, for the operator."""
        lines = []
        if self.migrated:
            lines.append("The database was empty, so the migrations were run first.")
        if self.replaced:
            lines.append("The data the database held was deleted first (--replace).")
        lines.append(
            f"Restored {sum(self.rows.values())} rows in {len(self.rows)} tables and "
            f"{self.uploads} uploaded files into {self.database}, from {self.archive} "
            f"(a {self.manifest['backend']} backup of {self.manifest['created_at']})."
        )
        return "\n".join(lines)


def restore_backup(path: Path, replace: bool = False) -> RestoreReport:
    """Bring an archive's rows and files back, in one transaction; BackupError if refused."""
    with open_archive(path) as archive:
        revision = check_archive(archive)
        engine = db.engine
        migrated = has_no_tables(engine)
        if migrated:
            flask_migrate.upgrade()
        with engine.begin() as connection:
            present = check_database(connection, revision, replace)
            if present:
                delete_all_rows(connection)
            rows = insert_all_rows(connection, archive.data["tables"])
            if connection.dialect.name == "postgresql":
                reset_id_sequences(connection)
            # Before the commit: if the files cannot be written, no rows point at missing files.
            uploads = archive.extract_uploads(file_store(), connection)
    database = engine.url.render_as_string(hide_password=True)
    current_app.logger.info("Backup %s restored into %s", path, database)
    return RestoreReport(
        archive=path,
        manifest=archive.manifest,
        database=database,
        rows=rows,
        uploads=uploads,
        migrated=migrated,
        replaced=bool(present),
    )


def check_archive(archive: OpenArchive) -> str:
    """The archive's revision, once its format, revision and tables fit this code."""
    manifest = archive.manifest
    if manifest.get("format") != FORMAT:
        raise BackupError(f"The archive's format is {manifest.get('format')!r}, not {FORMAT!r}.")
    revision, head = manifest.get("alembic_revision"), head_revision()
    if revision != head:
        raise BackupError(
            f"The archive was made from a database at revision {revision}, but this version of "
            f"the tracker expects revision {head}. Restore it with the version that made it, "
            "then upgrade. Nothing was changed."
        )
    tables = archive.data.get("tables", {})
    expected = {table.name: {column.name for column in table.columns} for table in row_tables()}
    if set(tables) != set(expected):
        raise BackupError(f"The archive's tables do not match revision {head}.")
    for name, columns in expected.items():
        if set(tables[name]["columns"]) != columns:
            raise BackupError(f"The archive's columns of {name} do not match revision {head}.")
        if len(tables[name]["rows"]) != manifest["tables"].get(name):
            raise BackupError(f"The archive's rows of {name} do not match its manifest.")
    return revision


def check_database(connection: sa.Connection, revision: str, replace: bool) -> list[str]:
    """The tables that hold rows, once the database may receive the archive."""
    current = database_revision(connection)
    if current != revision:
        raise BackupError(
            f"The database is at revision {current or 'none'}, the archive at {revision}: "
            "bring the database to the archive's revision first (flask db upgrade). "
            "Nothing was changed."
        )
    present = [table.name for table in _tables() if _has_rows(connection, table)]
    if present and not replace:
        raise BackupError(
            f"The database already holds data (in {', '.join(present[:5])}"
            f"{', ...' if len(present) > 5 else ''}). Nothing was changed. Give --replace to "
            "delete all of it and restore the archive in its place."
        )
    return present


def _tables() -> list[sa.Table]:
    return db.metadata.sorted_tables


def _has_rows(connection: sa.Connection, table: sa.Table) -> bool:
    return bool(connection.execute(sa.select(sa.exists().select_from(table))).scalar())


def delete_all_rows(connection: sa.Connection) -> None:
    for table in reversed(_tables()):  # children before the rows they point at
        connection.execute(table.delete())


def insert_all_rows(connection: sa.Connection, tables: dict[str, Any]) -> dict[str, int]:
    """Insert every table's rows, parents before children; return the count per table."""
    counts = {}
    for table in row_tables():
        stored = tables[table.name]
        rows = [
            {
                name: decode(value, table.c[name])
                for name, value in zip(stored["columns"], row, strict=True)
            }
            for row in stored["rows"]
        ]
        insert_rows(connection, table, rows)
        counts[table.name] = len(rows)
    return counts


def insert_rows(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert in chunks. Links between rows of the same table (a file that replaces another)
    are set once all the rows exist, since a row may point at one that comes after it."""
    links = [key.parent for key in table.foreign_keys if key.column.table is table]
    keys = list(table.primary_key.columns)
    later = [
        {f"key_{column.name}": row[column.name] for column in keys}
        | {f"link_{column.name}": row[column.name] for column in links}
        for row in rows
        if any(row[column.name] is not None for column in links)
    ]
    for row in rows:
        row.update({column.name: None for column in links})
    for start in range(0, len(rows), CHUNK_ROWS):
        connection.execute(table.insert(), rows[start : start + CHUNK_ROWS])
    if later:
        connection.execute(_link_update(table, keys, links), later)


def _link_update(table: sa.Table, keys: list[sa.Column], links: list[sa.Column]) -> sa.Update:
    # Columns with an onupdate (updated_at) are set to themselves, so the update keeps them.
    unchanged = {column.name: column for column in table.columns if column.onupdate is not None}
    return (
        table.update()
        .where(*(column == sa.bindparam(f"key_{column.name}") for column in keys))
        .values(unchanged | {column.name: sa.bindparam(f"link_{column.name}") for column in links})
    )


def reset_id_sequences(connection: sa.Connection) -> None:
    """Move each id sequence past the restored ids, so new rows do not collide with them."""
    quote = connection.dialect.identifier_preparer.quote
    for table in _tables():
        for column in table.primary_key.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            # NULL for a column with no sequence (a composite key), and setval(NULL) does nothing.
            sequence = sa.func.pg_get_serial_sequence(quote(table.name), column.name)
            highest = sa.func.max(column)
            connection.execute(
                sa.select(
                    sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.isnot(None))
                )
            )
