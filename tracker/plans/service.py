"""Local action plans: writing the plan and its actions, review, endorsement, progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.catalogue.models import Example, Factor
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.files.service import Upload, attach
from tracker.links import path_to
from tracker.locking import check_version, touch
from tracker.messages import N_, Percent, in_sentence
from tracker.notifications.service import notify
from tracker.pairs.models import Pair
from tracker.pairs.queries import pair_people
from tracker.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Endorsement,
    EndorsementLevel,
    PlanComment,
    PlanStatus,
    ProgressUpdate,
)
from tracker.plans.queries import pair_recommendation
from tracker.visits.models import Recommendation
from tracker.workflow import check_transition

P = PlanStatus
PLAN_TRANSITIONS = {
    P.DRAFT: frozenset({P.UNDER_REVIEW}),
    P.UNDER_REVIEW: frozenset({P.DRAFT, P.ADMIN_ENDORSED}),
    P.ADMIN_ENDORSED: frozenset({P.POLITICALLY_ENDORSED}),
    P.POLITICALLY_ENDORSED: frozenset({P.IN_IMPLEMENTATION}),
    P.IN_IMPLEMENTATION: frozenset({P.COMPLETED}),
    P.COMPLETED: frozenset(),
}
# Endorsed statuses are reached only by recording the endorsement, with its body and date.
ENDORSEMENT_STEPS = {
    EndorsementLevel.ADMINISTRATIVE: (P.UNDER_REVIEW, P.ADMIN_ENDORSED),
    EndorsementLevel.POLITICAL: (P.ADMIN_ENDORSED, P.POLITICALLY_ENDORSED),
}
MANUAL_TRANSITIONS = {
    status: targets - {P.ADMIN_ENDORSED, P.POLITICALLY_ENDORSED}
    for status, targets in PLAN_TRANSITIONS.items()
}
CLOSED_ACTION = frozenset({ActionStatus.DONE, ActionStatus.DROPPED})


def plan_link(pair_id: int) -> str:
    return path_to("plans.show", pair_id=pair_id)


def start_plan(actor: User, pair: Pair, objective: str = "") -> ActionPlan:
    """Create the pair's action plan, as a draft."""
    if db.session.execute(sa.select(ActionPlan.id).where(ActionPlan.pair_id == pair.id)).first():
        raise RuleViolation(_("This pair already has an action plan."))
    plan = ActionPlan(
        pair=pair,
        objective=objective.strip(),
        status=PlanStatus.DRAFT,
        period_start=pair.starts_on,
        period_end=pair.ends_on,
    )
    db.session.add(plan)
    db.session.flush()
    record(
        actor,
        "plan.started",
        plan,
        N_("Started the action plan of %(pair)s", pair=pair.label),
        pair_id=pair.id,
    )
    return plan


def update_plan(
    actor: User,
    plan: ActionPlan,
    *,
    objective: str,
    period_start: date | None,
    period_end: date | None,
    expected_version: int | None,
) -> None:
    """Change the plan's objective and period."""
    check_version(plan, expected_version)
    _refuse_if_completed(plan)
    if period_start and period_end and period_end < period_start:
        raise RuleViolation(_("The plan cannot end before it starts."), "period_end")
    plan.objective, plan.period_start, plan.period_end = objective.strip(), period_start, period_end
    touch(plan)
    record(
        actor,
        "plan.updated",
        plan,
        N_("Updated the action plan of %(pair)s", pair=plan.pair.label),
        pair_id=plan.pair_id,
    )


def change_plan_status(actor: User, plan: ActionPlan, status: PlanStatus) -> None:
    """Submit for review, return for changes, start or complete implementation."""
    check_transition(MANUAL_TRANSITIONS, plan.status, status)
    if status is PlanStatus.UNDER_REVIEW and not plan.actions:
        raise RuleViolation(_("Add at least one action before submitting the plan for review."))
    _move(actor, plan, status)


def record_endorsement(
    actor: User,
    plan: ActionPlan,
    *,
    level: EndorsementLevel,
    body: str,
    decided_on: date,
    endorsed_by: str = "",
    document_url: str | None = None,
    today: date,
) -> Endorsement:
    """Record an administrative or political endorsement; the plan moves on with it."""
    required, reached = ENDORSEMENT_STEPS[level]
    if plan.status is not required:
        raise RuleViolation(
            _("The administrative endorsement is recorded while the plan is under review.")
            if level is EndorsementLevel.ADMINISTRATIVE
            else _("The political endorsement is recorded after the administrative one.")
        )
    if decided_on > today:
        raise RuleViolation(_("The decision date cannot be in the future."), "decided_on")
    if not body.strip():
        raise RuleViolation(_("Name the body that endorsed the plan."), "body")
    endorsement = Endorsement(
        level=level,
        body=body.strip(),
        decided_on=decided_on,
        endorsed_by=endorsed_by.strip(),
        document_url=document_url or None,
        recorded_by_id=actor.id,
    )
    plan.endorsements.append(endorsement)
    _move(actor, plan, reached, endorsement)
    return endorsement


