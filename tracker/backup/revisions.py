"""Which migration a database is at, and which one the code expects."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app


def head_revision() -> str | None:
    """The newest migration of the code (the schema db.metadata describes)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def database_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at (None if it was never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def has_no_tables(engine: sa.Engine) -> bool:
    """Whether the database is brand new: no tables at all, not even Alembic's."""
    return not sa.inspect(engine).get_table_names()
