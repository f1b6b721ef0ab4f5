"""Links to the tracker's pages, built from PUBLIC_BASE_URL rather than from a request.

Notifications, emails, calendar feeds and exports name pages the reader opens later, often
from a job that has no request at all; the address people use is the configured one, never
whatever `Host` a request happened to carry.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
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
