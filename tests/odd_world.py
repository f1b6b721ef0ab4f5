"""A pair whose implementing city is named `Gdańsk "Centrum" Łódź`, with something of every
kind to download, and how a download's Content-Disposition must look (issue 15, item 7)."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from tests.factories import Factories
from tracker.auth.models import Role
from tracker.deliverables.service import add_file
from tracker.downloads import clean_filename
from tracker.visits.models import VisitStatus

ODD = 'Gdańsk "Centrum" Łódź'
DASHED = ODD.replace(" ", "-")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UTF8_NAME = re.compile(r"filename\*=UTF-8''([^;\s]+)")
ASCII_NAME = re.compile(r'filename="([^"]*)"')

# Every download of the app: (who, address, the name the file must carry, or None for a name
# that holds no city, checked for safety only). None as who: no one signed in.
DOWNLOADS = [
    ("implementer", "/pairs/{pair}/plan/export.csv", f"action-plan-{DASHED}-B.csv"),
    ("implementer", "/pairs/{pair}/plan/export.xlsx", f"action-plan-{DASHED}-B.xlsx"),
    ("implementer", "/pairs/{pair}/plan/progress-sheet?download=1", f"progress-{DASHED}-B.xlsx"),
    ("implementer", "/deliverables/files/{file}", f"{ODD}.pdf"),
    ("implementer", "/deliverables/files/{file}?view=1", f"{ODD}.pdf"),
    ("implementer", "/pairs/{pair}/infographic.svg?download=1", None),
    ("implementer", "/pairs/{pair}/infographic.png?download=1", None),
    ("implementer", "/pairs/{pair}/infographic.pdf", None),
    ("implementer", "/calendar/visits/{visit}.ics", "visit-{visit}.ics"),
    ("implementer", "/account/data.json", None),
    ("coordinator", "/users/{user}/personal-data.json", None),
    ("coordinator", "/programmes/cities-grow/report.xlsx", None),
    ("coordinator", "/programmes/cities-grow/report.pdf", None),
    (None, "/calendar/feed/{feed}.ics", "tracker.ics"),
]


@dataclass
class OddWorld:
    pair: int
    file: int
    visit: int
    user: int
    feed: str
    users: dict[str, int]  # role -> user id
    emails: dict[str, str]  # role -> email address (password: tests.factories.PASSWORD)

    def address(self, template: str) -> str:
        return template.format(**vars(self))


def build_odd_world(make: Factories) -> OddWorld:
    theme = make.theme(code="B")
    odd = make.city(ODD, country="Polska")
    pair = make.pair(theme, mentor=make.city("München"), implementing=odd)
    implementer = make.city_member(odd, name="Zażółć Gęślą", email="officer@gdansk.example")
    implementer.calendar_token = "odd-calendar-feed-token"
    coordinator = make.user(Role.COORDINATOR, email="coordinator@network.example")
    plan = make.plan(pair, objective=f"Suppliers of {ODD}")
    make.action(plan, title=f'"{ODD}" supplier day')
    visit = make.visit(pair, status=VisitStatus.PLANNED)
    deliverable = make.deliverable(odd, pair, title=f"Plan of {ODD}")
    stored = add_file(implementer, deliverable, f"{ODD}.pdf", PDF)
    return OddWorld(
        pair=pair.id,
        file=stored.id,
        visit=visit.id,
        user=implementer.id,
        feed=implementer.calendar_token,
        users={"implementer": implementer.id, "coordinator": coordinator.id},
        emails={"implementer": implementer.email, "coordinator": coordinator.email},
    )


def check_disposition(header: str, expected: str | None, context: str) -> None:
    """Both names there and right, the header plain ASCII, no quote or folder inside a name."""
    assert header.isascii() and header.count('"') == 2, f"{context}: {header!r}"
    utf8, plain = UTF8_NAME.search(header), ASCII_NAME.search(header)
    assert utf8 and plain, f"{context}: {header!r}"
    name = urllib.parse.unquote(utf8.group(1), errors="strict")
    if expected is not None:
        assert name == clean_filename(expected), f"{context}: {name!r}"
    assert "/" not in name and "\\" not in plain.group(1), f"{context}: {header!r}"
