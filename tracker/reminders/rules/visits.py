"""Reminders about visits: one coming up, a report not written, a follow-up due."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tracker.auth.models import Role, User
from tracker.catalogue.models import Theme
from tracker.clock import scheduler_today
from tracker.extensions import db
from tracker.links import path_to
from tracker.messages import N_
from tracker.pairs.models import LIVE_PAIR_STATUSES, Pair
from tracker.reminders.engine import Reminder
from tracker.reminders.rules.common import (
    DueTexts,
    active_users,
    catch_up,
    due_reminder,
    for_each_recipient,
    pair_label,
    setting,
    with_pair,
)
from tracker.visits.models import FollowUp, Visit, VisitParticipant, VisitReport, VisitStatus
from tracker.visits.queries import report_clock
from tracker.wording import one_line

FOLLOW_UP_TEXTS = DueTexts(
    due=N_("Follow-up due on %(date)s: %(title)s"),
    overdue=N_("Follow-up overdue since %(date)s: %(title)s"),
)


def visits_coming_up(now: datetime) -> list[Reminder]:
    """The participants of a planned or confirmed visit, twice before it starts."""
    today = scheduler_today(now)
    far, near = setting("visit_soon_days")
    rows = db.session.execute(
        with_pair(
            sa.select(VisitParticipant.user_id, Visit.id, Visit.starts_on, Visit.kind, pair_label())
            .join(Visit, Visit.id == VisitParticipant.visit_id)
            .join(User, User.id == VisitParticipant.user_id),
            Visit.pair_id,
        ).where(
            Visit.status.in_([VisitStatus.PLANNED, VisitStatus.CONFIRMED]),
            Visit.starts_on >= today,
            Visit.starts_on <= today + timedelta(days=far),
            active_users(),
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
                f"visit:{visit_id}:{occasion}:{starts_on.isoformat()}",
                N_("%(kind)s %(pair)s on %(date)s", kind=kind, pair=pair, date=starts_on),
                path_to("visits.show", visit_id=visit_id),
            )
        )
    return reminders


def reports_missing(now: datetime) -> list[Reminder]:
    """A held visit without a report: its expert partner when the report is late, the
    coordinators when it is later still."""
    today = scheduler_today(now)
    reminders = []
    for days, occasion, recipient in (
        (
            setting("report_missing_days"),
            "report-missing",
            User.organisation_id == Theme.expert_organisation_id,
        ),
        (
            setting("report_missing_escalate_days"),
            "report-escalated",
            User.role == Role.COORDINATOR,
        ),
    ):
        rows = db.session.execute(
            with_pair(sa.select(User.id, Visit.id, Visit.ends_on, pair_label()), Visit.pair_id)
            .join(User, recipient)
            .where(
                Visit.status == VisitStatus.HELD,
                catch_up(report_clock(), today - timedelta(days=days)),
                active_users(),
            )
        )
        reminders += [
            Reminder(
                user_id,
                "report_missing",
                f"visit:{visit_id}:{occasion}",
                N_(
                    "The report of the visit of %(pair)s on %(date)s is still to be written",
                    pair=pair,
                    date=ends_on,
                ),
                path_to("visits.show", visit_id=visit_id),
            )
            for user_id, visit_id, ends_on, pair in rows
        ]
    return reminders


def follow_ups_due(now: datetime) -> list[Reminder]:
    """An open follow-up of a visit report, due soon or overdue: its owner (a person, or every
    member of the owning organisation)."""
    today = scheduler_today(now)
    horizon = today + timedelta(days=setting("follow_up_due_days"))
    rows = for_each_recipient(
        sa.select(User.id, FollowUp.id, FollowUp.text, FollowUp.due_on, VisitReport.visit_id)
        .select_from(FollowUp)
        .join(VisitReport, VisitReport.id == FollowUp.report_id)
        .join(Visit, Visit.id == VisitReport.visit_id)
        .join(Pair, Pair.id == Visit.pair_id)
        .where(
            Pair.status.in_(LIVE_PAIR_STATUSES),
            FollowUp.done_at.is_(None),
            catch_up(FollowUp.due_on, horizon, since=today),
            # A visit recorded afterwards reminds of nothing that was already past then.
            sa.or_(Visit.recorded_on.is_(None), FollowUp.due_on >= Visit.recorded_on),
            active_users(),
        ),
        User.id == FollowUp.owner_user_id,
        User.organisation_id == FollowUp.owner_organisation_id,
    )
    return [
        due_reminder(
            user_id,
            "follow_up_due",
            f"follow_up:{follow_up_id}",
            due_on,
            today,
            one_line(text),
            FOLLOW_UP_TEXTS,
            path_to("visits.show", visit_id=visit_id),
        )
        for user_id, follow_up_id, text, due_on, visit_id in rows
    ]
