"""Each role's dashboard: the right counts, nothing outside the user's scope, bounded queries."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.helpers import QueryCounter, page_text
from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus
from tracker.audit.models import AuditEntry
from tracker.benchmarks.queries import latest_version
from tracker.plans.models import ActionStatus, PlanStatus
from tracker.visits.models import FollowUp, VisitStatus


@pytest.fixture
def busy(make, scheme, session, today):
    """The scheme pair with a plan, actions, visits and follow-ups; and a stranger pair."""
    pair = scheme["pair"]
    plan = make.plan(pair, status=PlanStatus.UNDER_REVIEW)
    make.action(
        plan,
        title="Late survey",
        ends_on=today - timedelta(days=3),
        status=ActionStatus.DELAYED,
        progress=20,
    )
    make.action(
        plan,
        title="Job fair",
        ends_on=today + timedelta(days=10),
        status=ActionStatus.ON_TRACK,
        progress=60,
    )
    make.action(plan, title="Far away", ends_on=today + timedelta(days=90))
    held = make.visit(pair, status=VisitStatus.HELD, starts_on=today - timedelta(days=8))
    report = make.report(
        make.visit(pair, status=VisitStatus.HELD, starts_on=today - timedelta(days=40)),
        recommendations=3,
    )
    plan.actions[0].recommendation = report.recommendations[0]
    report.follow_ups = [
        FollowUp(
            text="Send the survey template",
            owner_organisation=pair.implementing_city,
            due_on=today + timedelta(days=2),
        )
    ]
    make.visit(
        pair,
        kind=__import__("tracker.visits.models", fromlist=["VisitKind"]).VisitKind.STUDY,
        status=VisitStatus.CONFIRMED,
        starts_on=today + timedelta(days=12),
    )
    session.add(
        Assessment(
            city=pair.implementing_city,
            theme=pair.theme,
            benchmark_version=latest_version(pair.theme_id),
            round=AssessmentRound.BASELINE,
            assessed_on=today - timedelta(days=60),
            status=AssessmentStatus.COMPLETED,
        )
    )
    stranger = make.pair(
        make.theme(code="A"), mentor=make.city("Munich"), implementing=make.city("Dresden")
    )
    make.visit(stranger, status=VisitStatus.HELD, starts_on=today - timedelta(days=9))
    session.flush()
    return {"plan": plan, "held": held, "stranger": stranger, "report": report}


def test_the_coordinator_sees_every_pair_with_its_figures(client, login_as, scheme, busy):
    login_as(scheme["coordinator"])
    page = page_text(client.get("/?programme=cities-grow&sort=theme"))
    assert "Pairs active 2" in page and "Visits held 3" in page and "Visits planned 1" in page
    assert "Plans endorsed 0" in page
    row = page[page.index("B · Helsinki → Riga") :]
    assert row.startswith("B · Helsinki → Riga 22 Feb 2026 14 Mar 2026 1 Under review 27% 1 / 3 1")
    assert "A · Munich → Dresden" in page


def test_a_recommendation_counts_as_taken_up_once_and_not_when_its_action_is_dropped(
    client, login_as, make, scheme, busy, today
):
    """Taken up: by an action not dropped, however many actions the recommendation had."""
    plan, report = busy["plan"], busy["report"]
    second, third = report.recommendations[1], report.recommendations[2]
    make.action(plan, title="Dropped «idea»", status=ActionStatus.DROPPED, recommendation=second)
    make.action(plan, title="First try", status=ActionStatus.DROPPED, recommendation=third)
    make.action(plan, title="Second try", status=ActionStatus.ON_TRACK, recommendation=third)
    login_as(scheme["coordinator"])
    page = page_text(client.get("/?programme=cities-grow&sort=theme"))
    row = page[page.index("B · Helsinki → Riga") :]
    assert "% 2 / 3 " in row[: row.index("Plan progress per theme")]


def test_the_summary_numbers_link_to_their_lists(client, login_as, scheme, busy):
    login_as(scheme["coordinator"])
    html = client.get("/?programme=cities-grow").get_data(as_text=True)
    assert "status=held,reported" in html and "overdue=1" in html and "plan=endorsed" in html
    visits = page_text(
        client.get(f"/visits/?programme={scheme['theme'].programme_id}&status=held,reported")
    )
    assert "3 visits" in visits


def test_the_city_dashboard_shows_what_is_due_for_my_city(client, login_as, scheme, busy):
    login_as(scheme["implementer"])
    page = page_text(client.get("/"))
    assert "Next visit: Study visit B · Helsinki → Riga, 14 Mar 2026" in page
    assert "the mid-term round is next" in page
    actions = page[page.index("Actions due soon or late") : page.index("Follow-ups from visits")]
    assert (
        "Late survey" in actions
        and "Late" in actions
        and "Job fair" in actions
        and "Far away" not in actions
    )
    assert "Send the survey template" in page
    assert "Munich" not in page and "Dresden" not in page
    # The health flag's reasons are text on the page, not a tooltip only a mouse can reach.
    assert "Needs attention 1 overdue item; a visit report is missing" in page


def test_the_mentor_city_dashboard_has_no_plan_actions(client, login_as, scheme, busy):
    login_as(scheme["mentor"])
    page = page_text(client.get("/"))
    assert (
        "mentor city" in page and "Late survey" not in page and "the baseline round is next" in page
    )


def test_the_expert_dashboard_lists_reports_reviews_and_recommendations(
    client, login_as, scheme, busy
):
    login_as(scheme["expert"])
    page = page_text(client.get("/"))
    assert "Reports to write 1" in page and "Plans to review 1" in page
    assert "Recommendations taken up 1 / 3" in page
    reports = page[
        page.index("Visits awaiting your report") : page.index("Plans awaiting your review")
    ]
    assert "Report overdue" in reports and "Dresden" not in page


def test_the_activity_feed_shows_the_pairs_changes_in_plain_language(
    client, login_as, scheme, busy
):
    login_as(scheme["implementer"])
    client.post(
        f"/actions/{busy['plan'].actions[1].id}",
        data={"status": "on_track", "progress": 70, "note": "x"},
    )
    feed = page_text(client.get(f"/pairs/{scheme['pair'].id}"))
    pair = scheme["pair"]
    assert (
        f"Anna Ozola Riga posted progress on action 'Job fair' of {pair.label} — 70%, on track"
        in feed
    )
    login_as(scheme["outsider"])
    assert "Job fair" not in page_text(client.get("/"))


def make_pairs(make, count):
    cities = [make.city(f"City {number}") for number in range(count + 1)]
    hub = cities[0]
    themes = [make.theme(code=code) for code in "ABCD"] + [make.theme("implementoring", "A")]
    for number, partner in enumerate(cities[1:]):
        pair = make.pair(themes[number % len(themes)], mentor=hub, implementing=partner)
        make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 1))
        make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION)
    return hub


@pytest.mark.parametrize("role", ["coordinator", "city", "expert"])
def test_dashboards_run_the_same_number_of_queries_for_10_and_200_pairs(
    client, login_as, make, session, today, role
):
    def queries(count):
        hub = make_pairs(make, count)
        user = {
            "coordinator": lambda: make.coordinator(),
            "city": lambda: make.city_member(hub),
            "expert": lambda: make.expert(make.theme(code="B").expert_organisation),
        }[role]()
        login_as(user)
        with QueryCounter() as counter:
            response = client.get("/?programme=cities-grow")
        assert response.status_code == 200
        session.rollback()
        return counter.count

    assert queries(10) == queries(200)


def test_the_latest_activity_is_the_newest_of_all_the_users_pairs_old_and_new(
    client, login_as, make, scheme, session
):
    """The feed takes the newest entries of every pair the expert facilitates, a finished one
    included, newest first (two at the same moment: the later written first), and nothing of
    pairs beyond them, however recent."""
    gdansk = make.pair(scheme["theme"], mentor=make.city("Gdańsk"), implementing=make.city("Łódź"))
    stranger = make.pair(make.theme(code="C"))
    noon = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    minutes = {scheme["pair"]: [60, 120, 120, 180, 240, 300, 360, 420], gdansk: [30, 540, 600]}
    entries = []
    for pair, ages in [*minutes.items(), (stranger, [1, 2, 3])]:
        for age in ages:
            entry = AuditEntry(
                at=noon - timedelta(minutes=age),
                action="plan.comment",
                subject_type="ActionPlan",
                pair_id=pair.id,
                summary=f"«Entry {len(entries)}» on {pair.label}",
            )
            session.add(entry)
            entries.append((entry, pair))
    session.flush()
    visible = [entry for entry, pair in entries if pair is not stranger]
    expected = sorted(visible, key=lambda entry: (entry.at, entry.id), reverse=True)[:10]

    login_as(scheme["expert"])
    feed = page_text(client.get("/"))

    positions = [feed.index(entry.summary) for entry in expected]
    assert positions == sorted(positions)
    assert [entry for entry, _pair in entries if entry.summary in feed] == sorted(
        expected, key=lambda entry: entry.id
    )
