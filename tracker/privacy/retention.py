"""How long personal items are kept: old notifications, their emails, and (if the network
chooses) old audit entries are deleted by a nightly job. Settings in config.RETENTION."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.notifications.models import Notification, OutboxEmail, OutboxStatus

FINISHED_EMAIL = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.HELD)


def apply_retention(now: datetime) -> dict[str, int]:
    """Delete what is older than its retention period; a period of 0 days keeps everything."""
    settings = current_app.config["RETENTION"]
    removed = {}
    if days := settings["notification_days"]:
        cutoff = now - timedelta(days=days)
        removed["emails_removed"] = _delete(
            OutboxEmail, OutboxEmail.created_at < cutoff, OutboxEmail.status.in_(FINISHED_EMAIL)
        )
        removed["notifications_removed"] = _delete(Notification, Notification.created_at < cutoff)
    if days := settings["audit_days"]:
        removed["audit_entries_removed"] = _delete(
            AuditEntry, AuditEntry.at < now - timedelta(days=days)
        )
    db.session.commit()
    return removed


def _delete(model, *conditions) -> int:
    return db.session.execute(sa.delete(model).where(*conditions)).rowcount