def _move(
    actor: User, plan: ActionPlan, status: PlanStatus, endorsement: Endorsement | None = None
) -> None:
    previous, plan.status = plan.status, status
    plan.status_changed_at = utcnow()
    pair = plan.pair
    moved = {"pair": pair.label, "previous": previous, "status": status}
    record(
        actor,
        "plan.status_changed",
        plan,
        N_(
            "Action plan of %(pair)s: %(previous)s → %(status)s (%(body)s, %(date)s)",
            body=endorsement.body,
            date=endorsement.decided_on,
            **moved,
        )
        if endorsement
        else N_("Action plan of %(pair)s: %(previous)s → %(status)s", **moved),
        pair_id=pair.id,
        previous=previous,
        status=status,
    )
    notify(
        pair_people(pair),
        "plan_status",
        N_(
            "The action plan of %(pair)s is now %(status)s",
            pair=pair.label,
            status=in_sentence(status),
        ),
        plan_link(pair.id),
        actor=actor,
    )


def _refuse_if_completed(plan: ActionPlan) -> None:
    if plan.status is PlanStatus.COMPLETED:
        raise RuleViolation(_("The plan is completed and can no longer be changed."))


@dataclass
class ActionInput:
    title: str
    factor_ids: list[int]
    description: str = ""
    owner_user_id: int | None = None
    owner_name: str = ""
    partners: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    resources: str = ""
    indicator: str = ""
    target: str = ""
    example_id: int | None = None
    recommendation_id: int | None = None


def save_action(
    actor: User,
    plan: ActionPlan,
    action: Action | None,
    data: ActionInput,
    expected_version: int | None = None,
) -> Action:
    """Create an action (when None is given) or change one."""
    _refuse_if_completed(plan)
    if action is not None:
        check_version(action, expected_version)
    if not data.title.strip():
        raise RuleViolation(_("Give the action a title."), "title")
    factors = _theme_factors(plan, data.factor_ids)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise RuleViolation(_("The action cannot end before it starts."), "ends_on")
    owner = _owner(plan, data.owner_user_id)
    example = _example(plan, data.example_id)
    recommendation = _recommendation(plan, data.recommendation_id)
    if recommendation is not None and (action is None or action.recommendation_id is None):
        _refuse_if_taken_up(plan, recommendation)
    is_new = action is None
    if action is None:
        action = Action(
            plan=plan, position=_next_position(plan), status=ActionStatus.NOT_STARTED, progress=0
        )
        db.session.add(action)
    action.title, action.description = data.title.strip(), data.description.strip()
    action.factors = factors
    action.owner_user, action.owner_name = owner, data.owner_name.strip()
    action.partners, action.resources = data.partners.strip(), data.resources.strip()
    action.indicator, action.target = data.indicator.strip(), data.target.strip()
    action.starts_on, action.ends_on = data.starts_on, data.ends_on
    action.example, action.recommendation = example, recommendation
    touch(action)
    db.session.flush()
    record(
        actor,
        "action.created" if is_new else "action.updated",
        action,
        N_("Added the action '%(title)s' of %(pair)s", title=action.title, pair=plan.pair.label)
        if is_new
        else N_(
            "Changed the action '%(title)s' of %(pair)s", title=action.title, pair=plan.pair.label
        ),
        pair_id=plan.pair_id,
    )
    return action


def post_progress(
    actor: User,
    action: Action,
    *,
    status: ActionStatus,
    progress: int,
    note: str = "",
    evidence_url: str | None = None,
    uploads: list[Upload] | None = None,
    notify_reviewers: bool = True,
) -> ProgressUpdate:
    """Add a progress update, with its evidence files if any; the action shows the latest.
    History is never overwritten."""
    if not 0 <= progress <= 100:
        raise RuleViolation(_("Progress is a percentage between 0 and 100."), "progress")
    if status is ActionStatus.DONE and progress != 100:
        raise RuleViolation(_("A done action is %(percent)d%% complete.", percent=100), "progress")
    plan = action.plan
    # Two people posting at once is not a conflict: both updates are history. Lock the plan's
    # row, then the action's, and re-read them, so concurrent posts queue (PostgreSQL) instead
    # of failing on the version both had read (SQLite's BEGIN IMMEDIATE already queues them).
    _lock_row(plan)
    _lock_row(action)
    _refuse_if_completed(plan)
    update = ProgressUpdate(
        action=action,
        author_id=actor.id,
        status=status,
        progress=progress,
        note=note.strip(),
        evidence_url=evidence_url or None,
    )
    db.session.add(update)
    plan.last_progress_at = update.created_at = utcnow()
    action.status, action.progress = status, progress
    touch(action)
    record(
        actor,
        "action.progress",
        action,
        N_(
            "%(city)s posted progress on action '%(title)s' of %(pair)s — %(progress)s, %(status)s",
            city=plan.pair.implementing_city.name,
            title=action.title,
            pair=plan.pair.label,
            progress=Percent(progress),
            status=in_sentence(status),
        ),
        pair_id=plan.pair_id,
        progress=progress,
        status=status,
    )
    if uploads:
        attach(actor, uploads, update)
    if notify_reviewers:
        notify_progress(actor, plan, [action])
    return update


