"""Visit lists: scoped, filterable, flagged, and loaded in a fixed number of queries."""

import re
from datetime import date, timedelta

import pytest

from tests.helpers import QueryCounter, page_text
from tracker.visits.models import VisitKind, VisitStatus


def add_visits(make, pairs, count, start=date(2026, 1, 5)):
    kinds = list(VisitKind)
    statuses = list(VisitStatus)
    for number in range(count):
        pair = pairs[number % len(pairs)]
        make.visit(
            pair,
            kind=kinds[number % len(kinds)],
            status=statuses[number % len(statuses)],
            starts_on=start + timedelta(days=number),
        )


@pytest.mark.parametrize("url", ["/visits/", "/pairs/{pair_id}"])
def test_lists_load_in_the_same_number_of_queries_for_10_and_100_visits(
    client, login_as, make, scheme, url
):
    pairs = [scheme["pair"]] + [make.pair(scheme["theme"]) for _ in range(4)]
    login_as(scheme["coordinator"])
    path = url.format(pair_id=scheme["pair"].id)
    add_visits(make, pairs, 10)
    with QueryCounter() as few:
        assert client.get(path).status_code == 200
    add_visits(make, pairs, 90, start=date(2026, 6, 1))
    with QueryCounter() as many:
        assert client.get(path).status_code == 200
    assert few.count == many.count, (few.statements, many.statements)


def test_the_list_is_scoped_to_the_users_pairs(client, login_as, make, scheme):
    make.visit(scheme["pair"], starts_on=date(2026, 4, 1))
    stranger_pair = make.pair(
        make.theme(code="A"), mentor=make.city("Munich"), implementing=make.city("Dresden")
    )
    make.visit(stranger_pair, starts_on=date(2026, 4, 2))
    login_as(scheme["implementer"])
    page = page_text(client.get("/visits/"))
    assert "My visits" in page and "Riga" in page and "Dresden" not in page
    login_as(scheme["expert"])
    assert "Dresden" not in page_text(client.get("/visits/"))
    login_as(scheme["coordinator"])
    assert "Dresden" in page_text(client.get("/visits/"))


def test_filters_by_status_theme_and_dates(client, login_as, make, scheme):
    make.visit(scheme["pair"], status=VisitStatus.CONFIRMED, starts_on=date(2026, 4, 1))
    make.visit(scheme["pair"], status=VisitStatus.CANCELLED, starts_on=date(2026, 6, 1))
    other = make.pair(
        make.theme(code="C"), mentor=make.city("Rotterdam"), implementing=make.city("Lisbon")
    )
    make.visit(other, status=VisitStatus.CONFIRMED, starts_on=date(2026, 4, 3))
    login_as(scheme["coordinator"])

    assert "3 visits" in page_text(client.get("/visits/"))
    assert "2 visits" in page_text(client.get("/visits/?status=confirmed"))
    assert "1 visit " in page_text(client.get(f"/visits/?theme={other.theme_id}"))
    assert "2 visits" in page_text(client.get("/visits/?from=2026-04-02"))
    assert "1 visit " in page_text(client.get("/visits/?from=2026-04-02&to=2026-04-30"))
    assert client.get("/visits/?status=nonsense&from=yesterday&page=-4").status_code == 200


def test_a_report_waiting_too_long_is_flagged(client, login_as, make, scheme, today):
    late = make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=today - timedelta(days=9))
    recent = make.visit(
        scheme["pair"], status=VisitStatus.HELD, starts_on=today - timedelta(days=2)
    )
    login_as(scheme["expert"])
    page = page_text(client.get("/visits/?awaiting_report=1"))
    assert "1 visit " in page and "Report overdue" in page
    assert "Report overdue" in page_text(client.get(f"/visits/{late.id}"))
    assert "Report overdue" not in page_text(client.get(f"/visits/{recent.id}"))


def test_the_overdue_threshold_is_configurable(
    app, client, login_as, make, scheme, today, monkeypatch
):
    make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=today - timedelta(days=3))
    login_as(scheme["expert"])
    assert "0 visits" in page_text(client.get("/visits/?awaiting_report=1"))
    monkeypatch.setitem(app.config, "VISIT_REPORT_OVERDUE_DAYS", 2)
    assert "1 visit " in page_text(client.get("/visits/?awaiting_report=1"))


def test_a_later_page_lists_the_next_visits_newest_first(client, login_as, make, scheme):
    """Same-day visits follow each other by creation, newest first, across the page break."""
    login_as(scheme["coordinator"])
    visits = [
        make.visit(scheme["pair"], starts_on=date(2026, 3, 1) + timedelta(days=number // 2))
        for number in range(55)
    ]
    expected = [
        visit.id
        for visit in sorted(visits, key=lambda visit: (visit.starts_on, visit.id), reverse=True)
    ]

    def shown(page):
        html = client.get("/visits/", query_string={"page": page}).get_data(as_text=True)
        return [int(number) for number in re.findall(r'href="/visits/(\d+)"', html)]

    assert shown(1) == expected[:50]
    assert shown(2) == expected[50:]
