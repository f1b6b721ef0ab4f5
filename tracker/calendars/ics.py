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


def visit_events(visit: Visit, url: str) -> list[Event]:
    """A visit as events: an all-day span without times; with times, one event per day from
    the start to the end time, so a two-day visit does not block the night between. The first
    day keeps the visit's own UID and each later day adds its number, so a calendar that
    already holds the visit updates it instead of showing it twice."""
    if visit.starts_at_time is None:
        return [_visit_event(visit, url, f"visit-{visit.id}@{_domain(url)}", *_all_day(visit))]
    zone = visit_timezone(visit)
    days = (visit.ends_on - visit.starts_on).days + 1
    events = []
    for number in range(days):
        day = visit.starts_on + timedelta(days=number)
        start = datetime.combine(day, visit.starts_at_time, zone)
        end = (
            datetime.combine(day, visit.ends_at_time, zone)
            if visit.ends_at_time is not None and visit.ends_at_time > visit.starts_at_time
            else start + DEFAULT_DURATION
        )
        stem = f"visit-{visit.id}" if number == 0 else f"visit-{visit.id}-day-{number + 1}"
        event = _visit_event(visit, url, f"{stem}@{_domain(url)}", start, end)
        if days > 1:
            event["summary"] = f"{event['summary']} — {number + 1}/{days}"
        events.append(event)
    return events


def _visit_event(
    visit: Visit, url: str, uid: str, start: date | datetime, end: date | datetime
) -> Event:
    pair = visit.pair
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("sequence", visit.version_id)
    event.add("summary", f"{visit.kind.label}: {pair.label} ({pair.theme.programme.name})")
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
    return dated_event(
        f"follow-up-{follow_up.id}",
        follow_up.due_on,
        f"Follow-up due: {_shorten(follow_up.text)}",
        follow_up.text,
        url,
    )


def dated_event(stem: str, day: date, summary: str, description: str, url: str) -> Event:
    """Something due on a day, as an all-day event that does not mark the person busy; `stem`
    names the thing for good, so the event keeps its UID when its date moves."""
    event = Event()
    event.add("uid", f"{stem}@{_domain(url)}")
    event.add("dtstamp", utcnow())
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # DTEND of a date is exclusive
    event.add("description", "\n\n".join(part for part in (description, url) if part))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _all_day(visit: Visit) -> tuple[date, date]:
    return visit.starts_on, visit.ends_on + timedelta(days=1)


def _domain(url: str) -> str:
    return urlsplit(url).hostname or "tracker"


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
