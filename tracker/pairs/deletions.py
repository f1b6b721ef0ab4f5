"""Deleting a pair created by mistake, while nothing has happened in it yet."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.bin.models import BinKind
from tracker.bin.service import Deletion
from tracker.deliverables.models import Deliverable, DeliverableFile, DeliverableStatus
from tracker.extensions import db
from tracker.pairs.models import Pair
from tracker.plans.models import ActionPlan
from tracker.visits.models import Visit


def pair_deletion(pair: Pair) -> Deletion:
    """A pair with no visit, no plan and no deliverable worked on can be deleted (its planned
    deliverables go with it); with any activity, it is withdrawn instead."""
    visits = _count(sa.select(sa.func.count(Visit.id)).where(Visit.pair_id == pair.id))
    plans = _count(sa.select(sa.func.count(ActionPlan.id)).where(ActionPlan.pair_id == pair.id))
    worked_on = _count(
        sa.select(sa.func.count(Deliverable.id)).where(
            Deliverable.pair_id == pair.id,
            sa.or_(
                Deliverable.status != DeliverableStatus.PLANNED,
                Deliverable.files.any(DeliverableFile.id.is_not(None)),
                Deliverable.links.any(),
            ),
        )
    )
    planned = _count(sa.select(sa.func.count(Deliverable.id)).where(Deliverable.pair_id == pair.id))
    refusal = None
    if visits or plans or worked_on:
        refusal = _(
            "This pair has activity (visits, an action plan or deliverables worked on), so it "
            "is part of the programme's record: change its status to withdrawn instead."
        )
    went = (
        [ngettext("%(num)d planned deliverable", "%(num)d planned deliverables", planned)]
        if planned
        else []
    )
    return Deletion(
        BinKind.PAIR,
        pair,
        _("The pair %(pair)s on theme %(code)s", pair=pair.label, code=pair.theme.code),
        pair.id,
        went,
        refusal=refusal,
    )


def _count(query: sa.Select[tuple[int]]) -> int:
    return db.session.execute(query).scalar_one()
