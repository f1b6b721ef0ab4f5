"""The CITIES GROW deliverables of the project outline: 8 local action plans, 4 toolkits,
8 infographics (one per scheme), 4 videos and the Integrating Cities conference."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.catalogue.models import Programme
from tracker.deliverables.models import Deliverable, DeliverableKind, DeliverableStatus
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair

K, S = DeliverableKind, DeliverableStatus


def seed_deliverables(programme: Programme, network: Organisation, today: date) -> None:
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
        city = pair.implementing_city
        plan_status = [S.IN_PROGRESS, S.SUBMITTED, S.PLANNED, S.IN_PROGRESS][number % 4]
        _add(
            programme,
            K.ACTION_PLAN,
            f"Local action plan of {city.name}",
            city,
            today + timedelta(days=40 + 15 * number),
            plan_status,
            pair=pair,
            description="The plan as endorsed by the city, in English and the local language.",
        )
        _add(
            programme,
            K.INFOGRAPHIC,
            f"Infographic: {pair.mentor_city.name} and {city.name}",
            network,
            today + timedelta(days=160 + 10 * number),
            S.PLANNED,
            pair=pair,
            description="One page on the scheme: who, visits, plan and progress per factor.",
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
