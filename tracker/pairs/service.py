"""Pairing cities: creating, editing and moving pairs through their statuses."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.catalogue.models import Theme
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.messages import N_
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair, PairStatus
from tracker.plans.models import ActionPlan
from tracker.programmes.service import move_template_deliverables, owe_template_deliverables
from tracker.visits.models import Visit
from tracker.workflow import check_transition

S = PairStatus
PAIR_TRANSITIONS = {
    S.PLANNED: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.COMPLETED: frozenset({S.ACTIVE}),
    S.WITHDRAWN: frozenset({S.PLANNED}),
}


def save_pair(
    actor: User,
    pair: Pair | None,
    *,
    theme_id: int,
    mentor_city_id: int,
    implementing_city_id: int,
    starts_on: date | None = None,
    ends_on: date | None = None,
    notes: str = "",
) -> Pair:
    """Create a pair (when None is given) or change one, refusing pairs that break the rules."""
    theme = db.session.get(Theme, theme_id) if theme_id else None
    if theme is None:
        raise RuleViolation(_("Choose a theme."), "theme_id")
    mentor = _city(mentor_city_id, "mentor_city_id")
    implementing = _city(implementing_city_id, "implementing_city_id")
    if mentor.id == implementing.id:
        raise RuleViolation(
            _("A city cannot mentor itself: choose two different cities."), "implementing_city_id"
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleViolation(_("The end date is before the start date."), "ends_on")
    if pair is not None and pair.theme_id != theme.id and _has_work(pair):
        raise RuleViolation(
            _("This pair already has visits or a plan, so its theme can no longer change."),
            "theme_id",
        )
    _refuse_duplicate(theme, mentor, implementing, pair)

    is_new = pair is None
    previous_start = None if pair is None else pair.starts_on
    if pair is None:
        pair = Pair(status=PairStatus.PLANNED)
        db.session.add(pair)
    pair.theme, pair.mentor_city, pair.implementing_city = theme, mentor, implementing
    pair.starts_on, pair.ends_on, pair.notes = starts_on, ends_on, notes.strip()
    db.session.flush()
    cities = {"mentor": mentor.name, "implementing": implementing.name, "theme": theme.code}
    record(
        actor,
        "pair.created" if is_new else "pair.updated",
        pair,
        (
            N_(
                "Paired %(mentor)s (mentor) and %(implementing)s (implementing) on theme %(theme)s",
                **cities,
            )
            if is_new
            else N_(
                "Updated the pair of %(mentor)s (mentor) and %(implementing)s (implementing) "
                "on theme %(theme)s",
                **cities,
            )
        ),
        pair_id=pair.id,
    )
    if is_new:
        owe_template_deliverables(actor, pair)
    elif pair.starts_on != previous_start:
        move_template_deliverables(actor, pair, previous_start)
    return pair


def change_pair_status(actor: User, pair: Pair, status: PairStatus) -> None:
    """Move a pair to another status, if the workflow allows it."""
    check_transition(PAIR_TRANSITIONS, pair.status, status)
    previous, pair.status = pair.status, status
    pair.completed_at = utcnow() if status is PairStatus.COMPLETED else None
    record(
        actor,
        "pair.status_changed",
        pair,
        N_(
            "Pair %(pair)s: %(previous)s → %(status)s",
            pair=pair.label,
            previous=previous,
            status=status,
        ),
        pair_id=pair.id,
        previous=previous,
        status=status,
    )


def _city(organisation_id: int, field: str) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or organisation.kind is not OrganisationKind.CITY:
        raise RuleViolation(_("Choose a city: only cities can be paired."), field)
    return organisation


def _refuse_duplicate(
    theme: Theme, mentor: Organisation, implementing: Organisation, pair: Pair | None
) -> None:
    same_two = sa.or_(
        sa.and_(Pair.mentor_city_id == mentor.id, Pair.implementing_city_id == implementing.id),
        sa.and_(Pair.mentor_city_id == implementing.id, Pair.implementing_city_id == mentor.id),
    )
    query = sa.select(Pair.id).where(Pair.theme_id == theme.id, same_two)
    if pair is not None and pair.id is not None:
        query = query.where(Pair.id != pair.id)
    if db.session.execute(query).first() is not None:
        raise RuleViolation(
            _(
                "%(first)s and %(second)s are already paired in theme %(code)s.",
                first=mentor.name,
                second=implementing.name,
                code=theme.code,
            ),
            "implementing_city_id",
        )


def _has_work(pair: Pair) -> bool:
    visits = sa.select(Visit.id).where(Visit.pair_id == pair.id)
    plans = sa.select(ActionPlan.id).where(ActionPlan.pair_id == pair.id)
    return db.session.execute(visits.union_all(plans).limit(1)).first() is not None
