"""The practice library: every live good-practice example of every programme, and where each
travelled (the actions that cite it), within what the reader may see.

An action is seen when its pair is one of the reader's, or read as shared within its programme
(peer reading, never from a draft plan); the other citing actions are only counted, and only
those of plans past their draft, so a draft is never revealed even as a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from tracker.auth.models import User
from tracker.auth.policy.scopes import pair_scope, shared_pair_scope
from tracker.catalogue.models import Example, Factor, Programme, Theme
from tracker.catalogue.queries import ThemeChoice, theme_choices
from tracker.extensions import db
from tracker.folding import fold
from tracker.organisations.models import Organisation
from tracker.paging import Page, paginate
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan, PlanStatus

PAGE_SIZE = 20


@dataclass(frozen=True)
class LibraryFilters:
    text: str = ""
    # The programmes whose practices are shown (None: every programme), and the choice that
    # named them: "" the programmes under way, EVERY_PROGRAMME, or a programme's key.
    programme_ids: tuple[int, ...] | None = None
    programme: str = ""
    theme_id: int | None = None
    factor_id: int | None = None
    city: str = ""
    country: str = ""


@dataclass
class Travels:
    """Where one example travelled: the implementing cities of the actions the reader sees
    citing it (each once, by name), and how many other actions cite it."""

    cities: list[str] = field(default_factory=list)
    actions: int = 0
    hidden: int = 0


def live_examples(filters: LibraryFilters) -> sa.Select[tuple[Example]]:
    """The live examples of the live factors, filtered, by programme, theme, factor, position."""
    query = (
        sa.select(Example)
        .join(Example.factor)
        .join(Factor.theme)
        .join(Theme.programme)
        .where(Example.is_live, Factor.is_live)
        .options(
            contains_eager(Example.factor)
            .contains_eager(Factor.theme)
            .contains_eager(Theme.programme)
        )
        .order_by(Programme.name, Theme.code, Factor.position, Example.position, Example.id)
    )
    if folded := fold(filters.text):
        # Folded with folded (tracker/folding.py): "lodz" finds Łódź on any database.
        query = query.where(Example.search_text.contains(folded, autoescape=True))
    if filters.programme_ids is not None:
        query = query.where(Theme.programme_id.in_(filters.programme_ids))
    if filters.theme_id:
        query = query.where(Theme.id == filters.theme_id)
    if filters.factor_id:
        query = query.where(Factor.id == filters.factor_id)
    if filters.city:
        query = query.where(Example.city_name == filters.city)
    if filters.country:
        query = query.where(Example.country == filters.country)
    return query


def library_page(filters: LibraryFilters, number: int) -> Page[Example]:
    return paginate(live_examples(filters), number, PAGE_SIZE, counted_with_keys=True)


def _seen(user: User) -> sa.ColumnElement[bool]:
    """The citing actions the reader sees: their pairs', and shared ones past their draft."""
    return sa.or_(
        pair_scope(user),
        sa.and_(shared_pair_scope(user), ActionPlan.status != PlanStatus.DRAFT),
    )


def travels(user: User, example_ids: list[int]) -> dict[int, Travels]:
    """Where each of these examples travelled, as the reader may see it (one statement)."""
    found: dict[int, Travels] = {example_id: Travels() for example_id in example_ids}
    if not example_ids:
        return found
    city = aliased(Organisation)
    seen = sa.case((_seen(user), 1), else_=0)
    rows = db.session.execute(
        sa.select(Action.example_id, city.name, seen)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .join(city, city.id == Pair.implementing_city_id)
        .where(
            Action.example_id.in_(example_ids),
            sa.or_(_seen(user), ActionPlan.status != PlanStatus.DRAFT),
        )
        .order_by(city.name)
    )
    for example_id, city_name, is_seen in rows:
        travel = found[example_id]
        if is_seen:
            travel.actions += 1
            if city_name not in travel.cities:
                travel.cities.append(city_name)
        else:
            travel.hidden += 1
    for travel in found.values():
        travel.cities.sort(key=fold)
    return found


@dataclass(frozen=True)
class FactorChoice:
    id: int
    label: str  # the theme's code, the factor's number and title: "B3. Reception desk"


EVERY_PROGRAMME = "*"  # the programme filter's value for every programme (keys are slugs)


@dataclass(frozen=True)
class ProgrammeChoice:
    id: int
    key: str
    name: str
    under_way: bool  # its period has not ended (or has no end)


def programme_choices(today: date) -> list[ProgrammeChoice]:
    """Every programme, newest first, saying which are under way."""
    under_way = sa.or_(Programme.period_end.is_(None), Programme.period_end >= today)
    return [
        ProgrammeChoice(*row)
        for row in db.session.execute(
            sa.select(Programme.id, Programme.key, Programme.name, under_way).order_by(
                *Programme.newest_first()
            )
        )
    ]


