"""Dates and times written for people: each language's own way (English the European way), in
the reader's time zone.

Used by templates (as filters), emails, reminders, audit summaries and files, so none of them
needs a request or the templating layer to write a date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, tzinfo
from functools import lru_cache

from babel import Locale, dates
from flask_babel import format_date, format_time, get_locale, get_timezone

# The tracker's English is European: 25 Nov 2026, not Nov 25, 2026.
EUROPEAN_ENGLISH = Locale.parse("en_GB")


def _day_pattern(locale: Locale | None = None) -> str:
    """The language's short written date (CLDR's yMMMd): 25 Nov 2026, 25. Nov. 2026."""
    locale = locale or get_locale()
    if locale is None or locale.language == "en":
        locale = EUROPEAN_ENGLISH
    return locale.datetime_skeletons["yMMMd"].pattern


def long_date(value: date | datetime | None) -> str:
    """25 Nov 2026."""
    if value is None:
        return ""
    return _date_text(value, _day_pattern)


def month_name(value: date | None) -> str:
    """November 2026."""
    return _date_text(value, _month_pattern) if value else ""


def _month_pattern(locale: Locale | None) -> str:
    return "LLLL y"


def _date_text(value: date, pattern: Callable[[Locale | None], str]) -> str:
    """The date in the pattern (of the reader's language) and that language."""
    locale = get_locale()
    if isinstance(value, datetime):
        # a moment: its day depends on the reader's zone
        return format_date(value, pattern(locale))
    return _day_text(value, pattern(locale), locale)


@lru_cache(maxsize=8192)
def _day_text(value: date, pattern: str, locale: Locale | None) -> str:
    """A day in a pattern and language, written once for the process: a table writes a
    hundred different days on every request, always the same ones. Babel's own formatter with
    the locale at hand: Flask-Babel's wrapper would look the request's locale and settings up
    again, and a day needs no time zone."""
    return dates.format_date(value, pattern, locale=locale)


def long_datetime(value: datetime | None) -> str:
    """25 Nov 2026, 14:05 in the viewer's time zone."""
    if value is None:
        return ""
    locale = get_locale()
    return _moment_text(value, f"{_day_pattern(locale)}, HH:mm", locale, get_timezone())


@lru_cache(maxsize=8192)
def _moment_text(value: datetime, pattern: str, locale: Locale | None, zone: tzinfo) -> str:
    """A moment in a pattern, language and time zone, written once for the process: feeds and
    lists show the same latest changes on every visit. (Flask-Babel's format_datetime, with its
    look-ups of the request's locale and zone done once by the caller.)"""
    return dates.format_datetime(value, pattern, tzinfo=zone, locale=locale)


def time_of_day(value: time | None) -> str:
    """14:05, as written: a visit's time is the host city's local time, never converted."""
    return format_time(value, "HH:mm", rebase=False) if value else ""
