"""Erasing a person: the account is anonymised, what they contributed stays, unnamed.

Reports, progress updates, comments and the audit log keep pointing at the account, which now
reads "Former member of <organisation>": the record of the programme stays whole, and the
person is no longer identifiable in it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.models import AuditEntry
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.auth.sessions import forget_sessions
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.messages import N_
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
    record(
        actor,
        "user.erased",
        user,
        N_("Erased the personal data of account #%(id)d", id=user.id),
    )


def _redact_audit_summaries(name: str, email: str, pseudonym: str) -> None:
    """The one sanctioned rewrite of the audit log: summaries (their English words and the
    parameters they are written from in other languages) that named the person no longer do.
    Who did what, and when, stays as it was."""
    for old in (name, email):
        if not old:
            continue
        # The English words hold every parameter, so they find the entries to rewrite.
        naming = AuditEntry.summary.contains(old, autoescape=True)
        for entry_id, params in db.session.execute(
            sa.select(AuditEntry.id, AuditEntry.params).where(
                naming, AuditEntry.params.is_not(None)
            )
        ).all():
            db.session.execute(
                sa.update(AuditEntry)
                .where(AuditEntry.id == entry_id)
                .values(params=_without(params, old, pseudonym))
                .execution_options(synchronize_session=False)
            )
        db.session.execute(
            sa.update(AuditEntry)
            .where(naming)
            .values(summary=sa.func.replace(AuditEntry.summary, old, pseudonym))
            .execution_options(synchronize_session=False)
        )


def _without(value: Any, old: str, new: str) -> Any:
    """A message's parameters with every mention of `old` replaced by `new`."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_without(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _without(item, old, new) for key, item in value.items()}
    return value
