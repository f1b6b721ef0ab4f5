"""Reminders about deliverables: one due soon, or overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.clock import scheduler_today
from tracker.deliverables.models import Deliverable, DeliverableStatus
from tracker.extensions import db
from tracker.links import path_to
from tracker.messages import N_
from tracker.reminders.engine import Reminder
from tracker.reminders.rules.common import DueTexts, active_users, catch_up, due_reminder, setting

DELIVERABLE_TEXTS = DueTexts(
    due=N_("Deliverable due on %(date)s: %(title)s"),
    overdue=N_("Deliverable overdue since %(date)s: %(title)s"),
)


def deliverables_due(now: datetime) -> list[Reminder]:
    """A deliverable not yet submitted, due soon or overdue: its responsible organisation."""
    today = scheduler_today(now)
    horizon = today + timedelta(days=setting("deliverable_due_days"))
    rows = db.session.execute(
        sa.select(User.id, Deliverable.id, Deliverable.title, Deliverable.due_on)
        .join(User, User.organisation_id == Deliverable.responsible_organisation_id)
        .where(
            Deliverable.status.in_([DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS]),
            catch_up(Deliverable.due_on, horizon, since=today),
            active_users(),
        )
    )
    return [
        due_reminder(
            user_id,
            "deliverable_due",
            f"deliverable:{deliverable_id}",
            due_on,
            today,
            title,
            DELIVERABLE_TEXTS,
            path_to("deliverables.show", deliverable_id=deliverable_id),
        )
        for user_id, deliverable_id, title, due_on in rows
    ]
