"""The demo stays repeatable: seeding again after a coordinator renamed a demo city creates
nothing twice and keeps the city's examples linked, by the demo's own keys (issue 18, item 8)."""

import sqlalchemy as sa

from tracker.catalogue.loader import bundled_files, link_examples_to_cities, load_files
from tracker.catalogue.models import Example
from tracker.demo import seed_demo
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair
from tracker.visits.models import Visit


def count(session, model, *where):
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def snapshot(session):
    return {model.__name__: count(session, model) for model in (Organisation, Pair, Visit, Example)}


def test_seeding_twice_after_renaming_a_demo_city_changes_nothing(app, session):
    seed_demo()
    session.flush()
    riga = session.execute(sa.select(Organisation).where(Organisation.name == "Riga")).scalar_one()
    linked = count(session, Example, Example.city_id == riga.id)
    riga.name = "Rīga"
    session.flush()
    before = snapshot(session)

    seed_demo()  # what `make run` does each time it starts
    session.flush()
    seed_demo()
    session.flush()
    assert snapshot(session) == before
    assert (
        session.execute(sa.select(Organisation.name).where(Organisation.id == riga.id)).scalar_one()
        == "Rīga"
    )
    assert count(session, Organisation, Organisation.name == "Riga") == 0

    load_files(bundled_files())  # the catalogue loaded again
    link_examples_to_cities()
    session.flush()
    assert count(session, Example, Example.city_id == riga.id) == linked


def test_a_new_organisation_with_a_renamed_demo_city_s_old_name_stays_apart(app, session, make):
    seed_demo()
    session.flush()
    riga = session.execute(
        sa.select(Organisation).where(Organisation.demo_key == "riga")
    ).scalar_one()
    riga.name = "Rīga (LV)"
    newcomer = make.city("Riga")
    pairs = count(session, Pair)
    seed_demo()
    session.flush()
    assert count(session, Pair) == pairs
    assert newcomer.demo_key is None and riga.demo_key == "riga"
    assert count(session, Organisation, Organisation.name.like("Riga%")) == 1


def test_demo_recommendations_and_actions_fit_their_factors(app, session):
    from tracker.plans.models import Action
    from tracker.visits.models import Recommendation

    seed_demo()
    session.flush()
    recommendations = session.execute(sa.select(Recommendation)).scalars().all()
    assert recommendations
    by_theme = {}
    for recommendation in recommendations:
        theme = recommendation.report.visit.pair.theme
        assert recommendation.factor.theme_id == theme.id
        by_theme.setdefault(theme.code, set()).add(recommendation.text)
    # Each theme's visits find what belongs to that theme, not one text for all.
    assert len({frozenset(texts) for texts in by_theme.values()}) == len(by_theme) > 1
    taken = (
        session.execute(sa.select(Action).where(Action.recommendation_id.is_not(None)))
        .scalars()
        .all()
    )
    assert taken and all(action.recommendation.factor in action.factors for action in taken)


def test_the_demo_programme_runs_when_its_activity_does(app, session):
    from datetime import date

    from tracker.catalogue.models import Programme

    seed_demo(date(2026, 3, 2))
    session.flush()
    programme = session.execute(
        sa.select(Programme).where(Programme.key == "cities-grow")
    ).scalar_one()
    first = session.execute(sa.select(sa.func.min(Visit.starts_on))).scalar_one()
    last = session.execute(sa.select(sa.func.max(Pair.ends_on))).scalar_one()
    assert programme.period_start <= first and last <= programme.period_end
    assert programme.period_start.year >= 2025
