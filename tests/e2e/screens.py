"""The pages the accessibility tests visit: who looks at each, and how they get there by following
links, so that no test depends on the demo's database ids.

The demo's own city member (Riga) has neither a self-assessment nor a plan yet, and other browser
tests walk Riga through its first steps on the same server, so what these tests change happens in
Dresden, through an officer the coordinator adds for them (the `dresden_officer` fixture).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PHONE = {"width": 375, "height": 740}
OFFICER = "dresden.officer@demo.example"
# The row of the Munich → Dresden pair on the coordinator's dashboard: links to its pages.
DRESDEN_ROW = "main tr:has-text('Munich → Dresden')"


@dataclass(frozen=True)
class Screen:
    """A page to check: who looks at it, where they start and the links they follow to reach it
    (CSS selectors, first match), so that no test depends on the demo's database ids."""

    name: str
    who: str | None
    start: str
    follow: tuple[str, ...] = ()
    status: int = 200


SCREENS = [
    Screen("sign-in", None, "/sign-in"),
    Screen("forgot-password", None, "/account/forgot-password"),
    Screen("not-found", None, "/no-such-page", status=404),
    Screen("not-found-signed-in", "riga", "/pairs/999999", status=404),
    Screen("dashboard-coordinator", "coordinator", "/"),
    Screen("dashboard-city", "riga", "/"),
    Screen("dashboard-expert", "expert", "/"),
    Screen("about", "riga", "/about"),
    Screen("pairs", "coordinator", "/pairs/"),
    Screen("pair", "riga", "/", ("main td a[href^='/pairs/']",)),
    Screen("pair-form", "coordinator", "/pairs/new"),
    Screen("pair-form-suggestions", "coordinator", "/pairs/new?suggest=1"),
    Screen("plan-not-started", "riga", "/", ("main a[href$='/plan']",)),
    Screen("plan", OFFICER, "/", ("main a[href$='/plan']",)),
    Screen(
        "plan-print",
        "coordinator",
        "/",
        (f"{DRESDEN_ROW} a[href$='/plan']", "main a[href$='/print']"),
    ),
    Screen("action", OFFICER, "/", ("main a[href^='/actions/']",)),
    Screen("action-form", OFFICER, "/", ("main a[href$='/plan']", "main a[href$='/actions/new']")),
    Screen("assessment", "coordinator", "/", (f"{DRESDEN_ROW} a[href$='/assessments']",)),
    Screen("assessment-form", OFFICER, "/", ("main a[href^='/assessments/']",)),
    Screen("visits", "coordinator", "/visits/"),
    Screen("visit", "riga", "/visits/", ("main tr:has(.status-reported) a",)),
    Screen(
        "visit-form",
        "expert",
        "/visits/",
        ("main tr:has(.status-confirmed) a", "main a[href$='/edit']"),
    ),
    Screen(
        "visit-briefing",
        "expert",
        "/visits/",
        ("main tr:has(.status-confirmed) a", "main a[href$='/briefing']"),
    ),
    Screen("visit-report-form", "expert", "/", ("main a[href$='/report']",)),
    Screen("deliverables", "coordinator", "/programmes/cities-grow/deliverables"),
    Screen(
        "deliverable",
        "riga",
        "/",
        (
            "main td a[href^='/pairs/']",
            "main a[href^='/deliverables/']:has-text('Local action plan')",
        ),
    ),
    Screen("deliverable-form", "coordinator", "/programmes/cities-grow/deliverables/new"),
    Screen(
        "infographic", "riga", "/", ("main td a[href^='/pairs/']", "main a[href$='/infographic']")
    ),
    Screen("programme-report", "coordinator", "/programmes/cities-grow/report"),
    Screen("shared-in-programme", "coordinator", "/programmes/cities-grow/shared"),
    Screen("notifications", "expert", "/notifications/"),
    Screen("notification-preferences", "riga", "/account/notifications"),
    Screen("catalogue", "riga", "/catalogue/"),
    Screen("programme", "riga", "/catalogue/cities-grow"),
    Screen("theme", "expert", "/catalogue/cities-grow/themes/B"),
    Screen("catalogue-load", "coordinator", "/catalogue/load"),
    Screen("programme-setup", "coordinator", "/programmes/cities-grow"),
    Screen("programme-form", "coordinator", "/programmes/new"),
    Screen("theme-form", "coordinator", "/programmes/cities-grow/themes/new"),
    Screen("context-factor-form", "coordinator", "/programmes/cities-grow/context-factors/new"),
    Screen(
        "deliverable-template-form",
        "coordinator",
        "/programmes/cities-grow/deliverable-templates/new",
    ),
    Screen("catalogue-format", "riga", "/catalogue/format"),
    Screen("benchmark-versions", "riga", "/catalogue/cities-grow/themes/B/versions"),
    Screen("benchmark-version", "riga", "/catalogue/cities-grow/themes/B/versions/1"),
    Screen("benchmark-compare", "expert", "/catalogue/cities-grow/themes/B/compare"),
    Screen("benchmark-draft", "coordinator", "/catalogue/cities-grow/themes/C/draft"),
    Screen(
        "benchmark-factor-form", "coordinator", "/catalogue/cities-grow/themes/C/draft/factors/new"
    ),
    Screen("benchmark-across", "expert", "/catalogue/cities-grow/themes/B/across"),
    Screen("mentor-suggestions", "coordinator", "/catalogue/cities-grow/themes/B/suggestions"),
    Screen("practice-library", "riga", "/practices"),
    Screen("search", "coordinator", "/search?q=Riga"),
    Screen("search-people", "riga", "/search?q=mikko"),
    Screen("reports", "coordinator", "/reports"),
    Screen("invite-people", "coordinator", "/users/invite"),
    Screen("add-organisations", "coordinator", "/organisations/import"),
    Screen("users", "coordinator", "/users/"),
    Screen("user-form", "coordinator", "/users/", ("main td a[href$='/edit']",)),
    Screen("organisations", "coordinator", "/organisations/"),
    Screen("organisation-form", "coordinator", "/organisations/new"),
    Screen("audit-log", "coordinator", "/audit/"),
    Screen("outbox", "coordinator", "/admin/outbox"),
    Screen("jobs", "coordinator", "/admin/jobs"),
    Screen("change-password", "riga", "/account/password"),
    Screen("calendar-feed", "riga", "/account/calendar"),
    Screen("personal-data", "riga", "/account/data"),
    Screen("sessions", "riga", "/account/sessions"),
    Screen("bin", "coordinator", "/bin/"),
    Screen(
        "delete-action",
        OFFICER,
        "/",
        ("main a[href^='/actions/']", "main a[href$='/delete']"),
    ),
]
SCREEN = {screen.name: screen for screen in SCREENS}


def by_name(*names: str) -> list:
    """Some of the screens, as test parameters named after them."""
    return [pytest.param(SCREEN[name], id=name) for name in names]


ALL_SCREENS = by_name(*SCREEN)


def follow(page, *selectors: str):
    """Go where the first link matching each selector leads, in turn; the last response."""
    response = None
    for selector in selectors:
        link = page.locator(selector).first
        assert link.count(), f"no link {selector!r} on {page.url}"
        response = page.goto(link.get_attribute("href"))
    return response
