"""Small helpers for tests."""

from __future__ import annotations

import html as html_module
import re

import sqlalchemy as sa

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


class QueryCounter:
    """Counts the SQL statements run while open (savepoints and transaction control excluded)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed, for simple assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,.;:])", r"\1", text)  # "Riga</a>, 14 Mar" reads "Riga, 14 Mar"
