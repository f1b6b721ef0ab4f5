"""Each reminder rule on a fixed day (2 March 2026), with its exact recipients and keys."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.deliverables.models import DeliverableStatus
from tracker.pairs.health import pair_health
from tracker.pairs.models import PairStatus
from tracker.plans.models import ActionStatus, PlanStatus, ProgressUpdate
from tracker.reminders import rules
from tracker.visits.models import FollowUp, VisitParticipant, VisitStatus
from tracker.visits.queries import is_report_overdue

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def find(app, today):
    """Run a rule at NOW, outside any request as the scheduler does, and return
    {(user id, key)}."""

    def run(rule):
        return {(reminder.user_id, reminder.key) for reminder in rule(NOW)}

    return run


def test_visits_coming_up_remind_participants_at_7_and_1_days(find, make, scheme):
    pair = scheme["pair"]
    in_five = make.visit(pair, starts_on=date(2026, 3, 7))
    tomorrow = make.visit(pair, status=VisitStatus.CONFIRMED, starts_on=date(2026, 3, 3))
    far = make.visit(pair, starts_on=date(2026, 3, 20))
    cancelled = make.visit(pair, status=VisitStatus.CANCELLED, starts_on=date(2026, 3, 4))
    for visit in (in_five, tomorrow, far, cancelled):
        visit.participants = [
            VisitParticipant(user=scheme["implementer"]),
            VisitParticipant(user=scheme["expert"]),
        ]
    tomorrow.participants.append(VisitParticipant(guest_name="A guest"))
    assert find(rules.visits_coming_up) == {
        (scheme["implementer"].id, f"visit:{in_five.id}:soon-7:2026-03-07"),
        (scheme["expert"].id, f"visit:{in_five.id}:soon-7:2026-03-07"),
        (scheme["implementer"].id, f"visit:{tomorrow.id}:soon-1:2026-03-03"),
        (scheme["expert"].id, f"visit:{tomorrow.id}:soon-1:2026-03-03"),
    }


def test_missing_reports_go_to_the_expert_then_to_coordinators(find, make, scheme):
    pair = scheme["pair"]
    six_days = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 24))
    fifteen_days = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 15))
    make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 28))  # only 2 days ago
    reported = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 1, 10))
    make.report(reported)
    expert, coordinator = scheme["expert"].id, scheme["coordinator"].id
    assert find(rules.reports_missing) == {
        (expert, f"visit:{six_days.id}:report-missing"),
        (expert, f"visit:{fifteen_days.id}:report-missing"),
        (coordinator, f"visit:{fifteen_days.id}:report-escalated"),
    }


def test_follow_ups_due_and_overdue_go_to_their_owner(find, make, scheme):
    report = make.report(
        make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 1))
    )
    riga, implementer = scheme["pair"].implementing_city, scheme["implementer"]
    other_member = make.city_member(riga)
    report.follow_ups = [
        FollowUp(text="Soon", owner_user=scheme["mentor"], due_on=date(2026, 3, 6)),
        FollowUp(text="Late", owner_organisation=riga, due_on=date(2026, 2, 20)),
        FollowUp(text="Far", owner_user=implementer, due_on=date(2026, 4, 1)),
        FollowUp(
            text="Done",
            owner_user=implementer,
            due_on=date(2026, 2, 1),
            done_at=datetime(2026, 2, 2, tzinfo=UTC),
        ),
    ]
    make.session.flush()
    soon, late = report.follow_ups[0], report.follow_ups[1]
    assert find(rules.follow_ups_due) == {
        (scheme["mentor"].id, f"follow_up:{soon.id}:due:2026-03-06"),
        (implementer.id, f"follow_up:{late.id}:overdue:2026-02-20"),
        (other_member.id, f"follow_up:{late.id}:overdue:2026-02-20"),
    }


def test_actions_due_and_overdue_go_to_the_owner_or_the_city(find, make, scheme):
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    owned = make.action(plan, ends_on=date(2026, 3, 8), owner_user=scheme["implementer"])
    unowned = make.action(plan, ends_on=date(2026, 2, 10))
    make.action(plan, ends_on=date(2026, 2, 10), status=ActionStatus.DONE, progress=100)
    make.action(plan, ends_on=date(2026, 3, 20))
    colleague = make.city_member(scheme["pair"].implementing_city)
    assert find(rules.actions_due) == {
        (scheme["implementer"].id, f"action:{owned.id}:due:2026-03-08"),
        (scheme["implementer"].id, f"action:{unowned.id}:overdue:2026-02-10"),
        (colleague.id, f"action:{unowned.id}:overdue:2026-02-10"),
    }


def test_deliverables_due_in_14_days_and_overdue_go_to_the_responsible_organisation(
    find, make, scheme
):
    expert_org = scheme["theme"].expert_organisation
    due = make.deliverable(expert_org, theme=scheme["theme"], due_on=date(2026, 3, 15))
    late = make.deliverable(
        expert_org,
        theme=scheme["theme"],
        due_on=date(2026, 2, 1),
        status=DeliverableStatus.IN_PROGRESS,
    )
    make.deliverable(
        expert_org,
        theme=scheme["theme"],
        due_on=date(2026, 2, 1),
        status=DeliverableStatus.SUBMITTED,
    )
    make.deliverable(expert_org, theme=scheme["theme"], due_on=date(2026, 3, 30))
    expert = scheme["expert"].id
    assert find(rules.deliverables_due) == {
        (expert, f"deliverable:{due.id}:due:2026-03-15"),
        (expert, f"deliverable:{late.id}:overdue:2026-02-01"),
    }


def test_a_plan_waiting_for_review_reminds_the_mentor_city_and_the_expert(find, make, scheme):
    waiting = make.plan(
        scheme["pair"], status=PlanStatus.UNDER_REVIEW, status_changed_at=NOW - timedelta(days=11)
    )
    make.plan(
        make.pair(scheme["theme"]),
        status=PlanStatus.UNDER_REVIEW,
        status_changed_at=NOW - timedelta(days=3),
    )
    assert find(rules.plans_waiting_for_review) == {
        (scheme["mentor"].id, f"plan:{waiting.pair_id}:review:2026-02-19"),
        (scheme["expert"].id, f"plan:{waiting.pair_id}:review:2026-02-19"),
    }


def test_a_plan_without_progress_for_30_days_reminds_the_implementing_city(
    find, make, scheme, session
):
    plan = make.plan(
        scheme["pair"],
        status=PlanStatus.IN_IMPLEMENTATION,
        status_changed_at=NOW - timedelta(days=90),
        last_progress_at=NOW - timedelta(days=31),
    )
    action = make.action(plan)
    session.add(
        ProgressUpdate(
            action=action,
            status=ActionStatus.ON_TRACK,
            progress=10,
            created_at=NOW - timedelta(days=31),
        )
    )
    busy = make.plan(
        make.pair(scheme["theme"], implementing=make.city()),
        status=PlanStatus.IN_IMPLEMENTATION,
        status_changed_at=NOW - timedelta(days=90),
        last_progress_at=NOW - timedelta(days=2),
    )
    session.add(
        ProgressUpdate(
            action=make.action(busy),
            status=ActionStatus.ON_TRACK,
            progress=10,
            created_at=NOW - timedelta(days=2),
        )
    )
    session.flush()
    assert find(rules.plans_without_progress) == {
        (scheme["implementer"].id, f"plan:{plan.pair_id}:stale:1")
    }


def test_an_untouched_action_escalates_after_60_days(find, make, scheme):
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    old = make.action(plan)
    old.updated_at = NOW - timedelta(days=61)
    make.action(plan).updated_at = NOW - timedelta(days=20)
    make.session.flush()
    assert find(rules.actions_untouched) == {
        (scheme["mentor"].id, f"action:{old.id}:untouched:2025-12-31"),
        (scheme["expert"].id, f"action:{old.id}:untouched:2025-12-31"),
    }


def test_a_pending_endorsement_reminds_the_city_every_14_days(find, make, scheme):
    plan = make.plan(
        scheme["pair"], status=PlanStatus.ADMIN_ENDORSED, status_changed_at=NOW - timedelta(days=46)
    )
    assert find(rules.endorsements_pending) == {
        (scheme["implementer"].id, f"plan:{plan.pair_id}:endorsement:admin_endorsed:2026-01-15:1")
    }


def test_inactive_users_are_never_reminded(find, make, scheme):
    scheme["expert"].active = False
    make.session.flush()
    make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    assert find(rules.reports_missing) == set()


def test_a_run_catches_up_30_days_not_forever(find, make, scheme):
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    recent = make.action(plan, ends_on=date(2026, 2, 5), owner_user=scheme["implementer"])
    make.action(plan, ends_on=date(2026, 1, 15), owner_user=scheme["implementer"])  # 46 days late
    assert find(rules.actions_due) == {
        (scheme["implementer"].id, f"action:{recent.id}:overdue:2026-02-05")
    }


@pytest.mark.parametrize("status", [PairStatus.COMPLETED, PairStatus.WITHDRAWN])
def test_a_pair_that_ended_reminds_nobody_of_its_actions_or_follow_ups(find, make, scheme, status):
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    make.action(plan, ends_on=date(2026, 3, 1), owner_user=scheme["implementer"])
    report = make.report(
        make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 1))
    )
    report.follow_ups = [
        FollowUp(text="Late", owner_user=scheme["mentor"], due_on=date(2026, 2, 20))
    ]
    make.session.flush()
    assert find(rules.actions_due) and find(rules.follow_ups_due)
    scheme["pair"].status = status
    make.session.flush()
    assert find(rules.actions_due) == find(rules.follow_ups_due) == set()


def test_the_list_pair_health_and_the_reminder_agree_when_a_report_is_late(
    app, find, make, scheme, monkeypatch
):
    monkeypatch.setitem(app.config, "VISIT_REPORT_OVERDUE_DAYS", 3)
    pair, today = scheme["pair"], NOW.date()
    three_days = make.visit(pair, status=VisitStatus.HELD, starts_on=today - timedelta(days=3))
    two_days = make.visit(pair, status=VisitStatus.HELD, starts_on=today - timedelta(days=2))
    assert is_report_overdue(three_days, today) and not is_report_overdue(two_days, today)
    assert pair_health([pair.id], today, NOW)[pair.id].reports_missing == 1
    assert find(rules.reports_missing) == {
        (scheme["expert"].id, f"visit:{three_days.id}:report-missing")
    }


def test_rule_descriptions_follow_the_settings(app, monkeypatch):
    by_id = {rule.id: rule for rule in rules.RULES}
    monkeypatch.setitem(app.config, "VISIT_REPORT_OVERDUE_DAYS", 4)
    monkeypatch.setitem(app.config, "REMINDERS", {**app.config["REMINDERS"], "action_due_days": 10})
    with app.test_request_context():
        assert "held 4 days ago" in by_id["reports_missing"].description
        assert "within 10 days" in by_id["actions_due"].description
