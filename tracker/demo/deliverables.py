"""The CITIES GROW deliverables of the project outline: 8 local action plans and 8 infographics
(one of each per scheme, from the programme's deliverable templates), 4 toolkits, 4 videos and
the Integrating Cities conference."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.catalogue.models import Programme
from tracker.deliverables.models import Deliverable, DeliverableKind, DeliverableStatus
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair
from tracker.programmes.models import DeliverableTemplate, ResponsibleParty
from tracker.programmes.queries import deliverable_templates
from tracker.programmes.service import owe_template_deliverables

K, S, R = DeliverableKind, DeliverableStatus, ResponsibleParty


def seed_deliverables(programme: Programme, network: Organisation, today: date) -> None:
    define_pair_templates(programme, network)  # also in a demo seeded before templates existed
    if db.session.execute(
        select(Deliverable.id).where(Deliverable.programme_id == programme.id)
    ).first():
        return
    coordinator = (
        db.session.execute(select(User).where(User.role == Role.COORDINATOR)).scalars().first()
    )
    pairs = (
        db.session.execute(
            select(Pair).where(Pair.is_demo.is_(True)).order_by(Pair.theme_id, Pair.id)
        )
        .scalars()
        .all()
    )
    for number, pair in enumerate(pairs):
        for owed in owe_template_deliverables(None, pair):
            if owed.kind is K.ACTION_PLAN:  # the plans are at different stages
                owed.status = [S.IN_PROGRESS, S.SUBMITTED, S.PLANNED, S.IN_PROGRESS][number % 4]
                owed.submitted_at = (
                    _at(today - timedelta(days=3)) if owed.status is S.SUBMITTED else None
                )
    for number, theme in enumerate(programme.themes):
        expert = theme.expert_organisation or network
        status = [S.APPROVED, S.SUBMITTED, S.IN_PROGRESS, S.PLANNED][number % 4]
        _add(
            programme,
            K.TOOLKIT,
            f"Integrating Cities toolkit: {theme.title}",
            expert,
            today - timedelta(days=20) + timedelta(days=60 * number),
            status,
            theme=theme,
            approver=coordinator,
            today=today,
        )
        _add(
            programme,
            K.VIDEO,
            f"Video on good practice: {theme.title}",
            network,
            today - timedelta(days=5) + timedelta(days=45 * number),
            S.PLANNED if number else S.IN_PROGRESS,
            theme=theme,
        )
    _add(
        programme,
        K.EVENT,
        "Integrating Cities Conference VIII",
        network,
        today + timedelta(days=210),
        S.IN_PROGRESS,
        description="The mid-term conference with city leaders and EU representatives.",
    )


def define_pair_templates(programme: Programme, network: Organisation) -> None:
    """What every pair of the programme owes: its local action plan six months after it
    starts, and the network's infographic of the scheme after a year."""
    if deliverable_templates(programme):
        return
    for kind, title, months, description in (
        (
            K.ACTION_PLAN,
            "Local action plan",
            6,
            "The plan as endorsed by the city, in English and the local language.",
        ),
        (
            K.INFOGRAPHIC,
            "Infographic",
            12,
            "One page on the scheme: who, visits, plan and progress per factor.",
        ),
    ):
        city_owes = kind is K.ACTION_PLAN
        db.session.add(
            DeliverableTemplate(
                programme=programme,
                kind=kind,
                title=title,
                description=description,
                months_after_start=months,
                responsible=R.IMPLEMENTING_CITY if city_owes else R.ORGANISATION,
                responsible_organisation=None if city_owes else network,
            )
        )
    db.session.flush()


def _add(
    programme,
    kind,
    title,
    organisation,
    due_on,
    status,
    *,
    pair=None,
    theme=None,
    description="",
    approver=None,
    today=None,
) -> None:
    deliverable = Deliverable(
        programme=programme,
        kind=kind,
        title=title[:300],
        description=description,
        responsible_organisation=organisation,
        due_on=due_on,
        status=status,
        pair=pair,
        theme=pair.theme if pair else theme,
        is_demo=True,
    )
    if status in (S.SUBMITTED, S.APPROVED):
        deliverable.submitted_at = _at(due_on - timedelta(days=3))
    if status is S.APPROVED:
        deliverable.approved_at = _at(min(due_on + timedelta(days=2), today or due_on))
        deliverable.approved_by = approver
    db.session.add(deliverable)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), UTC)
