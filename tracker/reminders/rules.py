"""The reminder rules. Each finds, in one query, who must be reminded of what right now.

Keys name the rule, the object and the occasion (the date the reminder is about, or the period
for repeating ones), so moving a due date brings a fresh reminder while a second run brings none.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from tracker.auth.models import Role, User
from tracker.catalogue.models import Theme
from tracker.dates import long_date
from tracker.db import as_utc
from tracker.deliverables.models import Deliverable, DeliverableStatus
from tracker.extensions import db
from tracker.links import path_to
from tracker.organisations.models import Organisation
from tracker.pairs.models import LIVE_PAIR_STATUSES, Pair
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.reminders.engine import Reminder, Rule
from tracker.visits.models import FollowUp, Visit, VisitParticipant, VisitReport, VisitStatus

Mentor, Implementing = aliased(Organisation), aliased(Organisation)
FINISHED_ACTION = (ActionStatus.DONE, ActionStatus.DROPPED)
IMPLEMENTING_PLAN = (PlanStatus.POLITICALLY_ENDORSED, PlanStatus.IN_IMPLEMENTATION)
# Who reviews an implementing city's plan and actions: the mentor city and the expert partner.
REVIEWERS = (
    User.organisation_id == Pair.mentor_city_id,
    User.organisation_id == Theme.expert_organisation_id,
)


def setting(name: str):
    return current_app.config["REMINDERS"][name]


def catch_up(column, moment, since=None):
    """The column's moment came, but not longer ago than the catch-up window (counted back from
    `since`, by default from the moment itself)."""
    start = (since if since is not None else moment) - timedelta(days=setting("catch_up_days"))
    return sa.and_(column <= moment, column >= start)


def local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["SCHEDULER_TIMEZONE"])).date()


def _pair_label() -> sa.ColumnElement[str]:
    return Mentor.name + " → " + Implementing.name


def _with_pair(query: sa.Select, pair_id_column) -> sa.Select:
    return (
        query.join(Pair, Pair.id == pair_id_column)
        .join(Mentor, Mentor.id == Pair.mentor_city_id)
        .join(Implementing, Implementing.id == Pair.implementing_city_id)
    )


def _for_each_recipient(query: sa.Select, *recipients: sa.ColumnElement[bool]) -> sa.Result:
    """Run the query once for each way a user can be a recipient, joining User on each condition
    in turn: with an OR in one join condition, PostgreSQL compares every user with every row."""
    return db.session.execute(
        sa.union_all(*(query.join(User, recipient) for recipient in recipients))
    )


def _active_users() -> sa.ColumnElement[bool]:
    return sa.and_(User.active.is_(True), User.erased_at.is_(None))


def _days(day: date) -> str:
    return day.isoformat()


# --- visits -----------------------------------------------------------------------------------


def visits_coming_up(now: datetime) -> list[Reminder]:
    today = local_today(now)
    far, near = setting("visit_soon_days")
    rows = db.session.execute(
        _with_pair(
            sa.select(
                VisitParticipant.user_id, Visit.id, Visit.starts_on, Visit.kind, _pair_label()
            )
            .join(Visit, Visit.id == VisitParticipant.visit_id)
            .join(User, User.id == VisitParticipant.user_id),
            Visit.pair_id,
        ).where(
            Visit.status.in_([VisitStatus.PLANNED, VisitStatus.CONFIRMED]),
            Visit.starts_on >= today,
            Visit.starts_on <= today + timedelta(days=far),
            _active_users(),
        )
    )
    reminders = []
    for user_id, visit_id, starts_on, kind, pair in rows:
        days_left = (starts_on - today).days
        occasion = f"soon-{near}" if days_left <= near else f"soon-{far}"
        reminders.append(
            Reminder(
                user_id,
                "visit_soon",
                f"visit:{visit_id}:{occasion}:{_days(starts_on)}",
                _(
                    "%(kind)s %(pair)s on %(date)s",
                    kind=kind.label,
                    pair=pair,
                    date=long_date(starts_on),
                ),
                path_to("visits.show", visit_id=visit_id),
            )
        )
    return reminders


def reports_missing(now: datetime) -> list[Reminder]:
    today = local_today(now)
    reminders = []
    for days, occasion, recipients in (
        (setting("report_missing_days"), "report-missing", "expert"),
        (setting("report_missing_escalate_days"), "report-escalated", "coordinators"),
    ):
        recipient = (
            User.organisation_id == Theme.expert_organisation_id
            if recipients == "expert"
            else User.role == Role.COORDINATOR
        )
        rows = db.session.execute(
            _with_pair(sa.select(User.id, Visit.id, Visit.ends_on, _pair_label()), Visit.pair_id)
            .join(Theme, Theme.id == Pair.theme_id)
            .join(User, recipient)
            .where(
                Visit.status == VisitStatus.HELD,
                catch_up(Visit.ends_on, today - timedelta(days=days)),
                _active_users(),
            )
        )
        reminders += [
            Reminder(
                user_id,
                "report_missing",
                f"visit:{visit_id}:{occasion}",
                _(
                    "The report of the visit of %(pair)s on %(date)s is still to be written",
                    pair=pair,
                    date=long_date(ends_on),
                ),
                path_to("visits.show", visit_id=visit_id),
            )
            for user_id, visit_id, ends_on, pair in rows
        ]
    return reminders


def follow_ups_due(now: datetime) -> list[Reminder]:
    today = local_today(now)
    horizon = today + timedelta(days=setting("follow_up_due_days"))
    rows = _for_each_recipient(
        sa.select(User.id, FollowUp.id, FollowUp.text, FollowUp.due_on, VisitReport.visit_id)
        .select_from(FollowUp)
        .join(VisitReport, VisitReport.id == FollowUp.report_id)
        .join(Visit, Visit.id == VisitReport.visit_id)
        .join(Pair, Pair.id == Visit.pair_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            FollowUp.done_at.is_(None),
            catch_up(FollowUp.due_on, horizon, since=today),
            _active_users(),
        ),
        User.id == FollowUp.owner_user_id,
        User.organisation_id == FollowUp.owner_organisation_id,
    )
    return [
        Reminder(
            user_id,
            "follow_up_due",
            f"follow_up:{follow_up_id}:{'overdue' if due_on < today else 'due'}:{_days(due_on)}",
            (
                _(
                    "Follow-up overdue since %(date)s: %(text)s",
                    date=long_date(due_on),
                    text=_short(text),
                )
                if due_on < today
                else _(
                    "Follow-up due on %(date)s: %(text)s", date=long_date(due_on), text=_short(text)
                )
            ),
            path_to("visits.show", visit_id=visit_id),
        )
        for user_id, follow_up_id, text, due_on, visit_id in rows
    ]


# --- plans and actions --------------------------------------------------------------------------


def plans_without_progress(now: datetime) -> list[Reminder]:
    days = setting("plan_stale_days")
    last_activity = ActionPlan.last_activity
    rows = db.session.execute(
        _with_pair(
            sa.select(User.id, ActionPlan.pair_id, last_activity, _pair_label()), ActionPlan.pair_id
        )
        .join(User, User.organisation_id == Pair.implementing_city_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            ActionPlan.status.in_(IMPLEMENTING_PLAN),
            last_activity <= now - timedelta(days=days),
            _active_users(),
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
                _(
                    "No progress posted on the action plan of %(pair)s for %(days)d days",
                    pair=pair,
                    days=quiet_days,
                ),
                path_to("plans.show", pair_id=pair_id),
            )
        )
    return reminders


def actions_due(now: datetime) -> list[Reminder]:
    today = local_today(now)
    horizon = today + timedelta(days=setting("action_due_days"))
    rows = _for_each_recipient(
        sa.select(User.id, Action.id, Action.title, Action.ends_on)
        .select_from(Action)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            Action.status.not_in(FINISHED_ACTION),
            ActionPlan.status != PlanStatus.COMPLETED,
            catch_up(Action.ends_on, horizon, since=today),
            _active_users(),
        ),
        # The owner if the action names one, else every member of the implementing city.
        User.id == Action.owner_user_id,
        sa.and_(Action.owner_user_id.is_(None), User.organisation_id == Pair.implementing_city_id),
    )
    return [
        Reminder(
            user_id,
            "action_due",
            f"action:{action_id}:{'overdue' if ends_on < today else 'due'}:{_days(ends_on)}",
            (
                _("Action overdue since %(date)s: %(title)s", date=long_date(ends_on), title=title)
                if ends_on < today
                else _("Action due on %(date)s: %(title)s", date=long_date(ends_on), title=title)
            ),
            path_to("plans.show_action", action_id=action_id),
        )
        for user_id, action_id, title, ends_on in rows
    ]


def actions_untouched(now: datetime) -> list[Reminder]:
    days = setting("action_untouched_days")
    rows = _for_each_recipient(
        _with_pair(
            sa.select(User.id, Action.id, Action.title, Action.updated_at, _pair_label())
            .select_from(Action)
            .join(ActionPlan, ActionPlan.id == Action.plan_id),
            ActionPlan.pair_id,
        )
        .join(Theme, Theme.id == Pair.theme_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            Action.status.not_in(FINISHED_ACTION),
            ActionPlan.status == PlanStatus.IN_IMPLEMENTATION,
            catch_up(Action.updated_at, now - timedelta(days=days)),
            _active_users(),
        ),
        *REVIEWERS,
    )
    return [
        Reminder(
            user_id,
            "action_untouched",
            f"action:{action_id}:untouched:{_days(as_utc(updated).date())}",
            _(
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
    rows = _for_each_recipient(
        _with_pair(
            sa.select(
                User.id, ActionPlan.pair_id, ActionPlan.status_changed_at, _pair_label()
            ).select_from(ActionPlan),
            ActionPlan.pair_id,
        )
        .join(Theme, Theme.id == Pair.theme_id)
        .where(
            ActionPlan.status == PlanStatus.UNDER_REVIEW,
            ActionPlan.status_changed_at <= now - timedelta(days=setting("review_waiting_days")),
            _active_users(),
        ),
        *REVIEWERS,
    )
    return [
        Reminder(
            user_id,
            "review_waiting",
            f"plan:{pair_id}:review:{_days(as_utc(since).date())}",
            _(
                "The action plan of %(pair)s has been waiting for your review for %(days)d days",
                pair=pair,
                days=(now - as_utc(since)).days,
            ),
            path_to("plans.show", pair_id=pair_id),
        )
        for user_id, pair_id, since, pair in rows
    ]


def endorsements_pending(now: datetime) -> list[Reminder]:
    days, repeat = setting("endorsement_pending_days"), setting("endorsement_repeat_days")
    rows = db.session.execute(
        _with_pair(
            sa.select(
                User.id,
                ActionPlan.pair_id,
                ActionPlan.status,
                ActionPlan.status_changed_at,
                _pair_label(),
            ),
            ActionPlan.pair_id,
        )
        .join(User, User.organisation_id == Pair.implementing_city_id)
        .where(
            ActionPlan.status.in_([PlanStatus.UNDER_REVIEW, PlanStatus.ADMIN_ENDORSED]),
            ActionPlan.status_changed_at <= now - timedelta(days=days),
            _active_users(),
        )
    )
    reminders = []
    for user_id, pair_id, status, since, pair in rows:
        waiting = (now - as_utc(since)).days
        level = _("administrative") if status is PlanStatus.UNDER_REVIEW else _("political")
        reminders.append(
            Reminder(
                user_id,
                "endorsement_pending",
                f"plan:{pair_id}:endorsement:{status.value}:{_days(as_utc(since).date())}:"
                f"{(waiting - days) // repeat}",
                _(
                    "The %(level)s endorsement of the action plan of %(pair)s is still to be recorded "
                    "(%(days)d days)",
                    level=level,
                    pair=pair,
                    days=waiting,
                ),
                path_to("plans.show", pair_id=pair_id),
            )
        )
    return reminders


# --- deliverables -------------------------------------------------------------------------------


def deliverables_due(now: datetime) -> list[Reminder]:
    today = local_today(now)
    horizon = today + timedelta(days=setting("deliverable_due_days"))
    rows = db.session.execute(
        sa.select(User.id, Deliverable.id, Deliverable.title, Deliverable.due_on)
        .join(User, User.organisation_id == Deliverable.responsible_organisation_id)
        .where(
            Deliverable.status.in_([DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS]),
            catch_up(Deliverable.due_on, horizon, since=today),
            _active_users(),
        )
    )
    return [
        Reminder(
            user_id,
            "deliverable_due",
            f"deliverable:{deliverable_id}:{'overdue' if due_on < today else 'due'}:{_days(due_on)}",
            (
                _(
                    "Deliverable overdue since %(date)s: %(title)s",
                    date=long_date(due_on),
                    title=title,
                )
                if due_on < today
                else _(
                    "Deliverable due on %(date)s: %(title)s", date=long_date(due_on), title=title
                )
            ),
            path_to("deliverables.show", deliverable_id=deliverable_id),
        )
        for user_id, deliverable_id, title, due_on in rows
    ]


RULES = [
    Rule("visits_coming_up", "A visit in 7 days and in 1 day: its participants", visits_coming_up),
    Rule(
        "reports_missing",
        "A visit held but not reported after 5 days: the expert partner; "
        "after 14: the coordinators",
        reports_missing,
    ),
    Rule(
        "plans_without_progress",
        "No progress on a plan in implementation for 30 days: the implementing city",
        plans_without_progress,
    ),
    Rule("actions_due", "An action due in 7 days, or overdue: its owner", actions_due),
    Rule("follow_ups_due", "A follow-up due in 7 days, or overdue: its owner", follow_ups_due),
    Rule(
        "deliverables_due",
        "A deliverable due in 14 days, or overdue: the responsible organisation",
        deliverables_due,
    ),
    Rule(
        "plans_waiting_for_review",
        "A plan under review for 10 days: the mentor city and the expert partner",
        plans_waiting_for_review,
    ),
    Rule(
        "actions_untouched",
        "An action untouched for 60 days: the mentor city and the expert partner",
        actions_untouched,
    ),
    Rule(
        "endorsements_pending",
        "An endorsement pending for 30 days: the implementing city, every 14 days until recorded",
        endorsements_pending,
    ),
]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
