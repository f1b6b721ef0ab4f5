"""Turning due items into notifications exactly once.

Each rule is one set-based query that returns the (user, object, occasion) rows due now. Each
row becomes a notification whose key names the rule, the object and the occasion; the database
keeps one notification per user and key, and the insert skips rows that already exist. A second
run, a restart, a catch-up after downtime, or two schedulers by mistake therefore never create a
reminder twice, and the email is queued only for notifications this run actually created.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.messages import Message
from tracker.notifications.delivery import email_new_notifications
from tracker.notifications.models import Notification, subject_columns

IN_CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    key: str
    subject: Message
    link: str
    body: str = ""


def deliver(reminders: Iterable[Reminder], now: datetime) -> int:
    """Insert the reminders that do not exist yet, queue their emails; return how many were new."""
    rows = [
        {
            "user_id": r.user_id,
            "kind": r.kind,
            "key": r.key[:200],
            **subject_columns(r.subject),
            "link": r.link[:500],
            "body": r.body,
            "created_at": now,
        }
        for r in {r.key + f"#{r.user_id}": r for r in reminders}.values()
    ]
    rows = _not_yet_delivered(rows)
    if not rows:
        return 0
    # Many parameter sets to one statement: SQLAlchemy batches them into multi-row inserts
    # without compiling a statement the size of the run.
    insert = _insert_ignoring_duplicates().returning(Notification.id)
    created_ids = list(db.session.connection().execute(insert, rows).scalars())
    for start in range(0, len(created_ids), IN_CHUNK):
        created = db.session.execute(
            sa.select(Notification).where(
                Notification.id.in_(created_ids[start : start + IN_CHUNK])
            )
        ).scalars()
        email_new_notifications(list(created))
    return len(created_ids)


def _not_yet_delivered(rows: list[dict]) -> list[dict]:
    """Leave out the rows already in the database: most of a run's rows were sent before, and
    looking them up by the unique index is much cheaper than a refused insert. The insert still
    ignores duplicates, for a row another process created meanwhile."""
    delivered = set()
    for start in range(0, len(rows), IN_CHUNK):
        wanted = [(row["user_id"], row["key"]) for row in rows[start : start + IN_CHUNK]]
        delivered.update(
            db.session.execute(
                sa.select(Notification.user_id, Notification.key).where(
                    sa.tuple_(Notification.user_id, Notification.key).in_(wanted)
                )
            ).all()
        )
    return [row for row in rows if (row["user_id"], row["key"]) not in delivered]


def _insert_ignoring_duplicates() -> sa.Insert:
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Notification.__table__).on_conflict_do_nothing(
        index_elements=["user_id", "key"]
    )
