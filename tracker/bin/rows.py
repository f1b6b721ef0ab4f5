"""Taking a row out of the database with every row that depends on it, and putting them back.

What depends on a row is what the schema deletes with it (foreign keys with ON DELETE CASCADE),
followed all the way down: a visit takes its participants, its report, and the report's
observations, recommendations and follow-ups. Rows elsewhere that only pointed at one of them
(ON DELETE SET NULL, such as an audit entry's pair) are remembered too, and pointed back on
restore. Values are kept as the database holds them (tracker/backup/values.py), so a restored
row is the row that was deleted, with the same id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tracker.backup.restore import insert_rows
from tracker.backup.values import decode, encode, readable_columns
from tracker.extensions import db


@dataclass
class Rows:
    """Rows of several tables as plain JSON values, with the links from outside to them."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.tables, "links": self.links}

    @classmethod
    def from_json(cls, contents: dict[str, Any]) -> Rows:
        return cls(contents["rows"], contents["links"])

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def collect(table: sa.Table, key: int) -> Rows:
    """Row `key` of `table` and everything the database would delete with it."""
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    _gather(table, table.c.id == key, found)
    rows = Rows({name: list(by_key.values()) for name, by_key in found.items()})
    rows.links = _links_from_outside(found)
    rows.tables = {
        name: [{column: encode(value) for column, value in row.items()} for row in table_rows]
        for name, table_rows in rows.tables.items()
    }
    return rows


def remove(table: sa.Table, key: int, version: int | None = None) -> bool:
    """Delete row `key` (the database deletes what depends on it); with a version, only if the
    row is still at that version. Returns whether it was deleted."""
    condition = table.c.id == key
    if version is not None:
        condition = sa.and_(condition, table.c.version_id == version)
    db.session.flush()
    deleted = db.session.execute(sa.delete(table).where(condition)).rowcount == 1
    db.session.expire_all()  # the session may hold rows the database has just deleted
    return deleted


def put_back(rows: Rows) -> None:
    """Insert the rows again, parents before children, and point the outside links back."""
    connection = db.session.connection()
    for table in db.metadata.sorted_tables:
        stored = rows.tables.get(table.name)
        if stored:
            insert_rows(
                connection,
                table,
                [
                    {name: decode(value, table.c[name]) for name, value in row.items()}
                    for row in stored
                ],
            )
    for link in rows.links:
        table = db.metadata.tables[link["table"]]
        connection.execute(
            table.update()
            .where(*(table.c[name] == value for name, value in link["keys"].items()))
            .values({link["column"]: link["value"]})
        )
    db.session.expire_all()


def missing_parents(rows: Rows) -> list[tuple[str, int]]:
    """The rows outside `rows` that they point at and that no longer exist, as (table, id)."""
    missing = []
    for name, table_rows in rows.tables.items():
        table = db.metadata.tables[name]
        for key in table.foreign_keys:
            target = key.column.table
            inside = {row["id"] for row in rows.tables.get(target.name, []) if "id" in row}
            wanted = {row[key.parent.name] for row in table_rows} - {None} - inside
            if wanted:
                present = set(
                    db.session.execute(
                        sa.select(key.column).where(key.column.in_(wanted))
                    ).scalars()
                )
                missing += [(target.name, value) for value in sorted(wanted - present)]
    return missing


def _gather(
    table: sa.Table,
    condition: sa.ColumnElement[bool],
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
) -> None:
    fetched = [
        dict(row)
        for row in db.session.execute(
            sa.select(*readable_columns(table)).where(condition)
        ).mappings()
    ]
    keys = [column.name for column in table.primary_key.columns]
    rows = found.setdefault(table.name, {})
    new = [row for row in fetched if tuple(row[k] for k in keys) not in rows]
    rows.update({tuple(row[k] for k in keys): row for row in new})
    if not new:
        return
    for child in db.metadata.sorted_tables:
        for key in child.foreign_keys:
            if key.column.table is table and key.ondelete == "CASCADE" and child is not table:
                values = [row[key.column.name] for row in new]
                _gather(child, key.parent.in_(values), found)


def _links_from_outside(
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Rows not taken that point at taken ones through a key the database sets to NULL."""
    links = []
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        taken = set(found.get(table.name, {}))
        for key in table.foreign_keys:
            target = key.column.table
            if key.ondelete != "SET NULL" or target.name not in found:
                continue
            values = [row[key.column.name] for row in found[target.name].values()]
            for row in db.session.execute(
                sa.select(*keys, key.parent).where(key.parent.in_(values))
            ).mappings():
                row_key = tuple(row[column.name] for column in keys)
                if row_key not in taken:
                    links.append(
                        {
                            "table": table.name,
                            "keys": {column.name: row[column.name] for column in keys},
                            "column": key.parent.name,
                            "value": row[key.parent.name],
                        }
                    )
    return links
