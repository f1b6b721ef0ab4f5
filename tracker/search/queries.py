"""Search across the tracker, always within what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from tracker.auth.models import User
from tracker.auth.policy.scopes import deliverable_scope, organisation_scope, pair_scope
from tracker.deliverables.models import Deliverable
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan
from tracker.visits.models import Visit

LIMIT = 10
MIN_LENGTH = 2


@dataclass
class Results:
    query: str
    cities: list[Organisation] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(group)
            for group in (self.cities, self.pairs, self.actions, self.visits, self.deliverables)
        )


def search(user: User, text: str) -> Results:
    text = " ".join(text.split())[:100]
    results = Results(text)
    if len(text) < MIN_LENGTH:
        return results
    Mentor, Implementing = aliased(Organisation), aliased(Organisation)

    def like(column):
        return column.icontains(text, autoescape=True)

    city_names = sa.or_(like(Mentor.name), like(Implementing.name))
    results.cities = list(
        db.session.execute(
            sa.select(Organisation)
            .where(
                Organisation.kind == OrganisationKind.CITY,
                like(Organisation.name),
                organisation_scope(user),
            )
            .order_by(Organisation.name)
            .limit(LIMIT)
        ).scalars()
    )
    results.pairs = list(
        db.session.execute(
            sa.select(Pair)
            .join(Mentor, Mentor.id == Pair.mentor_city_id)
            .join(Implementing, Implementing.id == Pair.implementing_city_id)
            .where(pair_scope(user), city_names)
            .options(*with_pair())
            .order_by(Pair.id)
            .limit(LIMIT)
        ).scalars()
    )
    results.actions = list(
        db.session.execute(
            sa.select(Action)
            .join(ActionPlan, ActionPlan.id == Action.plan_id)
            .join(Pair, Pair.id == ActionPlan.pair_id)
            .where(pair_scope(user), sa.or_(like(Action.title), like(Action.description)))
            .options(joinedload(Action.plan), *with_pair(Action.plan, ActionPlan.pair))
            .order_by(Action.id.desc())
            .limit(LIMIT)
        ).scalars()
    )
    results.visits = list(
        db.session.execute(
            sa.select(Visit)
            .join(Pair, Pair.id == Visit.pair_id)
            .join(Mentor, Mentor.id == Pair.mentor_city_id)
            .join(Implementing, Implementing.id == Pair.implementing_city_id)
            .where(pair_scope(user), sa.or_(like(Visit.agenda), like(Visit.location), city_names))
            .options(*with_pair(Visit.pair))
            .order_by(Visit.starts_on.desc())
            .limit(LIMIT)
        ).scalars()
    )
    results.deliverables = list(
        db.session.execute(
            sa.select(Deliverable)
            .where(
                deliverable_scope(user),
                sa.or_(like(Deliverable.title), like(Deliverable.description)),
            )
            .order_by(Deliverable.due_on)
            .limit(LIMIT)
        ).scalars()
    )
    return results
