"""Alembic environment for Flask-Migrate: the tracker's metadata, batch mode for SQLite."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from tracker.db import UTCDateTime, include_in_autogenerate

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as the plain SQLAlchemy type it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure_options(**extra):
    return {
        "target_metadata": target_db.metadata,
        "render_as_batch": True,
        "compare_type": True,
        "render_item": render_item,
        "include_object": include_in_autogenerate,
        **current_app.extensions["migrate"].configure_args,
        **extra,
    }


def run_migrations_offline():
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, literal_binds=True, **configure_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            disable_sqlite_foreign_keys(connection)
        try:
            context.configure(
                connection=connection,
                **configure_options(process_revision_directives=process_revision_directives),
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    refuse_broken_references(connection)
        finally:
            if sqlite:
                # The connection with foreign keys off must never serve the app: SQLite ignores
                # the pragma inside a transaction, so rather than trust it, drop the connection.
                connection.invalidate()


def disable_sqlite_foreign_keys(connection):
    """Batch mode rebuilds an SQLite table by copying it and dropping the old one; with foreign
    keys enforced, dropping it first deletes (ON DELETE CASCADE) every row that refers to it,
    so they are off while migrating. SQLite changes this only outside a transaction, hence
    the driver's own connection, before the migration's transaction begins."""
    connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")


def refuse_broken_references(connection):
    """With foreign keys off, check them once at the end: a migration that leaves a row
    pointing nowhere is rolled back."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"The migration leaves rows that refer to nothing: {broken[:10]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
