"""URL converters."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from tracker.forms import DB_INT_MAX


class IdConverter(IntegerConverter):
    """`<int:...>` in a URL names a database row: a number beyond any id is simply not found
    (404), rather than overflowing the database driver (a server error)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)
