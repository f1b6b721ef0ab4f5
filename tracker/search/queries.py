"""Search across the tracker, always within what the user may see.

Text is compared folded (no case, no accents; tracker/folding.py) with each row's `search_text`,
which is folded once when the row changes. A search reads each kind with one bounded query and
counts it with another, so the page stays quick however much the network has written; the
substring match is a scan of one narrow column per kind (a trigram index on PostgreSQL is the
next step if the tables ever grow past a few hundred thousand rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload

from tracker.auth.models import User
from tracker.auth.policy.scopes import (
    deliverable_scope,
    organisation_scope,
    pair_scope,
    people_scope,
)
from tracker.deliverables.models import Deliverable
from tracker.extensions import db
from tracker.folding import fold
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan, PlanComment
from tracker.visits.models import Recommendation, Visit, VisitReport

LIMIT = 10
MIN_LENGTH = 2


@dataclass
class Group:
    """The matches of one kind: the first LIMIT of them, and how many there are."""

    kind: str
    label: Any
    items: list[Any]
    count: int


@dataclass
class Results:
    query: str
    groups: list[Group] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def search(user: User, text: str) -> Results:
    """Everything the user may see whose text holds `text`, grouped by kind."""
    text = " ".join(text.split())[:100]
    results = Results(text)
    folded = fold(text)
    if len(folded) < MIN_LENGTH:
        return results

    def holds(model: Any) -> sa.ColumnElement[bool]:
        return model.search_text.contains(folded, autoescape=True)

    Mentor, Implementing = aliased(Organisation), aliased(Organisation)
    city_names = sa.or_(holds(Mentor), holds(Implementing))
    kinds = [
        (
            "people",
            _l("People"),
            sa.select(User).where(people_scope(user), holds(User)),
            [joinedload(User.organisation)],
            User.name,
        ),
        (
            "cities",
            _l("Cities"),
            sa.select(Organisation).where(
                Organisation.kind == OrganisationKind.CITY,
                holds(Organisation),
                organisation_scope(user),
            ),
            [],
            Organisation.name,
        ),
        (
            "pairs",
            _l("Pairs"),
            sa.select(Pair)
            .join(Mentor, Mentor.id == Pair.mentor_city_id)
            .join(Implementing, Implementing.id == Pair.implementing_city_id)
            .where(pair_scope(user), city_names),
            with_pair(),
            Pair.id,
        ),
        (
            "actions",
            _l("Actions"),
            _in_pairs(sa.select(Action).join(Action.plan), ActionPlan.pair_id, user).where(
                holds(Action)
            ),
            [*with_pair(Action.plan, ActionPlan.pair)],
            Action.id.desc(),
        ),
        (
            "visits",
            _l("Visits"),
            sa.select(Visit)
            .join(Pair, Pair.id == Visit.pair_id)
            .join(Mentor, Mentor.id == Pair.mentor_city_id)
            .join(Implementing, Implementing.id == Pair.implementing_city_id)
            .where(pair_scope(user), sa.or_(holds(Visit), city_names)),
            with_pair(Visit.pair),
            Visit.starts_on.desc(),
        ),
        (
            "reports",
            _l("Visit reports"),
            _in_pairs(sa.select(VisitReport).join(VisitReport.visit), Visit.pair_id, user).where(
                holds(VisitReport)
            ),
            with_pair(VisitReport.visit, Visit.pair),
            VisitReport.id.desc(),
        ),
        (
            "recommendations",
            _l("Recommendations"),
            _in_pairs(
                sa.select(Recommendation).join(Recommendation.report).join(VisitReport.visit),
                Visit.pair_id,
                user,
            ).where(holds(Recommendation)),
            with_pair(Recommendation.report, VisitReport.visit, Visit.pair),
            Recommendation.id.desc(),
        ),
        (
            "comments",
            _l("Comments"),
            _in_pairs(
                sa.select(PlanComment).join(PlanComment.plan), ActionPlan.pair_id, user
            ).where(holds(PlanComment)),
            [joinedload(PlanComment.author), *with_pair(PlanComment.plan, ActionPlan.pair)],
            PlanComment.id.desc(),
        ),
        (
            "deliverables",
            _l("Deliverables"),
            sa.select(Deliverable).where(deliverable_scope(user), holds(Deliverable)),
            [],
            Deliverable.due_on,
        ),
    ]
    for kind, label, query, options, order in kinds:
        count = db.session.execute(
            sa.select(sa.func.count()).select_from(query.subquery())
        ).scalar_one()
        if count:
            items = db.session.execute(
                query.options(*options).order_by(order).limit(LIMIT)
            ).scalars()
            results.groups.append(Group(kind, label, list(items.unique()), count))
    return results


def _in_pairs(query: sa.Select[Any], pair_id: Any, user: User) -> sa.Select[Any]:
    """The query limited to the pairs the user may see."""
    return query.join(Pair, Pair.id == pair_id).where(pair_scope(user))
