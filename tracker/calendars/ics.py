"""Building iCalendar files of visits and follow-ups (RFC 5545), with real time zones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from tracker.db import utcnow
from tracker.visits.models import FollowUp, Visit, VisitStatus

PRODUCT_ID = "-//Mentoring-scheme tracker//EN"
STATUS = {
    VisitStatus.PLANNED: "TENTATIVE",
    VisitStatus.CONFIRMED: "CONFIRMED",
    VisitStatus.HELD: "CONFIRMED",
    VisitStatus.REPORTED: "CONFIRMED",
    VisitStatus.CANCELLED: "CANCELLED",
}
DEFAULT_DURATION = timedelta(hours=1)


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def finish(calendar: Calendar) -> bytes:
    """Add the VTIMEZONE definitions the events use, and serialise."""
    calendar.add_missing_timezones()
    return calendar.to_ical()


def visit_timezone(visit: Visit) -> ZoneInfo:
    """Times of a visit are local to its host city (the implementing city's when online)."""
    city = visit.host_city or visit.pair.implementing_city
    return ZoneInfo(city.timezone)


def visit_event(visit: Visit, url: str) -> Event:
    """One visit as an event: timed in its city's zone, or all-day when no time is set."""
    pair = visit.pair
    event = Event()
    event.add("uid", f"visit-{visit.id}@{_domain(url)}")
    event.add("dtstamp", utcnow())
    event.add("sequence", visit.version_id)
    event.add(
        "summary",
        f"{visit.kind.label}: {pair.label} ({pair.theme.programme.name})",
    )
    start, end = _visit_span(visit)
    event.add("dtstart", start)
    event.add("dtend", end)
    location = visit.location or (visit.host_city.name if visit.host_city else "")
    if location:
        event.add("location", location)
    event.add("description", "\n\n".join(part for part in (visit.agenda, url) if part))
    event.add("url", url)
    event.add("status", STATUS[visit.status])
    return event


def follow_up_event(follow_up: FollowUp, url: str) -> Event:
    """A follow-up's due date as an all-day event."""
    event = Event()
    event.add("uid", f"follow-up-{follow_up.id}@{_domain(url)}")
    event.add("dtstamp", utcnow())
    event.add("summary", f"Follow-up due: {_shorten(follow_up.text)}")
    event.add("dtstart", follow_up.due_on)
    event.add("dtend", follow_up.due_on + timedelta(days=1))
    event.add("description", f"{follow_up.text}\n\n{url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _visit_span(visit: Visit) -> tuple[date | datetime, date | datetime]:
    if visit.starts_at_time is None:
        return visit.starts_on, visit.ends_on + timedelta(days=1)  # DTEND of a date is exclusive
    zone = visit_timezone(visit)
    start = datetime.combine(visit.starts_on, visit.starts_at_time, zone)
    if visit.ends_at_time is not None:
        end = datetime.combine(visit.ends_on, visit.ends_at_time, zone)
    else:
        end = datetime.combine(visit.ends_on, visit.starts_at_time, zone) + DEFAULT_DURATION
    return start, end


def _domain(url: str) -> str:
    return urlsplit(url).hostname or "tracker"


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
