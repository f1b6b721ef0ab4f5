"""Erasing a person: the account is anonymised, what they contributed stays, unnamed.

Reports, progress updates, comments and the audit log keep pointing at the account, which now
reads "Former member of <organisation>": the record of the programme stays whole, and the
person is no longer identifiable in it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.models import AuditEntry
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.auth.sessions import forget_sessions
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.notifications.models import EmailOptOut, Notification, OutboxEmail


def erase_user(actor: User, user: User, now: datetime) -> None:
    """Remove the person's identity and their private items (notifications, emails)."""
    if user.erased_at is not None:
        raise RuleViolation(_("This account has been erased already."))
    if user.id == actor.id:
        raise RuleViolation(_("You cannot erase your own account: ask another coordinator."))
    former_name, former_email = user.name, user.email
    pseudonym = _("Former member of %(organisation)s", organisation=user.organisation.name)
    user.name = pseudonym[:200]
    user.email = f"erased-{user.id}@erased.invalid"
    user.job_title = None
    user.password_hash = None
    user.calendar_token = None
    user.active = False
    user.erased_at = now
    user.session_version += 1  # voids any set-password link
    forget_sessions(user)  # signs them out everywhere, and drops the addresses it kept
    for model in (Notification, EmailOptOut, OutboxEmail):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    _redact_audit_summaries(former_name, former_email, pseudonym)
    record(actor, "user.erased", user, f"Erased the personal data of account #{user.id}")


def _redact_audit_summaries(name: str, email: str, pseudonym: str) -> None:
    """The one sanctioned rewrite of the audit log: summaries that named the person no longer
    do. Who did what, and when, stays as it was."""
    for old, new in ((name, pseudonym), (email, pseudonym)):
        if old:
            db.session.execute(
                sa.update(AuditEntry)
                .where(AuditEntry.summary.contains(old, autoescape=True))
                .values(summary=sa.func.replace(AuditEntry.summary, old, new))
                .execution_options(synchronize_session=False)
            )
