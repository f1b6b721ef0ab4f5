"""Reading pairs, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from tracker.assessments.models import Assessment
from tracker.auth.models import User
from tracker.auth.policy.scopes import organisation_scope, visible_pairs
from tracker.catalogue.models import Programme, Theme
from tracker.catalogue.queries import ThemeChoice, theme_choices
from tracker.deliverables.models import Deliverable
from tracker.extensions import db
from tracker.insights.queries import MentorSuggestions, suggest_mentors
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.paging import Page, paginate
from tracker.pairs.loading import with_pair
from tracker.pairs.models import LIVE_PAIR_STATUSES, Pair, PairStatus
from tracker.plans.models import ActionPlan
from tracker.visits.models import Visit, VisitReport


@dataclass(frozen=True)
class PairFilters:
    """What the pairs list is narrowed to (each from the page's address)."""

    programme_id: int | None = None
    theme_id: int | None = None
    status: PairStatus | None = None
    city_id: int | None = None


PAGE_SIZE = 50


def pair_query(
    user: User, filters: PairFilters = PairFilters(), statuses: tuple[PairStatus, ...] = ()
) -> sa.Select[tuple[Pair]]:
    """The user's visible pairs narrowed by the filters, newest programme first."""
    query = (
        visible_pairs(user)
        .join(Pair.theme)
        .join(Theme.programme)
        .order_by(*Programme.newest_first(), Theme.code, Pair.id)
    )
    if filters.theme_id is not None:
        query = query.where(Pair.theme_id == filters.theme_id)
    if filters.status is not None:
        query = query.where(Pair.status == filters.status)
    if statuses:
        query = query.where(Pair.status.in_(statuses))
    if filters.programme_id is not None:
        query = query.where(Theme.programme_id == filters.programme_id)
    if filters.city_id is not None:
        query = query.where(
            sa.or_(
                Pair.mentor_city_id == filters.city_id,
                Pair.implementing_city_id == filters.city_id,
            )
        )
    return query


def pair_list(
    user: User, filters: PairFilters = PairFilters(), statuses: tuple[PairStatus, ...] = ()
) -> list[Pair]:
    """The user's visible pairs with theme, programme and cities, in one query."""
    query = pair_query(user, filters, statuses).options(*with_pair())
    return list(db.session.execute(query).scalars().unique())


def pair_page(user: User, filters: PairFilters, number: int) -> Page[Pair]:
    """One page of the pairs list."""
    return paginate(pair_query(user, filters), number, PAGE_SIZE, options=tuple(with_pair()))


def live_pairs(user: User) -> list[Pair]:
    """The user's pairs still under way (planned or active): what a dashboard is about, while
    completed and withdrawn schemes stay in the pair list and the reports."""
    return pair_list(user, statuses=LIVE_PAIR_STATUSES)


LISTED_THEME = (Theme.code, Theme.title, Theme.programme_id, Theme.expert_organisation_id)
LISTED_CITY = (Organisation.name, Organisation.kind, Organisation.country, Organisation.timezone)


def programme_pairs(programme: Programme) -> list[Pair]:
    """Every pair of a programme by theme, with its theme and both cities loaded (the theme's
    programme is the one given, so it is not read again for every pair)."""
    return list(
        db.session.execute(
            sa.select(Pair)
            .join(Pair.theme)
            .where(Theme.programme_id == programme.id)
            .options(
                # The names and codes a list of pairs shows; the theme's benchmark texts and
                # the cities' other columns are never read here (the ORM refuses to).
                contains_eager(Pair.theme).load_only(*LISTED_THEME, raiseload=True),
                joinedload(Pair.mentor_city).load_only(*LISTED_CITY, raiseload=True),
                joinedload(Pair.implementing_city).load_only(*LISTED_CITY, raiseload=True),
            )
            .order_by(Theme.code, Pair.id)
        ).scalars()
    )


def pair_counts_by_status(user: User) -> dict[str, int]:
    """How many visible pairs there are in each status."""
    query = (
        sa.select(Pair.status, sa.func.count(Pair.id))
        .where(Pair.id.in_(visible_pairs(user).with_only_columns(Pair.id)))
        .group_by(Pair.status)
    )
    return {status.value: count for status, count in db.session.execute(query)}


def pair_people(
    pair: Pair, *, implementing: bool = True, mentor: bool = True, expert: bool = True
) -> list[User]:
    """Active members of the pair's cities and of its theme's expert partner, as asked."""
    organisation_ids = [
        organisation_id
        for organisation_id, wanted in (
            (pair.implementing_city_id, implementing),
            (pair.mentor_city_id, mentor),
            (pair.theme.expert_organisation_id, expert),
        )
        if wanted and organisation_id is not None
    ]
    return list(
        db.session.execute(
            sa.select(User)
            .where(User.organisation_id.in_(organisation_ids), User.active.is_(True))
            .options(joinedload(User.organisation))
            .order_by(User.organisation_id, User.name)
        ).scalars()
    )


def filter_cities(user: User) -> list[Organisation]:
    """The cities the pairs list can be narrowed to: those the user may see."""
    return list(
        db.session.execute(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.CITY, organisation_scope(user))
            .order_by(Organisation.name)
        ).scalars()
    )


