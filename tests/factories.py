"""Factories for test data: each makes a valid object with sensible defaults, flushed."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.auth.passwords import hash_password
from tracker.catalogue.models import Programme, Theme
from tracker.deliverables.models import Deliverable, DeliverableKind, DeliverableStatus
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair, PairStatus
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.visits.models import (
    Priority,
    Recommendation,
    Visit,
    VisitKind,
    VisitReport,
    VisitStatus,
)
from tracker.visits.service import host_city

PASSWORD = "correct horse battery"

_sequence = itertools.count(1)


class Factories:
    def __init__(self, session: Any) -> None:
        self.session = session

    def _save(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.flush()
        return obj

    def theme(self, programme_key: str = "cities-grow", code: str = "A") -> Theme:
        """A theme of the bundled catalogue (loaded once per test session)."""
        return self.session.execute(
            select(Theme).join(Programme).where(Programme.key == programme_key, Theme.code == code)
        ).scalar_one()

    def organisation(
        self, kind: OrganisationKind, name: str | None = None, **values: Any
    ) -> Organisation:
        number = next(_sequence)
        return self._save(
            Organisation(
                name=name or f"{kind.value.title()} {number}",
                kind=kind,
                country=values.pop(
                    "country", "Testland" if kind is OrganisationKind.CITY else None
                ),
                **values,
            )
        )

    def city(self, name: str | None = None, **values: Any) -> Organisation:
        return self.organisation(OrganisationKind.CITY, name, **values)

    def network(self, name: str | None = None) -> Organisation:
        return self.organisation(OrganisationKind.NETWORK, name)

    def expert_organisation(self, name: str | None = None) -> Organisation:
        return self.organisation(OrganisationKind.EXPERT, name)

    def user(
        self,
        role: Role = Role.CITY,
        organisation: Organisation | None = None,
        password: str | None = PASSWORD,
        **values: Any,
    ) -> User:
        number = next(_sequence)
        if organisation is None:
            organisation = self.organisation(role.organisation_kind)
        return self._save(
            User(
                email=values.pop("email", f"user{number}@example.org"),
                name=values.pop("name", f"User {number}"),
                role=role,
                organisation=organisation,
                password_hash=hash_password(password) if password else None,
                session_version=1,
                active=values.pop("active", True),
                **values,
            )
        )

    def coordinator(self, **values: Any) -> User:
        return self.user(Role.COORDINATOR, **values)

    def city_member(self, city: Organisation | None = None, **values: Any) -> User:
        return self.user(Role.CITY, city or self.city(), **values)

    def expert(self, organisation: Organisation | None = None, **values: Any) -> User:
        return self.user(Role.EXPERT, organisation, **values)

    def pair(
        self,
        theme: Theme | None = None,
        mentor: Organisation | None = None,
        implementing: Organisation | None = None,
        status: PairStatus = PairStatus.ACTIVE,
    ) -> Pair:
        return self._save(
            Pair(
                theme=theme or self.theme(),
                mentor_city=mentor or self.city(),
                implementing_city=implementing or self.city(),
                status=status,
            )
        )

    def visit(
        self,
        pair: Pair | None = None,
        kind: VisitKind = VisitKind.MENTORING,
        status: VisitStatus = VisitStatus.PLANNED,
        starts_on: date | None = None,
        days: int = 1,
        **values: Any,
    ) -> Visit:
        pair = pair or self.pair()
        starts_on = starts_on or date.today() + timedelta(days=14)
        return self._save(
            Visit(
                pair=pair,
                kind=kind,
                host_city=host_city(pair, kind),
                status=status,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=days - 1),
                **values,
            )
        )

    def report(
        self, visit: Visit, recommendations: int = 0, author: User | None = None
    ) -> VisitReport:
        factors = visit.pair.theme.factors
        report = VisitReport(visit=visit, summary="What we saw.", author=author)
        report.recommendations = [
            Recommendation(
                position=number,
                factor=factors[number % len(factors)],
                priority=Priority.MEDIUM,
                text=f"Recommendation {number}",
            )
            for number in range(1, recommendations + 1)
        ]
        visit.status = VisitStatus.REPORTED
        return self._save(report)

    def plan(self, pair: Pair, status: PlanStatus = PlanStatus.DRAFT, **values: Any) -> ActionPlan:
        return self._save(ActionPlan(pair=pair, status=status, **values))

    def action(
        self,
        plan: ActionPlan,
        factors: list[Any] | None = None,
        status: ActionStatus = ActionStatus.NOT_STARTED,
        progress: int = 0,
        **values: Any,
    ) -> Action:
        position = len(plan.actions) + 1
        action = Action(
            plan=plan,
            position=position,
            title=values.pop("title", f"Action {position}"),
            status=status,
            progress=progress,
            factors=factors or [plan.pair.theme.factors[0]],
            **values,
        )
        return self._save(action)

    def deliverable(
        self,
        responsible: Organisation,
        pair: Pair | None = None,
        theme: Any = None,
        kind: DeliverableKind = DeliverableKind.OTHER,
        status: DeliverableStatus = DeliverableStatus.PLANNED,
        due_on: date | None = None,
        **values: Any,
    ) -> Deliverable:
        theme = pair.theme if pair else theme
        programme = theme.programme if theme else self.theme().programme
        return self._save(
            Deliverable(
                programme=programme,
                theme=theme,
                pair=pair,
                kind=kind,
                status=status,
                title=values.pop("title", f"Deliverable {next(_sequence)}"),
                responsible_organisation=responsible,
                due_on=due_on or date.today() + timedelta(days=30),
                **values,
            )
        )


def build_scheme(make: Factories) -> dict[str, Any]:
    """A pair on theme B, Helsinki mentoring Riga, with a user of every kind around it."""
    theme = make.theme(code="B")
    riga = make.city("Riga", timezone="Europe/Riga")
    helsinki = make.city("Helsinki", timezone="Europe/Helsinki")
    return {
        "pair": make.pair(theme, mentor=helsinki, implementing=riga),
        "theme": theme,
        "implementer": make.city_member(riga, name="Anna Ozola"),
        "mentor": make.city_member(helsinki, name="Mikko Virtanen"),
        "expert": make.expert(theme.expert_organisation, name="Jonathan Reed"),
        "other_expert": make.expert(make.expert_organisation(), name="Someone Else"),
        "outsider": make.city_member(make.city(), name="Outsider"),
        "coordinator": make.coordinator(name="Claire Dubois"),
    }
