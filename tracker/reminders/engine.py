"""Turning due items into notifications exactly once.

Each rule is one set-based query that returns the (user, object, occasion) rows due now. Each
row becomes a notification whose key names the rule, the object and the occasion; the database
keeps one notification per user and key, and the insert skips rows that already exist. A second
run, a restart, a catch-up after downtime, or two schedulers by mistake therefore never create a
reminder twice, and the email is queued only for notifications this run actually created.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.notifications.delivery import email_new_notifications
from tracker.notifications.models import Notification


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    key: str
    subject: str
    link: str
    body: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    find: Callable[[datetime], Iterable[Reminder]]


def deliver(reminders: Iterable[Reminder], now: datetime) -> int:
    """Insert the reminders that do not exist yet, queue their emails; return how many were new."""
    rows = [
        {
            "user_id": r.user_id,
            "kind": r.kind,
            "key": r.key[:200],
            "subject": r.subject[:300],
            "link": r.link[:500],
            "body": r.body,
            "created_at": now,
        }
        for r in {r.key + f"#{r.user_id}": r for r in reminders}.values()
    ]
    if not rows:
        return 0
    insert = _insert_ignoring_duplicates(rows).returning(Notification.id)
    created_ids = list(db.session.execute(insert).scalars())
    if created_ids:
        created = list(
            db.session.execute(
                sa.select(Notification).where(Notification.id.in_(created_ids))
            ).scalars()
        )
        email_new_notifications(created)
    return len(created_ids)


def _insert_ignoring_duplicates(rows: list[dict]) -> sa.Insert:
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return (
        module.insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
    )
