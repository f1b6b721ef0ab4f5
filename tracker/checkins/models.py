"""A check-in: months after a pair completed, what became of each action of its plan."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.db import LabelledEnum, enum_column, utcnow
from tracker.extensions import db
from tracker.pairs.models import Pair


class ActionOutcome(LabelledEnum):
    CONTINUED = "continued", _l("Continued")
    FINISHED = "finished", _l("Finished")
    STOPPED = "stopped", _l("Stopped")


class CheckIn(db.Model):
    # One answer per check-in: a pair completed again after being reopened is asked afresh.
    __table_args__ = (sa.UniqueConstraint("pair_id", "months", "completed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"), index=True)
    months: Mapped[int]  # months after the pair completed
    completed_on: Mapped[date]  # the completion this check-in follows
    plan_still_endorsed: Mapped[bool]
    what_changed: Mapped[str] = mapped_column(sa.String(300))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    pair: Mapped[Pair] = relationship()
    answered_by: Mapped[User | None] = relationship()
    actions: Mapped[list[CheckInAction]] = relationship(
        back_populates="check_in", cascade="all, delete-orphan", order_by="CheckInAction.position"
    )


class CheckInAction(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(
        sa.ForeignKey("check_in.id", ondelete="CASCADE"), index=True
    )
    # The action may be deleted later; its title at the time keeps the answer readable.
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("action.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    outcome: Mapped[ActionOutcome] = enum_column(ActionOutcome)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    check_in: Mapped[CheckIn] = relationship(back_populates="actions")
