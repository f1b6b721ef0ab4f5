"""Reading a programme's set-up."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.catalogue.models import Programme
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.programmes.models import DeliverableTemplate


def deliverable_templates(programme: Programme) -> list[DeliverableTemplate]:
    """The programme's deliverable templates, the earliest due first."""
    return list(
        db.session.execute(
            sa.select(DeliverableTemplate)
            .where(DeliverableTemplate.programme_id == programme.id)
            .order_by(DeliverableTemplate.months_after_start, DeliverableTemplate.id)
        ).scalars()
    )


def expert_organisations() -> list[Organisation]:
    """The expert partners, by name: the organisations that may facilitate a theme."""
    return list(
        db.session.execute(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.EXPERT)
            .order_by(Organisation.name)
        ).scalars()
    )
