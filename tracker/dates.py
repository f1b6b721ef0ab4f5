"""Dates and times written for people: the European format, in the reader's time zone.

Used by templates (as filters), emails, reminders, audit summaries and files, so none of them
needs a request or the templating layer to write a date.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import format_date, format_datetime, format_time


def long_date(value: date | datetime | None) -> str:
    """25 Nov 2026."""
    if value is None:
        return ""
    return format_date(value, "d MMM y")


def month_name(value: date | None) -> str:
    """November 2026."""
    return format_date(value, "LLLL y") if value else ""


def long_datetime(value: datetime | None) -> str:
    """25 Nov 2026, 14:05 in the viewer's time zone."""
    if value is None:
        return ""
    return format_datetime(value, "d MMM y, HH:mm")


def time_of_day(value: time | None) -> str:
    """14:05, as written: a visit's time is the host city's local time, never converted."""
    return format_time(value, "HH:mm", rebase=False) if value else ""
