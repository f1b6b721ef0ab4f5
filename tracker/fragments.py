"""Pieces of a page written once for what they show.

A dashboard writes the same rows on every visit, though their figures seldom change between
two visits. A fragment is a small template rendered from frozen values that hold everything it
shows; each web server process keeps its HTML under those values, the language, the time zone
and the address prefix. A row is written again exactly when something it shows has changed:
nothing is kept for a time, so nothing shown is ever stale (the figures themselves are read
afresh on every request; only writing them out is spared).

What is not in the key must not be read: a fragment sees only its values, the filters and the
few globals below, which depend on nothing else (no signed-in user, no request, no permission),
and anything else it names is an error, not an empty string.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache

from flask import Flask, current_app, request
from flask_babel import get_locale, get_timezone
from jinja2 import StrictUndefined
from jinja2.defaults import DEFAULT_NAMESPACE
from markupsafe import Markup

# Words in the request's language, addresses, and the badges and names of templating.
PURE_GLOBALS = (
    "_",
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "url_for",
    "status_badge",
    "health_badge",
    "pair_name",
)
KEPT = 4096  # rows, per process: a few megabytes at most


class Fragments:
    def __init__(self, app: Flask) -> None:
        self.environment = app.jinja_env.overlay(undefined=StrictUndefined)
        self.environment.globals = {
            **DEFAULT_NAMESPACE,
            **{name: app.jinja_env.globals[name] for name in PURE_GLOBALS},
        }
        # While templates are reloaded as they are edited (debug), rows are written each time:
        # kept, they would show the template as it was.
        self.kept = self._write if app.jinja_env.auto_reload else lru_cache(KEPT)(self._write)

    def write(self, name: str, **values: Hashable) -> Markup:
        """The fragment `name` (a template) for these values, written once per process."""
        return self.kept(
            name,
            tuple(sorted(values.items())),
            str(get_locale()),
            str(get_timezone()),
            request.script_root,
        )

    def _write(
        self,
        name: str,
        values: tuple[tuple[str, Hashable], ...],
        locale: str,
        timezone: str,
        prefix: str,
    ) -> Markup:
        return Markup(self.environment.get_template(name).render(dict(values)))  # noqa: S704


def register_fragments(app: Flask) -> None:
    """`fragment(name, **values)` in templates (once Flask-Babel has installed its words)."""
    app.extensions["fragments"] = Fragments(app)
    app.add_template_global(fragment)


def fragment(name: str, **values: Hashable) -> Markup:
    return current_app.extensions["fragments"].write(name, **values)
