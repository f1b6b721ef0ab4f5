"""Links to the tracker's pages, built from PUBLIC_BASE_URL rather than from a request.

Notifications, emails, calendar feeds and exports name pages the reader opens later, often
from a job that has no request at all; the address people use is the configured one, never
whatever `Host` a request happened to carry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for
from werkzeug.routing import MapAdapter


def _adapter() -> MapAdapter:
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )


def path_to(endpoint: str, **values: Any) -> str:
    """The path of a page (with the installation's path prefix), for links kept in the data."""
    return _adapter().build(endpoint, values)


def url_to(endpoint: str, **values: Any) -> str:
    """The full address of a page, for emails, calendars and files."""
    return _adapter().build(endpoint, values, force_external=True)


def absolute(path: str) -> str:
    """A path made by `path_to` as a full address."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return f"{base.scheme}://{base.netloc}{path}"


# An id no row has, standing in for the row's own while a table's link is built once.
_ROW_ID = 918273645


def row_link(endpoint: str, name: str, **values: Any) -> Callable[[int], str]:
    """The link of every row of a table, built once: `row_link("pairs.show", "pair_id")(7)` is
    `url_for("pairs.show", pair_id=7)`. A table of a hundred rows otherwise asks the URL map a
    hundred times for addresses that differ only by the row's id."""
    head, tail = url_for(endpoint, **values, **{name: _ROW_ID}).split(str(_ROW_ID))
    return lambda ident: f"{head}{int(ident)}{tail}"
