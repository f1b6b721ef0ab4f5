"""A plan's figures (tracker/plans/figures.py) follow its actions whatever changes them: the
services, Core statements such as the bin's and a restore's, a recommendation deleted under an
action, and two transactions at once."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from config import TestConfig
from tests.databases import empty_database, wait_for_lock_waiters
from tracker import create_app
from tracker.catalogue.models import Programme, Theme
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.visits.models import Recommendation


def figures(plan: ActionPlan) -> tuple[int, int, int]:
    """(actions counted, progress added up, recommendations taken up), as the database has them."""
    return tuple(
        db.session.execute(
            sa.select(
                ActionPlan.actions_counted,
                ActionPlan.progress_total,
                ActionPlan.recommendations_taken_up,
            ).where(ActionPlan.id == plan.id)
        ).one()
    )


@pytest.fixture
def plan(make, scheme):
    return make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)


def test_figures_follow_actions_added_changed_dropped_and_deleted(make, scheme, plan):
    report = make.report(make.visit(scheme["pair"]), recommendations=2)
    first, second = report.recommendations
    assert figures(plan) == (0, 0, 0)
    fair = make.action(plan, title='The "Centrum" job fair', progress=40, recommendation=first)
    mentors = make.action(plan, title="Mentors for Łódź", progress=20, recommendation=first)
    assert figures(plan) == (2, 60, 1)  # one recommendation, taken up twice, counts once
    mentors.recommendation = second
    mentors.progress = 70
    db.session.flush()
    assert figures(plan) == (2, 110, 2)
    fair.status = ActionStatus.DROPPED
    db.session.flush()
    assert figures(plan) == (1, 70, 1)  # a dropped action counts for nothing
    db.session.delete(mentors)
    db.session.flush()
    assert figures(plan) == (0, 0, 0)


def test_rows_written_by_core_statements_are_counted_too(make, scheme, plan):
    """The bin and a restore put actions back with Core statements, not the ORM."""
    kept = make.action(plan, progress=10)
    table = Action.__table__
    copy = {column.name: getattr(kept, column.key) for column in table.columns}
    db.session.execute(table.insert().values({**copy, "id": kept.id + 1000, "progress": 55}))
    assert figures(plan) == (2, 65, 0)
    db.session.execute(table.delete().where(table.c.id == kept.id))
    assert figures(plan) == (1, 55, 0)


def test_a_recommendation_deleted_under_an_action_is_no_longer_taken_up(make, scheme, plan):
    (recommendation,) = make.report(make.visit(scheme["pair"]), recommendations=1).recommendations
    make.action(plan, progress=30, recommendation=recommendation)
    assert figures(plan) == (1, 30, 1)
    # The database sets the action's recommendation to NULL (ON DELETE SET NULL).
    db.session.execute(sa.delete(Recommendation).where(Recommendation.id == recommendation.id))
    assert figures(plan) == (1, 30, 0)


def test_the_orm_refuses_to_read_figures_a_loaded_plan_may_hold_stale(make, plan):
    make.action(plan, progress=30)
    db.session.expire_all()
    loaded = db.session.get(ActionPlan, plan.id)
    with pytest.raises(sa.exc.InvalidRequestError):
        _ = loaded.progress_total


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL is not set")
def test_two_transactions_changing_one_plan_at_once_both_count(tmp_path: Path):
    """Rīga's officer and München's expert save two actions of one plan at the same moment: the
    second count waits for the first transaction and sees its change (PostgreSQL; SQLite lets
    one writer at a time)."""
    with empty_database("postgresql", tmp_path, "figures") as url:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.metadata.create_all(db.engine)
            plan_id, action_ids = _plan_with_two_actions(db.engine)
            first, second = db.engine.connect(), db.engine.connect()
            first.begin()
            first.execute(_progress(action_ids[0], 50))  # holds the plan's row until its commit
            waiting = threading.Thread(target=_save_progress, args=(second, action_ids[1], 30))
            waiting.start()
            wait_for_lock_waiters(db.engine, 1, seconds=5)
            first.commit()
            waiting.join(timeout=10)
            first.close()
            with db.engine.connect() as reader:
                total = reader.execute(
                    sa.select(ActionPlan.progress_total).where(ActionPlan.id == plan_id)
                ).scalar_one()
            assert total == 80
            db.engine.dispose()


def _plan_with_two_actions(engine: sa.Engine) -> tuple[int, list[int]]:
    with Session(engine) as session:
        theme = Theme(programme=Programme(key="p", name="P"), code="A", title="Jobs")
        riga, munchen = (
            Organisation(name=name, kind=OrganisationKind.CITY, country="EU")
            for name in ("Rīga", "München")
        )
        plan = ActionPlan(pair=Pair(theme=theme, mentor_city=munchen, implementing_city=riga))
        actions = [
            Action(plan=plan, position=number, title=f"Action {number}") for number in (1, 2)
        ]
        session.add_all(actions)
        session.commit()
        return plan.id, [action.id for action in actions]


def _progress(action_id: int, progress: int) -> sa.Update:
    return sa.update(Action).where(Action.id == action_id).values(progress=progress)


def _save_progress(connection: sa.Connection, action_id: int, progress: int) -> None:
    with connection:
        connection.begin()
        connection.execute(_progress(action_id, progress))
        connection.commit()
