"""Reminders about action plans: no progress, actions due or untouched, a review or an
endorsement waiting."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.clock import scheduler_today
from tracker.db import as_utc
from tracker.extensions import db
from tracker.links import path_to
from tracker.messages import N_
from tracker.pairs.models import LIVE_PAIR_STATUSES, Pair
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.reminders.engine import Reminder
from tracker.reminders.rules.common import (
    REVIEWERS,
    DueTexts,
    active_users,
    catch_up,
    due_reminder,
    for_each_recipient,
    pair_label,
    setting,
    with_pair,
)

FINISHED_ACTION = (ActionStatus.DONE, ActionStatus.DROPPED)
IMPLEMENTING_PLAN = (PlanStatus.POLITICALLY_ENDORSED, PlanStatus.IN_IMPLEMENTATION)
ACTION_TEXTS = DueTexts(
    due=N_("Action due on %(date)s: %(title)s"),
    overdue=N_("Action overdue since %(date)s: %(title)s"),
)


def plans_without_progress(now: datetime) -> list[Reminder]:
    """A plan being carried out with no progress for a while: the implementing city, again
    after each such period."""
    days = setting("plan_stale_days")
    last_activity = ActionPlan.last_activity
    rows = db.session.execute(
        with_pair(
            sa.select(User.id, ActionPlan.pair_id, last_activity, pair_label()), ActionPlan.pair_id
        )
        .join(User, User.organisation_id == Pair.implementing_city_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            ActionPlan.status.in_(IMPLEMENTING_PLAN),
            last_activity <= now - timedelta(days=days),
            active_users(),
        )
    )
    reminders = []
    for user_id, pair_id, last, pair in rows:
        quiet_days = (now - as_utc(last)).days
        reminders.append(
            Reminder(
                user_id,
                "plan_stale",
                f"plan:{pair_id}:stale:{quiet_days // days}",
                N_(
                    "No progress posted on the action plan of %(pair)s for %(days)d days",
                    pair=pair,
                    days=quiet_days,
                ),
                path_to("plans.show", pair_id=pair_id),
            )
        )
    return reminders


def actions_due(now: datetime) -> list[Reminder]:
    """An unfinished action due soon or overdue: its owner, or the implementing city."""
    today = scheduler_today(now)
    horizon = today + timedelta(days=setting("action_due_days"))
    rows = for_each_recipient(
        sa.select(User.id, Action.id, Action.title, Action.ends_on)
        .select_from(Action)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            Action.status.not_in(FINISHED_ACTION),
            ActionPlan.status != PlanStatus.COMPLETED,
            catch_up(Action.ends_on, horizon, since=today),
            active_users(),
        ),
        # The owner if the action names one, else every member of the implementing city.
        User.id == Action.owner_user_id,
        sa.and_(Action.owner_user_id.is_(None), User.organisation_id == Pair.implementing_city_id),
    )
    return [
        due_reminder(
            user_id,
            "action_due",
            f"action:{action_id}",
            ends_on,
            today,
            title,
            ACTION_TEXTS,
            path_to("plans.show_action", action_id=action_id),
        )
        for user_id, action_id, title, ends_on in rows
    ]


def actions_untouched(now: datetime) -> list[Reminder]:
    """An unfinished action nobody updated for long: the mentor city and the expert partner."""
    days = setting("action_untouched_days")
    rows = for_each_recipient(
        with_pair(
            sa.select(User.id, Action.id, Action.title, Action.updated_at, pair_label())
            .select_from(Action)
            .join(ActionPlan, ActionPlan.id == Action.plan_id),
            ActionPlan.pair_id,
        ).where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            Action.status.not_in(FINISHED_ACTION),
            ActionPlan.status == PlanStatus.IN_IMPLEMENTATION,
            catch_up(Action.updated_at, now - timedelta(days=days)),
            active_users(),
        ),
        *REVIEWERS,
    )
    return [
        Reminder(
            user_id,
            "action_untouched",
            f"action:{action_id}:untouched:{as_utc(updated).date().isoformat()}",
            N_(
                "Nobody has updated the action '%(title)s' of %(pair)s for %(days)d days",
                title=title,
                pair=pair,
                days=(now - as_utc(updated)).days,
            ),
            path_to("plans.show_action", action_id=action_id),
        )
        for user_id, action_id, title, updated, pair in rows
    ]


def plans_waiting_for_review(now: datetime) -> list[Reminder]:
    """A plan under review for a while: the mentor city and the expert partner."""
    rows = for_each_recipient(
        with_pair(
            sa.select(
                User.id, ActionPlan.pair_id, ActionPlan.status_changed_at, pair_label()
            ).select_from(ActionPlan),
            ActionPlan.pair_id,
        ).where(
            ActionPlan.status == PlanStatus.UNDER_REVIEW,
            ActionPlan.status_changed_at <= now - timedelta(days=setting("review_waiting_days")),
            active_users(),
        ),
        *REVIEWERS,
    )
    return [
        Reminder(
            user_id,
            "review_waiting",
            f"plan:{pair_id}:review:{as_utc(since).date().isoformat()}",
            N_(
                "The action plan of %(pair)s has been waiting for your review for %(days)d days",
                pair=pair,
                days=(now - as_utc(since)).days,
            ),
            path_to("plans.show", pair_id=pair_id),
        )
        for user_id, pair_id, since, pair in rows
    ]


def endorsements_pending(now: datetime) -> list[Reminder]:
    """An endorsement not recorded for a while: the implementing city, repeated until it is."""
    days, repeat = setting("endorsement_pending_days"), setting("endorsement_repeat_days")
    rows = db.session.execute(
        with_pair(
            sa.select(
                User.id,
                ActionPlan.pair_id,
                ActionPlan.status,
                ActionPlan.status_changed_at,
                pair_label(),
            ),
            ActionPlan.pair_id,
        )
        .join(User, User.organisation_id == Pair.implementing_city_id)
        .where(
            ActionPlan.status.in_([PlanStatus.UNDER_REVIEW, PlanStatus.ADMIN_ENDORSED]),
            ActionPlan.status_changed_at <= now - timedelta(days=days),
            active_users(),
        )
    )
    reminders = []
    for user_id, pair_id, status, since, pair in rows:
        waiting = (now - as_utc(since)).days
        level = N_("administrative") if status is PlanStatus.UNDER_REVIEW else N_("political")
        reminders.append(
            Reminder(
                user_id,
                "endorsement_pending",
                f"plan:{pair_id}:endorsement:{status.value}:{as_utc(since).date().isoformat()}:"
                f"{(waiting - days) // repeat}",
                N_(
                    "The %(level)s endorsement of the action plan of %(pair)s is still to be "
                    "recorded (%(days)d days)",
                    level=level,
                    pair=pair,
                    days=waiting,
                ),
                path_to("plans.show", pair_id=pair_id),
            )
        )
    return reminders
