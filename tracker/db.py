"""The declarative base, the UTC timestamp type, and database plumbing shared by every area."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    registry,
)

from tracker.folding import fold
from tracker.memo import written_once

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A timestamp as timezone-aware UTC (raw SQL results on SQLite come back naive)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC; SQLite gets it back aware too."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Label(LazyString):
    """An enum member's translated label, translated once per request and language (each
    translation through Flask-Babel costs several look-ups of the request's context)."""

    def __init__(self, source: Any) -> None:
        super().__init__(str, source)
        self.source = source

    def __str__(self) -> str:
        return written_once("labels", (get_locale(), id(self)), lambda: str(self.source))


class LabelledEnum(enum.Enum):
    """An enum whose members carry a translatable label: `MEMBER = "value", _l("Label")`."""

    label: str

    def __new__(cls, value: str, label: Any = None) -> LabelledEnum:
        member = object.__new__(cls)
        member._value_ = value
        member.label = Label(label) if label is not None else value.replace("_", " ").capitalize()
        return member

    def __str__(self) -> str:
        return str(self.label)


def enum_column(enum_class: type[enum.Enum], **kwargs: Any) -> Any:
    """A column storing an enum's values as short strings, checked by the database."""
    return mapped_column(
        sa.Enum(
            enum_class,
            native_enum=False,
            create_constraint=True,
            length=max(len(member.value) for member in enum_class),
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
            name=enum_class.__name__.lower(),
        ),
        **kwargs,
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        return f"<{type(self).__name__} {ident}>"


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SearchText:
    """The row's text folded for searching (tracker/folding.py), refreshed at every flush that
    changes one of `search_fields`: a search compares folded text on any database, and the
    folding runs once per change, not once per row and search."""

    search_fields: tuple[str, ...] = ()
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join(getattr(self, name) or "" for name in self.search_fields))


@sa.event.listens_for(Session, "before_flush")
def _fold_search_text(session: Session, _context: Any, _instances: Any) -> None:
    for instance in session.new:
        if isinstance(instance, SearchText):
            instance.refresh_search_text()
    for instance in session.dirty:
        if isinstance(instance, SearchText):
            state = sa.inspect(instance)
            if any(state.attrs[name].history.has_changes() for name in instance.search_fields):
                instance.refresh_search_text()


class Versioned:
    """Optimistic locking: every update raises the row's version, and an update made from an
    older version fails. The version an editor started from travels in the form and is
    compared on save (tracker/locking.py), since the column alone only catches writes that
    race within the same moment."""

    version_id: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version_id}


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Make SQLite safe for a web app: WAL, foreign keys, a busy timeout, and explicit BEGINs.

    pysqlite's own transaction handling defers BEGIN and breaks savepoints; we emit BEGIN
    ourselves, and BEGIN IMMEDIATE for writes, because a deferred transaction that later
    writes fails with "database is locked" whatever the busy timeout.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _expects_write() else "BEGIN")


# Statements psycopg keeps prepared per connection (its default is 100): the key pages alone
# run some 50 different ones and a worker serves every page of the app; past the limit
# psycopg deallocates the oldest and prepares again.
PREPARED_PER_CONNECTION = 400


def configure_postgresql(engine: Engine) -> None:
    """Let each connection keep every statement the app runs prepared (see `end_reading`)."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.prepared_max = PREPARED_PER_CONNECTION


def among(column: sa.ColumnElement[int], ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """`column IN (ids)` for a list of ids known in Python (a page's pairs, a page's rows).

    On PostgreSQL it is `column = ANY(:ids)`, one array parameter: an IN list is written out
    afresh for every execution, one cast parameter per id, a statement too long for the
    driver to keep prepared, and PostgreSQL parses it again each time."""
    values = list(ids)
    if dialect_name() == "postgresql":
        return column == sa.any_(sa.literal(values, postgresql.ARRAY(column.type)))
    return column.in_(values)


def among_parameter(
    column: sa.ColumnElement[int], name: str, dialect: str
) -> sa.ColumnElement[bool]:
    """`among` for a statement built once per database (`dialect`, see dialect_name) and run
    many times: the ids are its parameter `name`, given with each execution (an array on
    PostgreSQL, an expanding IN on SQLite)."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(sa.bindparam(name, expanding=True))


def dialect_name() -> str:
    """The current app's database: "postgresql" or "sqlite"."""
    return current_app.extensions["sqlalchemy"].engine.dialect.name


_READING_ONLY: ContextVar[bool] = ContextVar("reading_only", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """A stretch of a job that only reads (writing emails out of templates): on SQLite its
    transaction begins without taking the write lock, so saves are not kept waiting."""
    token = _READING_ONLY.set(True)
    try:
        yield
    finally:
        _READING_ONLY.reset(token)


def _expects_write() -> bool:
    """Whether the current unit of work is expected to write (everything but safe requests)."""
    if _READING_ONLY.get():
        return False
    if has_request_context():
        return request.method not in READ_ONLY_METHODS
    return True


def include_in_autogenerate(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: leave expression indexes out, since it cannot compare them reliably.

    tests/test_migrations.py compares them itself, by the SQL each database stores.
    """
    if type_ == "index":
        index = compare_to if reflected and compare_to is not None else obj
        return not any(
            isinstance(expr, sa.TextClause) for expr in getattr(index, "expressions", [])
        )
    return True
