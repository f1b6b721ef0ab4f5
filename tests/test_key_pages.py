"""Every key page runs the same number of SQL queries, at most 25, whatever the amount of data.

A page whose query count grows with the data (an N+1 query) fails here long before a user
notices it. The benchmark suite (bench/pages.py) measures their time; this only counts.
"""

from datetime import date, timedelta

import pytest

from tests.assessments import add_round
from tests.helpers import QueryCounter
from tracker.assessments.models import ContextEffect
from tracker.notifications.models import Notification
from tracker.plans.models import ActionStatus, PlanStatus, ProgressUpdate
from tracker.visits.models import VisitStatus

MAX_QUERIES = 25
KEY_PAGES = [
    ("coordinator", "/?programme=cities-grow"),
    ("implementer", "/"),
    ("expert", "/"),
    ("coordinator", "/pairs/{pair}"),
    ("implementer", "/pairs/{pair}/plan"),
    ("coordinator", "/visits/"),
    ("coordinator", "/programmes/cities-grow/deliverables"),
    ("implementer", "/notifications/"),
    ("implementer", "/pairs/{pair}/plan/export.xlsx"),
    ("implementer", "/pairs/{pair}/plan/export.csv"),
    ("coordinator", "/pairs/{pair}/infographic.svg"),
    ("implementer", "/pairs/{pair}/assessments"),
    ("coordinator", "/programmes/cities-grow/report"),
    ("coordinator", "/about"),
    ("expert", "/catalogue/cities-grow/themes/B/across"),
    ("coordinator", "/catalogue/cities-grow/themes/B/across.xlsx"),
    ("implementer", "/practices"),
    ("implementer", "/practices?q=riga&theme={theme}&factor={factor}"),
    ("coordinator", "/catalogue/cities-grow/themes/B/suggestions?city={riga}"),
    ("coordinator", "/pairs/new?suggest=1&theme_id={theme}&implementing_city_id={riga}"),
]


def grow(make, session, scheme, plan, size: int) -> None:
    """Add `size` of everything the key pages show: visits, reports, actions, progress,
    deliverables, notifications, and other pairs with a self-assessment round."""
    pair, factors = scheme["pair"], scheme["theme"].factors
    contexts = scheme["theme"].programme.context_factors
    for number in range(size):
        visit = make.visit(
            pair, status=VisitStatus.HELD, starts_on=date(2025, 1, 1) + timedelta(days=number)
        )
        report = make.report(visit, recommendations=2)
        action = make.action(
            plan,
            [factors[number % len(factors)], factors[(number + 1) % len(factors)]],
            ActionStatus.ON_TRACK,
            number % 100,
            ends_on=date(2026, 1, 1) + timedelta(days=number),
            recommendation=report.recommendations[0],
        )
        session.add(
            ProgressUpdate(action=action, status=ActionStatus.ON_TRACK, progress=number % 100)
        )
        make.deliverable(pair.implementing_city, pair, title=f"Deliverable {number}")
        session.add(
            Notification(
                user=scheme["implementer"], kind="comment", subject=f"News {number}", link="/"
            )
        )
        other = make.pair(scheme["theme"], mentor=pair.mentor_city)
        make.plan(other, status=PlanStatus.IN_IMPLEMENTATION)
        add_round(
            session,
            other.implementing_city,
            scheme["theme"],
            [number % 5] * len(factors),
            context=[(context, ContextEffect.LIMITING, f"Note {number}") for context in contexts],
        )
    session.flush()


@pytest.mark.parametrize(("who", "url"), KEY_PAGES)
def test_a_key_page_runs_a_bounded_number_of_queries(
    client, login_as, make, session, scheme, who, url
):
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    riga = scheme["pair"].implementing_city
    baseline = [(c, ContextEffect.ENABLING, "") for c in scheme["theme"].programme.context_factors]
    add_round(session, riga, scheme["theme"], [1] * 10, context=baseline)
    target = url.format(
        pair=scheme["pair"].id,
        riga=riga.id,
        theme=scheme["theme"].id,
        factor=scheme["theme"].factors[0].id,
    )
    login_as(scheme[who])

    def queries() -> int:
        with QueryCounter() as counter:
            response = client.get(target)
            assert response.status_code == 200
            response.get_data()
            response.close()
        return counter.count

    grow(make, session, scheme, plan, 3)
    small = queries()
    grow(make, session, scheme, plan, 30)
    large = queries()
    assert small == large, f"{target}: {small} queries with a little data, {large} with more"
    assert large <= MAX_QUERIES
