"""The register: scoped lists, filters, overdue flags, status workflow and approval rights."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import QueryCounter, page_text
from tracker.audit.models import AuditEntry
from tracker.deliverables.models import Deliverable, DeliverableKind, DeliverableStatus
from tracker.notifications.models import Notification

S = DeliverableStatus


@pytest.fixture
def owed(make, scheme, today):
    """A pair-level action plan owed by Riga, a theme toolkit owed by the expert partner, a
    programme-wide event owed by the network, and another pair's infographic."""
    network = scheme["coordinator"].organisation
    other_pair = make.pair(
        make.theme(code="A"), mentor=make.city("Munich"), implementing=make.city("Dresden")
    )
    return {
        "plan": make.deliverable(
            scheme["pair"].implementing_city,
            scheme["pair"],
            kind=DeliverableKind.ACTION_PLAN,
            title="Riga's plan",
            due_on=today - timedelta(days=3),
        ),
        "toolkit": make.deliverable(
            scheme["theme"].expert_organisation,
            theme=scheme["theme"],
            kind=DeliverableKind.TOOLKIT,
            title="Toolkit B",
            status=S.SUBMITTED,
            due_on=today - timedelta(days=10),
        ),
        "event": make.deliverable(
            network,
            kind=DeliverableKind.EVENT,
            title="The conference",
            due_on=today + timedelta(days=90),
        ),
        "stranger": make.deliverable(
            network, other_pair, kind=DeliverableKind.INFOGRAPHIC, title="Dresden's infographic"
        ),
    }


def listed(client, query=""):
    return page_text(client.get(f"/programmes/cities-grow/deliverables{query}"))


def test_the_register_is_scoped(client, login_as, scheme, owed):
    login_as(scheme["coordinator"])
    assert all(d.title in listed(client) for d in owed.values())
    login_as(scheme["implementer"])
    page = listed(client)
    assert "Riga's plan" in page and "Toolkit B" in page and "The conference" in page
    assert "Dresden's infographic" not in page
    login_as(scheme["other_expert"])
    page = listed(client)
    assert "The conference" in page and "Riga's plan" not in page and "Toolkit B" not in page


def test_overdue_deliverables_are_flagged_but_not_submitted_ones(client, login_as, scheme, owed):
    login_as(scheme["coordinator"])
    page = listed(client, "?overdue=1")
    assert "Riga's plan" in page and "Toolkit B" not in page and "1 deliverable" in page


def test_filters_by_kind_status_and_organisation(client, login_as, scheme, owed):
    login_as(scheme["coordinator"])
    assert "1 deliverable" in listed(client, "?kind=toolkit") and "Toolkit B" in listed(
        client, "?kind=toolkit"
    )
    assert "Toolkit B" in listed(client, "?status=submitted")
    riga = scheme["pair"].implementing_city.id
    page = listed(client, f"?organisation={riga}")
    assert "Riga's plan" in page and "The conference" not in page
    assert (
        client.get(
            "/programmes/cities-grow/deliverables?kind=x&status=y&organisation=z"
        ).status_code
        == 200
    )


def test_the_register_loads_in_a_fixed_number_of_queries(client, login_as, make, scheme, owed):
    login_as(scheme["coordinator"])
    with QueryCounter() as few:
        client.get("/programmes/cities-grow/deliverables")
    for number in range(25):
        make.deliverable(
            scheme["pair"].mentor_city, make.pair(scheme["theme"]), title=f"Extra {number}"
        )
    with QueryCounter() as many:
        client.get("/programmes/cities-grow/deliverables")
    assert few.count == many.count


def move(client, deliverable, status, comment=""):
    return client.post(
        f"/deliverables/{deliverable.id}/status", data={"status": status.value, "comment": comment}
    )


@pytest.mark.parametrize(
    ("start", "target", "who", "allowed"),
    [
        (S.PLANNED, S.IN_PROGRESS, "implementer", True),
        (S.PLANNED, S.IN_PROGRESS, "mentor", False),
        (S.IN_PROGRESS, S.SUBMITTED, "implementer", True),
        (S.IN_PROGRESS, S.APPROVED, "coordinator", False),
        (S.SUBMITTED, S.APPROVED, "coordinator", True),
        (S.SUBMITTED, S.APPROVED, "implementer", False),
        (S.SUBMITTED, S.IN_PROGRESS, "implementer", False),
        (S.APPROVED, S.IN_PROGRESS, "coordinator", False),
    ],
)
def test_status_workflow_and_approval_rights(
    client, login_as, scheme, session, owed, start, target, who, allowed
):
    deliverable = owed["plan"]
    deliverable.status = start
    if start is S.APPROVED:  # the database insists an approval says when
        deliverable.approved_at = datetime.now(UTC)
    session.flush()
    login_as(scheme[who])
    move(client, deliverable, target)
    session.refresh(deliverable)
    assert deliverable.status is (target if allowed else start)


