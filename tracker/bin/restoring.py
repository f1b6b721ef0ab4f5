"""Restoring from the bin, with what each kind of object needs redone once its rows are back."""

from __future__ import annotations

from collections.abc import Callable

from tracker.auth.models import User
from tracker.bin.models import BinEntry, BinKind
from tracker.bin.rows import Rows, missing_parents
from tracker.bin.service import entry_holding, restore
from tracker.plans.deletions import endorsement_restored, progress_restored

AFTER_RESTORING: dict[BinKind, Callable[[BinEntry], None]] = {
    BinKind.ENDORSEMENT: endorsement_restored,
    BinKind.PROGRESS_UPDATE: progress_restored,
}


def restore_entry(actor: User, entry: BinEntry, *, with_parent: bool = False) -> None:
    """Restore an entry; with `with_parent`, first what it belonged to if that is in the bin."""
    if with_parent:
        holder = entry_holding(missing_parents(Rows.from_json(entry.contents)))
        if holder is not None:
            restore_entry(actor, holder, with_parent=True)
    restore(actor, entry, AFTER_RESTORING.get(entry.kind))
