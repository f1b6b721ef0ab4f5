"""Recording changes of state in the audit log."""

from __future__ import annotations

from typing import Any

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.messages import Message


def record(
    actor: Any,
    action: str,
    subject: Any,
    summary: Message,
    *,
    pair_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry for `action` on `subject` by `actor` (a user, or None for the system).

    `subject` is a model instance, or a plain name for changes with no single object; the
    summary is a message (`N_(...)`), written in each reader's language when read.
    """
    db.session.flush()  # so a new subject has its id
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=subject if isinstance(subject, str) else type(subject).__name__,
        subject_id=getattr(subject, "id", None),
        pair_id=pair_id,
        summary=summary.english()[:500],
        msgid=summary.msgid,
        params=dict(summary.params),
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(entry)
    return entry


def _plain(value: Any) -> Any:
    """Make a detail JSON-friendly (enums by value, dates as ISO text)."""
    if hasattr(value, "value"):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    return value
