"""Progress: append-only history, roll-ups per benchmark factor, late actions and gaps."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import QueryCounter, page_text
from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus, FactorRating
from tracker.benchmarks.queries import latest_version
from tracker.notifications.models import Notification
from tracker.plans.models import ActionStatus, PlanStatus, ProgressUpdate
from tracker.plans.queries import plan_for_pair, plan_overview

S = ActionStatus


@pytest.fixture
def known_plan(make, scheme, session, today):
    """A plan whose figures are worked out by hand in the tests below."""
    pair, factors = scheme["pair"], scheme["theme"].factors
    levels = [0, 1, 3, 1, 2, 2, 2, 2, 2, 2]
    assessment = Assessment(
        city=pair.implementing_city,
        theme=scheme["theme"],
        benchmark_version=latest_version(scheme["theme"].id),
        round=AssessmentRound.BASELINE,
        assessed_on=date(2026, 1, 15),
        status=AssessmentStatus.COMPLETED,
    )
    assessment.ratings = [
        FactorRating(factor=f, level=level) for f, level in zip(factors, levels, strict=True)
    ]
    session.add(assessment)
    plan = make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION)
    make.action(
        plan, [factors[0], factors[2]], S.ON_TRACK, 40, ends_on=date(2026, 6, 1), title="Survey"
    )
    make.action(plan, [factors[0]], S.DONE, 100, ends_on=date(2026, 1, 1), title="Data sharing")
    make.action(plan, [factors[2]], S.DELAYED, 10, ends_on=date(2026, 2, 1), title="Partner forum")
    make.action(plan, [factors[1]], S.DROPPED, 0, ends_on=date(2026, 2, 1), title="Dropped idea")
    session.flush()
    return plan


def test_the_roll_up_per_factor_late_actions_and_gaps(known_plan, scheme, today, session):
    session.expire_all()
    plan = plan_for_pair(scheme["pair"])
    overview = plan_overview(plan, today)
    factors = scheme["theme"].factors
    rows = {row.factor.id: row for row in overview.factors}
    assert (
        rows[factors[0].id].actions,
        rows[factors[0].id].progress,
        rows[factors[0].id].done,
        rows[factors[0].id].late,
    ) == (2, 70, 1, 0)
    assert (
        rows[factors[2].id].actions,
        rows[factors[2].id].progress,
        rows[factors[2].id].done,
        rows[factors[2].id].late,
    ) == (2, 25, 0, 1)
    assert rows[factors[1].id].actions == 0  # its only action was dropped
    assert {row.factor.id for row in overview.gaps} == {factors[1].id, factors[3].id}
    assert overview.progress == 50
    late = {action.title for action in plan.actions if action.id in overview.late}
    assert late == {"Partner forum"}


def test_the_plan_page_shows_the_figures(client, login_as, known_plan, scheme):
    login_as(scheme["expert"])
    page = page_text(client.get(f"/pairs/{known_plan.pair_id}/plan"))
    assert "Overall progress 50%" in page and "Late actions 1" in page and "Gaps 2" in page
    assert "Gap: rated 1, no action" in page


def test_posting_progress_keeps_the_history(client, login_as, known_plan, scheme, session):
    action = known_plan.actions[0]
    login_as(scheme["implementer"])
    for progress, status, note in [(50, "on_track", "Survey sent"), (60, "at_risk", "Few answers")]:
        response = client.post(
            f"/actions/{action.id}", data={"status": status, "progress": progress, "note": note}
        )
        assert response.status_code == 302
    session.refresh(action)
    assert (action.progress, action.status) == (60, S.AT_RISK)
    session.refresh(known_plan)
    assert known_plan.last_progress_at is not None  # dashboards and reminders read it
    updates = session.execute(
        sa.select(ProgressUpdate.progress, ProgressUpdate.note)
        .where(ProgressUpdate.action_id == action.id)
        .order_by(ProgressUpdate.id)
    ).all()
    assert updates == [(50, "Survey sent"), (60, "Few answers")]
    page = page_text(client.get(f"/actions/{action.id}"))
    assert page.index("Few answers") < page.index("Survey sent")  # newest first, both kept


def test_a_progress_update_can_never_be_changed(known_plan, scheme, session, make):
    update = ProgressUpdate(action=known_plan.actions[0], status=S.ON_TRACK, progress=45)
    session.add(update)
    session.flush()
    update.progress = 99
    with pytest.raises(ValueError, match="history"):
        session.flush()


def test_progress_is_a_percentage(client, login_as, known_plan, scheme, session):
    action = known_plan.actions[0]
    login_as(scheme["implementer"])
    for bad in ("101", "-1", "lots"):
        response = client.post(
            f"/actions/{action.id}", data={"status": "on_track", "progress": bad}
        )
        assert response.status_code == 200
    done_at_half = client.post(f"/actions/{action.id}", data={"status": "done", "progress": "50"})
    assert "A done action is 100% complete." in page_text(done_at_half)
    assert session.execute(sa.select(sa.func.count(ProgressUpdate.id))).scalar_one() == 0


def test_progress_notifies_the_mentor_city_and_the_expert(
    client, login_as, known_plan, scheme, session
):
    login_as(scheme["implementer"])
    client.post(f"/actions/{known_plan.actions[0].id}", data={"status": "on_track", "progress": 55})
    recipients = set(
        session.execute(
            sa.select(Notification.user_id).where(Notification.kind == "progress")
        ).scalars()
    )
    assert recipients == {scheme["mentor"].id, scheme["expert"].id}


def test_the_plan_page_loads_in_a_fixed_number_of_queries(
    client, login_as, make, known_plan, scheme
):
    login_as(scheme["coordinator"])
    url = f"/pairs/{known_plan.pair_id}/plan"
    with QueryCounter() as few:
        client.get(url)
    for number in range(30):
        make.action(
            known_plan,
            scheme["theme"].factors[number % 5 : number % 5 + 2],
            title=f"Extra {number}",
        )
    with QueryCounter() as many:
        client.get(url)
    assert few.count == many.count, (few.statements, many.statements)
