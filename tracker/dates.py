"""Dates and times written for people: the European format, in the reader's time zone.

Used by templates (as filters), emails, reminders, audit summaries and files, so none of them
needs a request or the templating layer to write a date.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask import g, has_app_context
from flask_babel import format_date, format_datetime, format_time, get_locale


def long_date(value: date | datetime | None) -> str:
    """25 Nov 2026."""
    if value is None:
        return ""
    return _date_text(value, "d MMM y")


def month_name(value: date | None) -> str:
    """November 2026."""
    return _date_text(value, "LLLL y") if value else ""


def _date_text(value: date, pattern: str) -> str:
    """The date in the pattern and the reader's language, written once per request: a table
    repeats the same few dates, and Babel takes far longer to write one than to look it up."""
    if isinstance(value, datetime) or not has_app_context():
        return format_date(value, pattern)  # a moment: its day depends on the reader's zone
    written: dict[tuple[object, str, date], str] = g.setdefault("_dates_written", {})
    key = (get_locale(), pattern, value)
    if key not in written:
        written[key] = format_date(value, pattern)
    return written[key]


def long_datetime(value: datetime | None) -> str:
    """25 Nov 2026, 14:05 in the viewer's time zone."""
    if value is None:
        return ""
    return format_datetime(value, "d MMM y, HH:mm")


def time_of_day(value: time | None) -> str:
    """14:05, as written: a visit's time is the host city's local time, never converted."""
    return format_time(value, "HH:mm", rebase=False) if value else ""