def _lock_row(obj: ActionPlan | Action) -> None:
    model = type(obj)
    db.session.execute(
        sa.select(model)
        .where(model.id == obj.id)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    ).scalar_one()


def notify_progress(actor: User, plan: ActionPlan, actions: list[Action]) -> None:
    """Tell the mentor city and the expert partner, in one notification however many actions."""
    pair = plan.pair
    subject = (
        N_(
            "%(pair)s: %(city)s posted progress on '%(title)s'",
            pair=pair.label,
            city=pair.implementing_city.name,
            title=actions[0].title,
        )
        if len(actions) == 1
        else N_(
            "%(pair)s: %(city)s posted progress on %(count)d actions",
            pair=pair.label,
            city=pair.implementing_city.name,
            count=len(actions),
        )
    )
    notify(
        pair_people(pair, implementing=False), "progress", subject, plan_link(pair.id), actor=actor
    )


def add_comment(
    actor: User, plan: ActionPlan, body: str, action: Action | None = None
) -> PlanComment:
    """A reviewer's (or the city's) comment on the plan or on one of its actions."""
    if not body.strip():
        raise RuleViolation(_("Write a comment first."), "body")
    if action is not None and action.plan_id != plan.id:
        raise RuleViolation(_("That action is not part of this plan."))
    comment = PlanComment(
        plan_id=plan.id,
        action_id=action.id if action else None,
        author_id=actor.id,
        body=body.strip(),
    )
    db.session.add(comment)
    db.session.flush()
    pair = plan.pair
    record(
        actor,
        "plan.commented",
        comment,
        N_(
            "%(name)s commented on the action '%(title)s' of %(pair)s",
            name=actor.name,
            title=action.title,
            pair=pair.label,
        )
        if action
        else N_(
            "%(name)s commented on the action plan of %(pair)s", name=actor.name, pair=pair.label
        ),
        pair_id=pair.id,
    )
    notify(
        pair_people(pair),
        "comment",
        N_("%(name)s commented on the action plan of %(pair)s", name=actor.name, pair=pair.label),
        plan_link(pair.id) + (f"#action-{action.id}" if action else "#comments"),
        body=body.strip()[:1000],
        actor=actor,
    )
    return comment


def _theme_factors(plan: ActionPlan, factor_ids: list[int]) -> list[Factor]:
    if not factor_ids:
        raise RuleViolation(
            _("Choose at least one benchmark factor the action works on."), "factor_ids"
        )
    factors = (
        db.session.execute(
            sa.select(Factor).where(
                Factor.id.in_(factor_ids), Factor.theme_id == plan.pair.theme_id
            )
        )
        .scalars()
        .all()
    )
    if len(factors) != len(set(factor_ids)):
        raise RuleViolation(
            _("An action can only target factors of the pair's theme."), "factor_ids"
        )
    return sorted(factors, key=lambda factor: factor.position)


def _owner(plan: ActionPlan, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != plan.pair.implementing_city_id:
        raise RuleViolation(
            _("The owner must be a member of the implementing city."), "owner_user_id"
        )
    return user


def _example(plan: ActionPlan, example_id: int | None) -> Example | None:
    if example_id is None:
        return None
    example = db.session.execute(
        sa.select(Example)
        .join(Factor)
        .where(Example.id == example_id, Factor.theme_id == plan.pair.theme_id)
    ).scalar_one_or_none()
    if example is None:
        raise RuleViolation(_("Choose a good-practice example of the pair's theme."), "example_id")
    return example


def _recommendation(plan: ActionPlan, recommendation_id: int | None) -> Recommendation | None:
    if recommendation_id is None:
        return None
    recommendation = pair_recommendation(plan.pair_id, recommendation_id)
    if recommendation is None:
        raise RuleViolation(_("That recommendation was not made to this pair."))
    return recommendation


def _refuse_if_taken_up(plan: ActionPlan, recommendation: Recommendation) -> None:
    """A recommendation becomes one action (again, once the earlier one was dropped)."""
    existing = db.session.execute(
        sa.select(Action.title).where(
            Action.plan_id == plan.id,
            Action.recommendation_id == recommendation.id,
            Action.status != ActionStatus.DROPPED,
        )
    ).first()
    if existing is not None:
        raise RuleViolation(
            _("This recommendation is already the action '%(title)s'.", title=existing.title)
        )


def _next_position(plan: ActionPlan) -> int:
    current = db.session.execute(
        sa.select(sa.func.max(Action.position)).where(Action.plan_id == plan.id)
    ).scalar_one()
    return (current or 0) + 1
