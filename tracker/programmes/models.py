"""Deliverable templates: what every new pair of a programme owes, and when."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.catalogue.models import Programme
from tracker.db import LabelledEnum, TimestampMixin, enum_column
from tracker.deliverables.models import DeliverableKind
from tracker.extensions import db
from tracker.organisations.models import Organisation

# A programme's own colours for its infographics (columns of Programme; empty: the network's).
PROGRAMME_COLOURS = ("primary_colour", "accent_colour", "highlight_colour")


class ResponsibleParty(LabelledEnum):
    """Who owes a pair's deliverable, said relative to the pair (or a named organisation)."""

    IMPLEMENTING_CITY = "implementing_city", _l("The pair's implementing city")
    MENTOR_CITY = "mentor_city", _l("The pair's mentor city")
    EXPERT_ORGANISATION = "expert_organisation", _l("The theme's expert organisation")
    ORGANISATION = "organisation", _l("A named organisation")


class DeliverableTemplate(TimestampMixin, db.Model):
    """A deliverable created for every new pair of the programme, due a number of months after
    the pair starts."""

    __table_args__ = (
        sa.CheckConstraint("months_after_start > 0", name="months_positive"),
        sa.CheckConstraint(
            "(responsible = 'organisation') = (responsible_organisation_id IS NOT NULL)",
            name="organisation_when_named",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DeliverableKind] = enum_column(DeliverableKind)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    months_after_start: Mapped[int]
    responsible: Mapped[ResponsibleParty] = enum_column(ResponsibleParty)
    responsible_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )

    programme: Mapped[Programme] = relationship()
    responsible_organisation: Mapped[Organisation | None] = relationship()

    @property
    def owed_by(self) -> str:
        """Who owes it, for people."""
        if self.responsible_organisation is not None:
            return self.responsible_organisation.name
        return str(self.responsible.label)
