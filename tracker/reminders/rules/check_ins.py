"""After the programme: the implementing city is asked for a check-in some months after its
pair completed, and reminded once if it has not answered a while later."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.catalogue.models import Theme
from tracker.checkins.queries import answered
from tracker.checkins.schedule import add_months, check_in_months, reminder_on
from tracker.clock import scheduler_today
from tracker.db import as_utc
from tracker.extensions import db
from tracker.links import path_to
from tracker.messages import N_
from tracker.pairs.models import Pair, PairStatus
from tracker.reminders.engine import Reminder
from tracker.reminders.rules.common import (
    Implementing,
    Mentor,
    active_users,
    pair_label,
    setting,
)


def check_ins_due(now: datetime) -> list[Reminder]:
    """A check-in due, or still unanswered some days later: every member of the implementing
    city. Each is asked once when the check-in opens and reminded once; a run after downtime
    that finds the reminder due sends only the reminder."""
    today = scheduler_today(now)
    catch_up_from = today - timedelta(days=setting("catch_up_days"))
    # No check-in of a pair completed after this can be due yet (a day's margin for the time
    # zone the completion day is counted in).
    latest = add_months(today, -min(check_in_months())) + timedelta(days=2)
    rows = db.session.execute(
        sa.select(User.id, Pair.id, Pair.completed_at, pair_label())
        .select_from(Pair)
        .join(Theme, Theme.id == Pair.theme_id)
        .join(Mentor, Mentor.id == Pair.mentor_city_id)
        .join(Implementing, Implementing.id == Pair.implementing_city_id)
        .join(User, User.organisation_id == Pair.implementing_city_id)
        .where(
            Pair.status == PairStatus.COMPLETED,
            Pair.completed_at < datetime.combine(latest, time(), tzinfo=UTC),
            active_users(),
        )
    ).all()
    done_already = answered({pair_id for _user, pair_id, _at, _label in rows})
    reminders = []
    for user_id, pair_id, completed_at, label in rows:
        done = scheduler_today(as_utc(completed_at))
        for months in check_in_months():
            due_on = add_months(done, months)
            if (pair_id, months, done) in done_already or due_on > today:
                continue
            remind_on = reminder_on(due_on)
            if remind_on <= today:
                occasion, moment = "reminder", remind_on
                subject = N_(
                    "Reminder: the check-in %(months)d months after %(pair)s completed is "
                    "still to be answered",
                    months=months,
                    pair=label,
                )
            else:
                occasion, moment = "asked", due_on
                subject = N_(
                    "%(months)d months after %(pair)s completed: a short check-in on your "
                    "action plan",
                    months=months,
                    pair=label,
                )
            if moment < catch_up_from:
                continue
            reminders.append(
                Reminder(
                    user_id,
                    "check_in",
                    f"pair:{pair_id}:check-in:{months}:{done.isoformat()}:{occasion}",
                    subject,
                    path_to("checkins.answer", pair_id=pair_id, months=months),
                )
            )
    return reminders