def theme_programme(theme_id: int) -> int | None:
    """The programme of a theme; None for an id that is no theme."""
    return db.session.execute(
        sa.select(Theme.programme_id).where(Theme.id == theme_id)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class FilterChoices:
    """What the library's filters offer for the programmes shown: the themes (with their
    programme's name), and the cities and countries of their live examples. Plain rows, not
    models. The factors are offered for the chosen theme only (`theme_factors`): every factor
    of every theme would be a thousand options in a network's tenth year."""

    themes: list[ThemeChoice]
    cities: list[str]
    countries: list[str]

    def themes_by_programme(self) -> list[tuple[str, list[ThemeChoice]]]:
        """The themes under their programme's name, in the database's order (Jinja's
        `groupby` would sort again, in Python's order and ignoring case)."""
        return [
            (programme, list(themes))
            for programme, themes in groupby(self.themes, key=lambda theme: theme.programme)
        ]


def filter_choices(programme_ids: tuple[int, ...] | None) -> FilterChoices:
    """The choices of the library's filters for those programmes (None: every one), in two
    statements."""
    in_scope = Theme.programme_id.in_(programme_ids) if programme_ids is not None else sa.true()
    themes = theme_choices(*Programme.newest_first(), Theme.code, where=in_scope)
    # Both lists from one reading of the live examples (a CTE used twice), in one statement.
    live = (
        sa.select(Example.city_name, Example.country)
        .join(Example.factor)
        .join(Factor.theme)
        .where(Example.is_live, Factor.is_live, in_scope)
        .cte("live")
    )
    kind, name = sa.literal_column("kind"), sa.literal_column("name")
    places = sa.union(
        sa.select(sa.literal("city").label("kind"), live.c.city_name.label("name")),
        sa.select(sa.literal("country"), live.c.country).where(live.c.country.is_not(None)),
    ).order_by(kind, name)
    cities: list[str] = []
    countries: list[str] = []
    for place_kind, place in db.session.execute(places):
        (cities if place_kind == "city" else countries).append(place)
    return FilterChoices(themes, cities, countries)


def live_factor_home(factor_id: int) -> tuple[int, int] | None:
    """The theme and programme of a live factor; None for any other id."""
    row = db.session.execute(
        sa.select(Factor.theme_id, Theme.programme_id)
        .join(Factor.theme)
        .where(Factor.id == factor_id, Factor.is_live)
    ).one_or_none()
    return (row[0], row[1]) if row else None


def theme_factors(theme_id: int) -> list[FactorChoice]:
    """The theme's live factors, in order, as the factor filter offers them."""
    return [
        FactorChoice(factor_id, f"{code}{number}. {title}")
        for factor_id, code, number, title in db.session.execute(
            sa.select(Factor.id, Theme.code, Factor.position, Factor.title)
            .join(Factor.theme)
            .where(Factor.theme_id == theme_id, Factor.is_live)
            .order_by(Factor.position)
        )
    ]


def adopted_by(user: User, city_id: int) -> list[tuple[Example, list[str]]]:
    """The examples the city's actions cite as the implementing city, as the reader sees
    them, each with the titles of those actions."""
    rows = db.session.execute(
        sa.select(Example, Action.title)
        .join(Action, Action.example_id == Example.id)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .join(Example.factor)
        .join(Factor.theme)
        .where(Pair.implementing_city_id == city_id, _seen(user))
        .options(contains_eager(Example.factor).contains_eager(Factor.theme))
        .order_by(Theme.code, Factor.position, Example.position, Action.title)
    )
    adopted: dict[int, tuple[Example, list[str]]] = {}
    for example, title in rows:
        adopted.setdefault(example.id, (example, []))[1].append(title)
    return list(adopted.values())


def inspired_by(city: Organisation) -> list[Example]:
    """The live examples from the city (linked to it, or named as it)."""
    return list(
        db.session.execute(
            live_examples(LibraryFilters()).where(
                sa.or_(Example.city_id == city.id, Example.city_name == city.name)
            )
        )
        .scalars()
        .unique()
    )


@dataclass(frozen=True)
class Transfer:
    example: Example
    cities: list[str]


def practice_transfer(programme_id: int) -> list[Transfer]:
    """For the programme report (coordinators): the programme's examples that actions of plans
    past their draft cite, each with the implementing cities that cite it."""
    city = aliased(Organisation)
    rows = db.session.execute(
        sa.select(Example, city.name)
        .join(Action, Action.example_id == Example.id)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .join(city, city.id == Pair.implementing_city_id)
        .join(Example.factor)
        .join(Factor.theme)
        .where(Theme.programme_id == programme_id, ActionPlan.status != PlanStatus.DRAFT)
        .options(contains_eager(Example.factor).contains_eager(Factor.theme))
        .order_by(Theme.code, Factor.position, Example.position, city.name)
    )
    found: dict[int, Transfer] = {}
    for example, city_name in rows:
        transfer = found.setdefault(example.id, Transfer(example, []))
        if city_name not in transfer.cities:
            transfer.cities.append(city_name)
    for transfer in found.values():
        transfer.cities.sort(key=fold)
    return list(found.values())
