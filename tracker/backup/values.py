"""Column values to JSON and back, without losing anything on the way."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa


def readable_columns(table: sa.Table) -> list[sa.ColumnElement[Any]]:
    """The table's columns as a backup reads them: enums and JSON as the text the database holds.

    The archive then says what the database holds, not how the code names it today (an enum's
    stored code, not its Python name), and a JSON `null` stays distinct from SQL NULL.
    """
    return [_as_stored(column).label(column.name) for column in table.columns]


def _as_stored(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    stored_type = storage_type(column)
    if isinstance(stored_type, sa.Enum):
        return sa.type_coerce(column, sa.String())
    if isinstance(stored_type, sa.JSON):
        return sa.cast(column, sa.Text())
    return column


def storage_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    """The column's type as the database stores it (what a TypeDecorator wraps)."""
    column_type = column.type
    return column_type.impl_instance if isinstance(column_type, sa.TypeDecorator) else column_type


def encode(value: Any) -> Any:
    """A value read with readable_columns() as a JSON value (times as ISO text, bytes base64)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode(value: Any, column: sa.Column[Any]) -> Any:
    """A JSON value written by encode() as the value to insert into the column."""
    stored_type = storage_type(column)
    if isinstance(stored_type, sa.JSON):
        # sa.null() is SQL NULL; Python None would be written as the JSON value null.
        return sa.null() if value is None else json.loads(value)
    if value is None:
        return None
    if isinstance(stored_type, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(stored_type, sa.Date):
        return date.fromisoformat(value)
    if isinstance(stored_type, sa.Time):
        return time.fromisoformat(value)
    if isinstance(stored_type, sa.LargeBinary):
        return base64.b64decode(value)
    if isinstance(stored_type, sa.Numeric) and stored_type.asdecimal:
        return Decimal(value)
    return value