def filter_themes() -> list[ThemeChoice]:
    """Every theme with its programme's name, newest programme first, as plain values: the
    lists' theme filter (a hundred and more themes in a network's tenth year)."""
    return theme_choices(*Programme.newest_first(), Theme.code)


def pairing_choices() -> tuple[list[ThemeChoice], list[Organisation]]:
    """The themes and cities a coordinator can pair."""
    themes = theme_choices(*Programme.newest_first(), Theme.code)
    cities = (
        db.session.execute(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.CITY)
            .order_by(Organisation.name)
        )
        .scalars()
        .all()
    )
    return themes, list(cities)


@dataclass
class PairingSuggestions:
    """What the new pair's form shows under "Show suggestions": the theme and implementing
    city chosen (None until chosen) and, once both are, the mentor suggestions for them."""

    theme: Theme | None = None
    city: Organisation | None = None
    found: MentorSuggestions | None = None


def pairing_suggestions(
    cities: list[Organisation], theme_id: int | None, city_id: int | None
) -> PairingSuggestions:
    """The mentor suggestions for the theme and implementing city chosen on the form (the
    city out of the choices it offers)."""
    theme = (
        db.session.execute(
            sa.select(Theme).where(Theme.id == theme_id).options(joinedload(Theme.programme))
        ).scalar_one_or_none()
        if theme_id is not None
        else None
    )
    city = next((each for each in cities if each.id == city_id), None)
    if theme is None or city is None:
        return PairingSuggestions(theme, city)
    return PairingSuggestions(theme, city, suggest_mentors(theme.id, city.id, every_city=cities))


@dataclass
class PairOverview:
    """Everything the pair's page shows, loaded in a fixed number of queries."""

    pair: Pair
    people: dict[int, list[User]]
    visits: list[Visit]
    assessments: list[Assessment]
    plan: ActionPlan | None
    deliverables: list[Deliverable]

    def people_of(self, organisation: Organisation | None) -> list[User]:
        return self.people.get(organisation.id, []) if organisation else []


def pair_overview(pair: Pair) -> PairOverview:
    people: dict[int, list[User]] = {}
    for user in pair_people(pair):
        people.setdefault(user.organisation_id, []).append(user)
    visits = (
        db.session.execute(
            sa.select(Visit)
            .where(Visit.pair_id == pair.id)
            .options(
                joinedload(Visit.host_city),
                joinedload(Visit.report).selectinload(VisitReport.recommendations),
            )
            .order_by(Visit.starts_on)
        )
        .scalars()
        .unique()
        .all()
    )
    assessments = (
        db.session.execute(
            sa.select(Assessment)
            .where(
                Assessment.theme_id == pair.theme_id,
                Assessment.city_id.in_([pair.implementing_city_id, pair.mentor_city_id]),
            )
            .options(joinedload(Assessment.city))
            .order_by(Assessment.assessed_on)
        )
        .scalars()
        .all()
    )
    plan = db.session.execute(
        sa.select(ActionPlan).where(ActionPlan.pair_id == pair.id)
    ).scalar_one_or_none()
    deliverables = (
        db.session.execute(
            sa.select(Deliverable)
            .where(Deliverable.pair_id == pair.id)
            .order_by(Deliverable.due_on)
        )
        .scalars()
        .all()
    )
    return PairOverview(pair, people, list(visits), list(assessments), plan, list(deliverables))