def test_approval_records_who_and_when_and_tells_the_responsible_organisation(
    client, login_as, scheme, session, owed
):
    deliverable = owed["toolkit"]
    login_as(scheme["coordinator"])
    move(client, deliverable, S.APPROVED)
    session.refresh(deliverable)
    assert (
        deliverable.approved_by_id == scheme["coordinator"].id
        and deliverable.approved_at is not None
    )
    notified = (
        session.execute(
            sa.select(Notification.user_id).where(Notification.kind == "deliverable_reviewed")
        )
        .scalars()
        .all()
    )
    assert notified == [scheme["expert"].id]
    assert "Approved by Claire Dubois" in page_text(client.get(f"/deliverables/{deliverable.id}"))


def test_sending_back_needs_a_comment_which_the_team_sees(client, login_as, scheme, session, owed):
    deliverable = owed["toolkit"]
    login_as(scheme["coordinator"])
    move(client, deliverable, S.IN_PROGRESS)
    session.refresh(deliverable)
    assert deliverable.status is S.SUBMITTED
    move(client, deliverable, S.IN_PROGRESS, "Add the Riga example to factor 3.")
    session.refresh(deliverable)
    assert deliverable.status is S.IN_PROGRESS
    login_as(scheme["expert"])
    assert "Add the Riga example to factor 3." in page_text(
        client.get(f"/deliverables/{deliverable.id}")
    )
    audit = (
        session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "deliverable.status_changed")
        )
        .scalars()
        .all()
    )
    assert len(audit) == 1 and "Add the Riga example" in audit[0].summary


def test_submitting_tells_the_coordinators(client, login_as, scheme, session, owed):
    deliverable = owed["plan"]
    deliverable.status = S.IN_PROGRESS
    session.flush()
    login_as(scheme["implementer"])
    move(client, deliverable, S.SUBMITTED)
    notified = (
        session.execute(
            sa.select(Notification.user_id).where(Notification.kind == "deliverable_submitted")
        )
        .scalars()
        .all()
    )
    assert notified == [scheme["coordinator"].id]


def test_a_coordinator_registers_a_pair_deliverable(client, login_as, scheme, session):
    login_as(scheme["coordinator"])
    response = client.post(
        "/programmes/cities-grow/deliverables/new",
        data={
            "kind": "infographic",
            "title": "Infographic Riga",
            "pair_id": scheme["pair"].id,
            "theme_id": "",
            "responsible_organisation_id": scheme["coordinator"].organisation_id,
            "due_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    deliverable = session.execute(
        sa.select(Deliverable).where(Deliverable.title == "Infographic Riga")
    ).scalar_one()
    assert deliverable.theme_id == scheme["theme"].id and deliverable.due_on == date(2026, 9, 30)


def test_a_pair_of_another_theme_is_refused(client, login_as, make, scheme, session):
    login_as(scheme["coordinator"])
    response = client.post(
        "/programmes/cities-grow/deliverables/new",
        data={
            "kind": "other",
            "title": "Mismatch",
            "pair_id": scheme["pair"].id,
            "theme_id": make.theme(code="A").id,
            "responsible_organisation_id": scheme["coordinator"].organisation_id,
            "due_on": "2026-09-30",
        },
    )
    assert "The pair works on another theme." in page_text(response)


@pytest.mark.parametrize("who", ["implementer", "expert"])
def test_only_coordinators_register_deliverables(client, login_as, scheme, who):
    login_as(scheme[who])
    assert client.get("/programmes/cities-grow/deliverables/new").status_code == 403


def test_another_city_cannot_open_a_pair_deliverable(client, login_as, scheme, owed):
    login_as(scheme["outsider"])
    assert client.get(f"/deliverables/{owed['plan'].id}").status_code == 404
