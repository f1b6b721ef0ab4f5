"""Review and endorsement: only allowed transitions, by allowed roles, audited and notified."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.audit.models import AuditEntry
from tracker.notifications.models import Notification
from tracker.plans.models import PlanStatus

P = PlanStatus


@pytest.fixture
def plan(make, scheme):
    plan = make.plan(scheme["pair"])
    make.action(plan, title="Supplier day")
    return plan


def set_status(client, plan, status):
    return client.post(f"/pairs/{plan.pair_id}/plan/status", data={"status": status.value})


@pytest.mark.parametrize(
    ("start", "target", "who", "allowed"),
    [
        (P.DRAFT, P.UNDER_REVIEW, "implementer", True),
        (P.DRAFT, P.UNDER_REVIEW, "coordinator", False),  # the city submits its own plan
        (P.DRAFT, P.UNDER_REVIEW, "mentor", False),
        (P.DRAFT, P.UNDER_REVIEW, "expert", False),
        (P.UNDER_REVIEW, P.DRAFT, "implementer", True),
        (P.UNDER_REVIEW, P.DRAFT, "coordinator", True),
        (P.UNDER_REVIEW, P.DRAFT, "expert", False),
        (
            P.UNDER_REVIEW,
            P.ADMIN_ENDORSED,
            "coordinator",
            False,
        ),  # only with the endorsement record
        (P.DRAFT, P.IN_IMPLEMENTATION, "coordinator", False),
        (P.POLITICALLY_ENDORSED, P.IN_IMPLEMENTATION, "implementer", True),
        (P.POLITICALLY_ENDORSED, P.IN_IMPLEMENTATION, "coordinator", True),
        (P.POLITICALLY_ENDORSED, P.IN_IMPLEMENTATION, "mentor", False),
        (P.IN_IMPLEMENTATION, P.COMPLETED, "implementer", True),
        (P.IN_IMPLEMENTATION, P.DRAFT, "coordinator", False),
        (P.COMPLETED, P.IN_IMPLEMENTATION, "coordinator", False),
    ],
)
def test_plan_transitions_by_role(
    client, login_as, scheme, session, plan, start, target, who, allowed
):
    plan.status = start
    session.flush()
    login_as(scheme[who])
    set_status(client, plan, target)
    session.refresh(plan)
    assert plan.status is (target if allowed else start)


def test_an_empty_plan_cannot_be_submitted(client, login_as, make, scheme, session):
    other = make.plan(make.pair(scheme["theme"], implementing=scheme["pair"].implementing_city))
    login_as(scheme["implementer"])
    response = set_status(client, other, P.UNDER_REVIEW)
    assert "Add at least one action" in page_text(client.get(response.location))
    session.refresh(other)
    assert other.status is P.DRAFT


def endorse(client, plan, **values):
    data = {
        "level": "administrative",
        "body": "Board of Directors decision 12/2026",
        "decided_on": "2026-02-20",
        "endorsed_by": "Director of Welfare",
        **values,
    }
    return client.post(f"/pairs/{plan.pair_id}/plan/endorsements/new", data=data)


def test_both_endorsements_are_recorded_in_order(client, login_as, scheme, session, plan):
    plan.status = P.UNDER_REVIEW
    session.flush()
    login_as(scheme["coordinator"])
    refused = endorse(client, plan, level="political")
    assert "recorded after the administrative one" in page_text(refused)
    assert endorse(client, plan).status_code == 302
    assert (
        endorse(
            client,
            plan,
            level="political",
            body="City Council decision 2026/45",
            decided_on="2026-03-01",
        ).status_code
        == 302
    )
    session.refresh(plan)
    assert plan.status is P.POLITICALLY_ENDORSED
    assert [(e.level.value, e.body, e.decided_on, e.recorded_by_id) for e in plan.endorsements] == [
        (
            "administrative",
            "Board of Directors decision 12/2026",
            date(2026, 2, 20),
            scheme["coordinator"].id,
        ),
        ("political", "City Council decision 2026/45", date(2026, 3, 1), scheme["coordinator"].id),
    ]
    actions = (
        session.execute(
            sa.select(AuditEntry.summary).where(AuditEntry.action == "plan.status_changed")
        )
        .scalars()
        .all()
    )
    assert len(actions) == 2 and "City Council decision 2026/45" in actions[1]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"decided_on": "2026-03-09"}, "cannot be in the future"),
        ({"body": ""}, "Fill this in."),
        ({"decided_on": ""}, "Fill this in."),
        ({"document_url": "not a link"}, "Give a web address starting with https:// or http://."),
    ],
)
def test_a_bad_endorsement_is_refused(client, login_as, scheme, session, plan, values, message):
    plan.status = P.UNDER_REVIEW
    session.flush()
    login_as(scheme["implementer"])
    response = endorse(client, plan, **values)
    assert message in page_text(response)
    session.refresh(plan)
    assert plan.status is P.UNDER_REVIEW and plan.endorsements == []


@pytest.mark.parametrize("who", ["mentor", "expert"])
def test_reviewers_cannot_record_endorsements(client, login_as, scheme, session, plan, who):
    plan.status = P.UNDER_REVIEW
    session.flush()
    login_as(scheme[who])
    assert endorse(client, plan).status_code == 403


def test_submitting_notifies_the_mentor_city_and_the_expert(
    client, login_as, scheme, session, plan
):
    login_as(scheme["implementer"])
    set_status(client, plan, P.UNDER_REVIEW)
    recipients = set(
        session.execute(
            sa.select(Notification.user_id).where(Notification.kind == "plan_status")
        ).scalars()
    )
    assert recipients == {scheme["mentor"].id, scheme["expert"].id}
    audit = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "plan.status_changed")
    ).scalar_one()
    assert audit.actor_id == scheme["implementer"].id


@pytest.mark.parametrize(
    ("start", "verb"),
    [
        (P.DRAFT, "Submit for review"),
        (P.UNDER_REVIEW, "Return to draft for changes"),
        (P.POLITICALLY_ENDORSED, "Start implementation"),
        (P.IN_IMPLEMENTATION, "Mark the plan completed"),
    ],
)
def test_the_plan_page_names_each_move_by_what_it_does(
    client, login_as, scheme, session, plan, start, verb
):
    plan.status = start
    session.flush()
    login_as(scheme["implementer"])
    assert verb in page_text(client.get(f"/pairs/{plan.pair_id}/plan"))
