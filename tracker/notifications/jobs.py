"""Delivery jobs: sending the outbox, and the daily summary for those who chose one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tracker.auth.models import EmailFrequency, User
from tracker.clock import scheduler_today
from tracker.extensions import db
from tracker.mail import queue_email, smtp_configured
from tracker.messages import N_
from tracker.notifications.delivery import opt_outs
from tracker.notifications.models import Notification, OutboxEmail
from tracker.outbox import hold_waiting, send_due

DIGEST_WINDOW = timedelta(days=7)  # older unsent notifications are left to the app


def send_outbox(now: datetime) -> dict[str, int]:
    """Send what is due in the outbox; without a mail server here, keep it there, readable."""
    if not smtp_configured():
        return {"held": hold_waiting()}
    return {"sent": send_due(now)}


def daily_digests(now: datetime) -> dict[str, int]:
    """For users who chose a daily summary: one email with what came in since the last one."""
    day = scheduler_today(now)
    rows = db.session.execute(
        sa.select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(
            User.email_frequency == EmailFrequency.DAILY,
            User.active.is_(True),
            Notification.emailed_at.is_(None),
            Notification.created_at >= now - DIGEST_WINDOW,
            Notification.created_at <= now,
        )
        .order_by(Notification.user_id, Notification.created_at)
    ).all()
    user_ids = {user.id for _n, user in rows}
    opted_out = opt_outs(user_ids)
    summarised = _summarised(user_ids, day)
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for notification, user in rows:
        if (user.id, notification.kind) not in opted_out and user.id not in summarised:
            by_user.setdefault(user.id, (user, []))[1].append(notification)
    for user, notifications in by_user.values():
        queue_email(
            _summary_key(user.id, day),
            user,
            N_(
                "Your summary of %(date)s: %(count)d updates",
                date=day,
                count=len(notifications),
            ),
            "digest",
            notifications=notifications,
        )
        for notification in notifications:
            notification.emailed_at = now
    db.session.commit()
    return {"created": len(by_user)}


def _summary_key(user_id: int, day: date) -> str:
    return f"daily:{user_id}:{day.isoformat()}"


def _summarised(user_ids: set[int], day: date) -> set[int]:
    """Those who already had the day's summary (a run caught up at start, then the day's own
    run): what came in since waits for the next day's. One summary a day."""
    keys = {_summary_key(user_id, day): user_id for user_id in user_ids}
    if not keys:
        return set()
    sent = db.session.execute(sa.select(OutboxEmail.key).where(OutboxEmail.key.in_(keys))).scalars()
    return {keys[key] for key in sent}
