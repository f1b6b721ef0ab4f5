"""Reading a plan: its actions, roll-ups per benchmark factor, late actions and gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, load_only, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from tracker.assessments.queries import latest_levels
from tracker.auth.models import User
from tracker.catalogue.models import Example, Factor
from tracker.extensions import db
from tracker.pairs.models import Pair
from tracker.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Endorsement,
    PlanComment,
    ProgressUpdate,
    action_factor,
)
from tracker.visits.models import Recommendation, Visit, VisitReport

GAP_LEVEL = 1  # factors rated this low or lower need an action
CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)


@dataclass
class FactorProgress:
    factor: Factor
    actions: int
    progress: int  # mean progress of the factor's actions that are not dropped
    done: int
    late: int
    level: int | None  # latest self-assessed level, if any

    @property
    def is_gap(self) -> bool:
        return self.level is not None and self.level <= GAP_LEVEL and self.actions == 0


@dataclass
class PlanOverview:
    plan: ActionPlan
    factors: list[FactorProgress]
    progress: int
    late: set[int]
    comments: dict[int | None, list[PlanComment]] = field(default_factory=dict)
    recommendations: list[tuple[Recommendation, list[Action]]] = field(default_factory=list)

    @property
    def gaps(self) -> list[FactorProgress]:
        return [row for row in self.factors if row.is_gap]

    @property
    def adopted(self) -> int:
        """Recommendations taken up: at least one of their actions is not dropped."""
        return sum(1 for _recommendation, actions in self.recommendations if is_taken_up(actions))

    @property
    def dropped(self) -> int:
        """Recommendations taken up once, whose every action was later dropped."""
        return sum(
            1
            for _recommendation, actions in self.recommendations
            if actions and not is_taken_up(actions)
        )


def is_taken_up(actions: list[Action]) -> bool:
    """Whether a recommendation whose actions these are is taken up (a dropped action does
    not count)."""
    return any(action.status is not ActionStatus.DROPPED for action in actions)


def taken_up(recommendation_id: Any) -> sa.ColumnElement[bool]:
    """The same rule in SQL, for the recommendation whose id is given."""
    return sa.exists().where(
        Action.recommendation_id == recommendation_id, Action.status != ActionStatus.DROPPED
    )


def later_dropped(recommendation_id: Any) -> sa.ColumnElement[bool]:
    """In SQL: the recommendation was taken up, but every one of its actions was dropped."""
    return sa.and_(
        sa.exists().where(Action.recommendation_id == recommendation_id),
        sa.not_(taken_up(recommendation_id)),
    )


def pair_recommendation(pair_id: int, recommendation_id: int) -> Recommendation | None:
    """A recommendation made to the pair at one of its visits (None for any other)."""
    return db.session.execute(
        sa.select(Recommendation)
        .join(VisitReport)
        .join(Visit)
        .where(Recommendation.id == recommendation_id, Visit.pair_id == pair_id)
        .options(joinedload(Recommendation.factor))
    ).scalar_one_or_none()


def is_late(action: Action, today: date) -> bool:
    return action.ends_on is not None and action.ends_on < today and action.status not in CLOSED


def plan_for_pair(pair: Pair) -> ActionPlan | None:
    """The pair's plan with its actions in full: everything the printable plan and the
    exports write about them."""
    return _plan(
        pair,
        selectinload(Action.factors),
        joinedload(Action.owner_user),
        joinedload(Action.recommendation),
        joinedload(Action.example),
    )


def plan_for_page(pair: Pair) -> ActionPlan | None:
    """The pair's plan with only what its page shows of each action: title, owner, end,
    status, progress and whether it came from a recommendation (its factors come from
    `factor_names`). A hundred actions read whole (their long texts, recommendations,
    examples, factors and owners' accounts) took a third of the page's time."""
    return _plan(
        pair,
        load_only(
            Action.title,
            Action.owner_name,
            Action.ends_on,
            Action.status,
            Action.progress,
            Action.recommendation_id,
        ),
        joinedload(Action.owner_user).load_only(User.name),
    )


def factor_names(plan_id: int) -> dict[int, list[tuple[int, str]]]:
    """The position and title of each action's factors, in the factors' order, by action id:
    read as plain rows, several times faster than a factor object for every action's link."""
    names: dict[int, list[tuple[int, str]]] = {}
    for action_id, position, title in db.session.execute(
        sa.select(action_factor.c.action_id, Factor.position, Factor.title)
        .join(Factor, Factor.id == action_factor.c.factor_id)
        .join(Action, Action.id == action_factor.c.action_id)
        .where(Action.plan_id == plan_id)
        .order_by(Factor.position)
    ):
        names.setdefault(action_id, []).append((position, title))
    return names


def _plan(pair: Pair, *action_options: LoaderOption) -> ActionPlan | None:
    return (
        db.session.execute(
            sa.select(ActionPlan)
            .where(ActionPlan.pair_id == pair.id)
            .options(
                selectinload(ActionPlan.actions).options(*action_options),
                # At most one endorsement of each level: joined to the plan's one row, they
                # need no query (and round trip) of their own.
                joinedload(ActionPlan.endorsements).joinedload(Endorsement.recorded_by),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def plan_overview(plan: ActionPlan, today: date) -> PlanOverview:
    factors = list(
        db.session.execute(
            sa.select(Factor)
            .where(Factor.theme_id == plan.pair.theme_id, Factor.is_live)
            .order_by(Factor.position)
        ).scalars()
    )
    levels = latest_levels(plan.pair.implementing_city_id, plan.pair.theme_id)
    rollup = factor_rollup(plan.id, today)
    rows = [
        FactorProgress(factor, *rollup.get(factor.id, (0, 0, 0, 0)), level=levels.get(factor.id))
        for factor in factors
    ]
    return PlanOverview(
        plan=plan,
        factors=rows,
        progress=plan_progress(plan),
        late={action.id for action in plan.actions if is_late(action, today)},
        comments=plan_comments(plan.id),
        recommendations=_recommendations(plan),
    )


def plan_progress(plan: ActionPlan) -> int:
    """The plan's progress: the mean progress of its actions that are not dropped."""
    open_actions = [action for action in plan.actions if action.status is not ActionStatus.DROPPED]
    if not open_actions:
        return 0
    return round(sum(action.progress for action in open_actions) / len(open_actions))


def adopted_recommendations(plan: ActionPlan) -> int:
    """How many recommendations the plan's actions took up, counted from the actions alone
    (an action only ever takes up a recommendation made to its own pair)."""
    return sum(1 for actions in _actions_by_recommendation(plan).values() if is_taken_up(actions))


def _actions_by_recommendation(plan: ActionPlan) -> dict[int, list[Action]]:
    by_recommendation: dict[int, list[Action]] = {}
    for action in plan.actions:
        if action.recommendation_id:
            by_recommendation.setdefault(action.recommendation_id, []).append(action)
    return by_recommendation


def factor_rollup(plan_id: int, today: date) -> dict[int, tuple[int, int, int, int]]:
    """Per factor: (actions, mean progress, done, late), over actions that are not dropped."""
    late = sa.case((sa.and_(Action.ends_on < today, Action.status.not_in(CLOSED)), 1), else_=0)
    done = sa.case((Action.status == ActionStatus.DONE, 1), else_=0)
    rows = db.session.execute(
        sa.select(
            action_factor.c.factor_id,
            sa.func.count(Action.id),
            sa.func.avg(Action.progress),
            sa.func.sum(done),
            sa.func.sum(late),
        )
        .join(Action, Action.id == action_factor.c.action_id)
        .where(Action.plan_id == plan_id, Action.status != ActionStatus.DROPPED)
        .group_by(action_factor.c.factor_id)
    )
    return {
        factor_id: (count, round(float(mean or 0)), int(done_count or 0), int(late_count or 0))
        for factor_id, count, mean, done_count, late_count in rows
    }


def plan_comments(plan_id: int) -> dict[int | None, list[PlanComment]]:
    comments: dict[int | None, list[PlanComment]] = {}
    for comment in db.session.execute(
        sa.select(PlanComment)
        .where(PlanComment.plan_id == plan_id)
        .options(joinedload(PlanComment.author).joinedload(User.organisation))
        .order_by(PlanComment.created_at)
    ).scalars():
        comments.setdefault(comment.action_id, []).append(comment)
    return comments


def _recommendations(plan: ActionPlan) -> list[tuple[Recommendation, list[Action]]]:
    """Every recommendation made to the pair, with the actions that took it up: what the plan
    page shows of each (its factor's title, its visit's kind and day), from the joins that
    find them rather than a second join of the report and visit, without their long texts."""
    recommendations = (
        db.session.execute(
            sa.select(Recommendation)
            .join(Recommendation.report)
            .join(VisitReport.visit)
            .where(Visit.pair_id == plan.pair_id)
            .options(
                load_only(Recommendation.text, Recommendation.priority),
                joinedload(Recommendation.factor).load_only(Factor.title),
                contains_eager(Recommendation.report)
                .load_only(VisitReport.visit_id)
                .contains_eager(VisitReport.visit)
                .load_only(Visit.kind, Visit.starts_on),
            )
            .order_by(Visit.starts_on, Recommendation.position)
        )
        .scalars()
        .all()
    )
    by_recommendation = _actions_by_recommendation(plan)
    return [(item, by_recommendation.get(item.id, [])) for item in recommendations]


def action_history(action: Action) -> list[ProgressUpdate]:
    return list(
        db.session.execute(
            sa.select(ProgressUpdate)
            .where(ProgressUpdate.action_id == action.id)
            .options(
                joinedload(ProgressUpdate.author),
                joinedload(ProgressUpdate.withdrawal),
                selectinload(ProgressUpdate.attachments),
            )
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        ).scalars()
    )


def example_choices(pair: Pair) -> list[Example]:
    """The theme's good-practice examples, the mentor city's first."""
    examples = (
        db.session.execute(
            sa.select(Example)
            .join(Factor)
            .where(Factor.theme_id == pair.theme_id, Factor.is_live, Example.is_live)
            .order_by(Factor.position, Example.city_name)
        )
        .scalars()
        .all()
    )
    return sorted(examples, key=lambda example: example.city_id != pair.mentor_city_id)
