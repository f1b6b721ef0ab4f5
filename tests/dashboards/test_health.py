"""The health rule on a known data set: exact flags and reasons."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.pairs.health import Health, pair_health
from tracker.pairs.models import PairStatus
from tracker.plans.models import ActionStatus, PlanStatus, ProgressUpdate
from tracker.visits.models import FollowUp, VisitStatus

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def pairs(make, session, today):
    theme = make.theme(code="B")
    made = {
        name: make.pair(theme)
        for name in (
            "fine",
            "report_missing",
            "three_overdue",
            "never_visited",
            "just_started",
            "planned",
            "quiet_45",
            "quiet_70",
            "follow_up_late",
        )
    }
    made["planned"].status = PairStatus.PLANNED
    made["never_visited"].starts_on = TODAY - timedelta(days=120)
    # "just_started" has no start date: it counts from the day it was created, today.
    for name in ("fine", "three_overdue", "quiet_45", "quiet_70", "follow_up_late"):
        make.report(
            make.visit(made[name], status=VisitStatus.HELD, starts_on=TODAY - timedelta(days=20))
        )
    make.visit(
        made["report_missing"], status=VisitStatus.HELD, starts_on=TODAY - timedelta(days=10)
    )
    late_plan = make.plan(
        made["three_overdue"],
        status=PlanStatus.IN_IMPLEMENTATION,
        status_changed_at=NOW - timedelta(days=5),
        last_progress_at=NOW - timedelta(days=2),
    )
    for _ in range(3):
        make.action(late_plan, ends_on=TODAY - timedelta(days=1), status=ActionStatus.DELAYED)
    session.add(
        ProgressUpdate(
            action=late_plan.actions[0],
            status=ActionStatus.DELAYED,
            progress=5,
            created_at=NOW - timedelta(days=2),
        )
    )
    for name, quiet in (("quiet_45", 45), ("quiet_70", 70)):
        plan = make.plan(
            made[name],
            status=PlanStatus.IN_IMPLEMENTATION,
            status_changed_at=NOW - timedelta(days=200),
            last_progress_at=NOW - timedelta(days=quiet),
        )
        session.add(
            ProgressUpdate(
                action=make.action(plan),
                status=ActionStatus.ON_TRACK,
                progress=10,
                created_at=NOW - timedelta(days=quiet),
            )
        )
    visit = make.visit(
        made["follow_up_late"], status=VisitStatus.HELD, starts_on=TODAY - timedelta(days=30)
    )
    make.report(visit).follow_ups = [
        FollowUp(
            text="Send data",
            owner_organisation=made["follow_up_late"].mentor_city,
            due_on=TODAY - timedelta(days=1),
        )
    ]
    session.flush()
    return made


def test_the_health_rule_gives_the_expected_flags(app, pairs):
    with app.test_request_context():
        health = pair_health([pair.id for pair in pairs.values()], TODAY, NOW)
    flags = {name: health[pair.id].health for name, pair in pairs.items()}
    assert flags == {
        "fine": Health.ON_TRACK,
        "report_missing": Health.NEEDS_ATTENTION,
        "three_overdue": Health.AT_RISK,
        "never_visited": Health.AT_RISK,
        "just_started": Health.ON_TRACK,
        "planned": Health.ON_TRACK,
        "quiet_45": Health.NEEDS_ATTENTION,
        "quiet_70": Health.AT_RISK,
        "follow_up_late": Health.NEEDS_ATTENTION,
    }
    assert health[pairs["three_overdue"].id].reasons == ["3 overdue items"]
    assert health[pairs["never_visited"].id].reasons == ["no visit held in 90 days"]
    assert health[pairs["quiet_70"].id].reasons == ["no progress on the plan for 70 days"]
    assert health[pairs["report_missing"].id].reasons == ["a visit report is missing"]
    assert health[pairs["follow_up_late"].id].overdue_follow_ups == 1


def test_the_dashboard_shows_the_flags_and_counts(client, login_as, make, pairs):
    from tests.helpers import page_text

    login_as(make.coordinator())
    page = page_text(client.get("/?programme=cities-grow"))
    assert "On track 3" in page and "Needs attention 3" in page and "At risk 3" in page
    at_risk = page_text(client.get("/?programme=cities-grow&health=at_risk"))
    assert at_risk.count("At risk") >= 3 and "no visit held in 90 days" in at_risk
