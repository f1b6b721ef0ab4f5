"""Rules the database enforces on other objects."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from tracker.assessments.models import Assessment, AssessmentRound, FactorRating
from tracker.benchmarks.queries import latest_version
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.plans.models import Action, ActionPlan


def test_a_city_needs_a_country(session):
    session.add(Organisation(name="Nowhere", kind=OrganisationKind.CITY))
    with pytest.raises(IntegrityError, match="city_has_country"):
        session.flush()


def test_an_enum_column_refuses_unknown_values(session, make):
    pair = make.pair()
    with pytest.raises((StatementError, LookupError)):
        session.add(ActionPlan(pair=pair, status="approved-by-magic"))
        session.flush()


def test_ratings_stay_on_the_zero_to_four_scale(session, make):
    theme = make.theme()
    assessment = Assessment(
        city=make.city(),
        theme=theme,
        benchmark_version=latest_version(theme.id),
        round=AssessmentRound.BASELINE,
        assessed_on=date(2026, 1, 1),
    )
    assessment.ratings.append(FactorRating(factor=theme.factors[0], level=5))
    session.add(assessment)
    with pytest.raises(IntegrityError, match="level_on_scale"):
        session.flush()


def test_one_baseline_per_city_and_theme(session, make):
    city, theme = make.city(), make.theme()
    for _ in range(2):
        session.add(
            Assessment(
                city=city,
                theme=theme,
                benchmark_version=latest_version(theme.id),
                round=AssessmentRound.BASELINE,
                assessed_on=date(2026, 1, 1),
            )
        )
    with pytest.raises(IntegrityError):
        session.flush()


def test_action_progress_is_a_percentage(session, make):
    plan = ActionPlan(pair=make.pair())
    plan.actions.append(Action(title="Supplier day", position=1, progress=120))
    session.add(plan)
    with pytest.raises(IntegrityError, match="progress_is_percentage"):
        session.flush()


def test_one_action_plan_per_pair(session, make):
    pair = make.pair()
    session.add_all([ActionPlan(pair=pair), ActionPlan(pair=pair)])
    with pytest.raises(IntegrityError):
        session.flush()
