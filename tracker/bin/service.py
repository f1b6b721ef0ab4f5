"""Moving an object to the bin, restoring it with everything that went with it, and emptying
the bin of what has been there longer than BIN_DAYS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.bin.models import TABLES, BinEntry, BinKind
from tracker.bin.rows import Rows, collect, missing_parents, put_back, remove
from tracker.exceptions import RuleViolation, StaleObject
from tracker.extensions import db
from tracker.files.store import file_store
from tracker.messages import N_


@dataclass
class Deletion:
    """What deleting one object means, worked out before anyone confirms: what it is, what goes
    with it, and, when it would break a record, why it cannot be deleted."""

    kind: BinKind
    subject: Any
    title: str
    pair_id: int | None
    went_with_it: list[str] = field(default_factory=list)
    refusal: str | None = None
    # Done in the same transaction after the rows left (a plan's status going back, ...).
    after: Callable[[], None] | None = None
    version: int | None = None  # the version the person saw, when the object has one


def move_to_bin(actor: User, deletion: Deletion) -> BinEntry:
    """Delete the object and everything that goes with it, keeping them all in the bin."""
    if deletion.refusal:
        raise RuleViolation(deletion.refusal)
    table = db.metadata.tables[TABLES[deletion.kind]]
    object_id = deletion.subject.id
    if deletion.version is not None and deletion.version != deletion.subject.version_id:
        raise _changed_meanwhile(deletion)
    record(
        actor,
        f"{deletion.kind.value}.deleted",
        deletion.subject,
        N_(
            "Moved to the bin: %(title)s (with %(others)s)",
            title=deletion.title,
            others="; ".join(deletion.went_with_it),
        )
        if deletion.went_with_it
        else N_("Moved to the bin: %(title)s", title=deletion.title),
        pair_id=None if deletion.kind is BinKind.PAIR else deletion.pair_id,
    )
    rows = collect(table, object_id)
    if not remove(table, object_id, deletion.version):
        raise _changed_meanwhile(deletion)
    entry = BinEntry(
        kind=deletion.kind,
        object_id=object_id,
        title=deletion.title[:300],
        went_with_it="; ".join(deletion.went_with_it)[:1000],
        pair_id=deletion.pair_id,
        deleted_by_id=actor.id,
        contents={**rows.as_json(), "files": _stored_files(rows)},
    )
    db.session.add(entry)
    if deletion.after is not None:
        deletion.after()
    return entry


def restore(actor: User, entry: BinEntry, after: Callable[[BinEntry], None] | None = None) -> None:
    """Put an entry's rows back as they were, then run `after` (what the area must redo, such
    as a plan's status). Refused, with the reason, when what it belonged to is gone (in the
    bin too: restore that first, or both at once) or its place was taken."""
    rows = Rows.from_json(entry.contents)
    missing = missing_parents(rows)
    if missing:
        holder = entry_holding(missing)
        if holder is not None:
            raise ParentInBin(entry, holder)
        raise RuleViolation(
            _("It cannot be restored: what it belonged to no longer exists, even in the bin.")
        )
    try:
        with db.session.begin_nested():
            put_back(rows)
    except IntegrityError as error:
        raise RuleViolation(
            _(
                "It cannot be restored: something created since it was deleted takes its "
                "place (for example the same two cities paired again on the theme)."
            )
        ) from error
    if after is not None:
        after(entry)
    record(
        actor,
        f"{entry.kind.value}.restored",
        _restored_subject(entry),
        N_("Restored from the bin: %(title)s", title=entry.title),
        pair_id=entry.pair_id,
    )
    db.session.delete(entry)


class ParentInBin(RuleViolation):
    """The entry belonged to something that is itself in the bin."""

    def __init__(self, entry: BinEntry, parent: BinEntry) -> None:
        super().__init__(
            _(
                "'%(title)s' belonged to '%(parent)s', which is in the bin too. Restore both?",
                title=entry.title,
                parent=parent.title,
            )
        )
        self.parent = parent


def purge_expired(now: datetime) -> int:
    """Delete for good the entries older than BIN_DAYS, with the stored files they held (once
    the deletion is committed); return how many."""
    cutoff = now - timedelta(days=current_app.config["BIN_DAYS"])
    expired = list(
        db.session.execute(sa.select(BinEntry).where(BinEntry.deleted_at < cutoff)).scalars()
    )
    store = file_store()
    for entry in expired:
        for stored_name in entry.contents.get("files", []):
            store.discard(stored_name)
        db.session.delete(entry)
    return len(expired)


def _changed_meanwhile(deletion: Deletion) -> StaleObject:
    return StaleObject(
        _(
            "Someone else changed or deleted this since you opened it, so nothing was deleted. "
            "Open it again to see it as it is now."
        ),
        current_version=getattr(deletion.subject, "version_id", 0),
    )


def _restored_subject(entry: BinEntry) -> Any:
    """The restored object itself, for its audit entry."""
    table = db.metadata.tables[TABLES[entry.kind]]
    mapper = next(mapper for mapper in db.Model.registry.mappers if mapper.local_table is table)
    return db.session.get(mapper.class_, entry.object_id) or entry.kind.value


def entry_holding(missing: list[tuple[str, int]]) -> BinEntry | None:
    """The newest bin entry that holds one of the missing rows."""
    tables = {table for table, _key in missing}
    candidates = db.session.execute(
        sa.select(BinEntry).order_by(BinEntry.deleted_at.desc(), BinEntry.id.desc())
    ).scalars()
    for candidate in candidates:
        if any(table in candidate.contents["rows"] for table in tables) and any(
            candidate.holds(table, key) for table, key in missing
        ):
            return candidate
    return None


def _stored_files(rows: Rows) -> list[str]:
    """The stored files among the rows (a deliverable's files, attachments)."""
    return [
        row["stored_name"]
        for table in ("deliverable_file", "attachment")
        for row in rows.tables.get(table, [])
    ]
