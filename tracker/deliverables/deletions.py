"""Deleting a deliverable registered by mistake: to the bin with its files and links."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.bin.models import BinKind
from tracker.bin.service import Deletion
from tracker.deliverables.models import Deliverable


def deliverable_deletion(deliverable: Deliverable) -> Deletion:
    """Its files (every version) and links go with it; the files leave the disk only when
    the bin is emptied."""
    went = []
    if deliverable.files:
        went.append(ngettext("%(num)d file", "%(num)d files", len(deliverable.files)))
    if deliverable.links:
        went.append(ngettext("%(num)d link", "%(num)d links", len(deliverable.links)))
    return Deletion(
        BinKind.DELIVERABLE,
        deliverable,
        _("The deliverable '%(title)s'", title=deliverable.title),
        deliverable.pair_id,
        went,
    )
