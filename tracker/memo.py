"""Text written once per request: a table repeats the same few labels on every row, and Babel
takes far longer to write one than to look it up. Keys carry the locale, so text written for
someone else within the request (`force_locale`) gets its own words. (Days and shares, which
depend on nothing but their value and language, are kept for the whole process instead:
tracker/dates.py, tracker/numbers.py.)"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import g, has_app_context


def written_once(kind: str, key: Hashable, write: Callable[[], str]) -> str:
    """`write()`'s text, kept under `key` among the `kind` of text for the rest of the
    request (or job); written each time outside one."""
    if not has_app_context():
        return write()
    kept: dict[Hashable, str] = g.setdefault(f"_written_{kind}", {})
    text = kept.get(key)
    if text is None:
        text = kept[key] = write()
    return text
