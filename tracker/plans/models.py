"""Local action plans: the implementing city's plan for a pair, its actions and their progress."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.catalogue.models import Example, Factor
from tracker.db import LabelledEnum, SearchText, TimestampMixin, Versioned, enum_column, utcnow
from tracker.extensions import db
from tracker.files.models import Attachment
from tracker.pairs.models import Pair
from tracker.plans.figures import create_triggers
from tracker.visits.models import Recommendation


class PlanStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    UNDER_REVIEW = "under_review", _l("Under review")
    ADMIN_ENDORSED = "admin_endorsed", _l("Administratively endorsed")
    POLITICALLY_ENDORSED = "politically_endorsed", _l("Politically endorsed")
    IN_IMPLEMENTATION = "in_implementation", _l("In implementation")
    COMPLETED = "completed", _l("Completed")

    @property
    def verb(self) -> str:
        """What the button that moves a plan into this status says."""
        return PLAN_STATUS_VERBS.get(self, self.label)


# What the buttons moving a plan on say. The endorsed statuses have none: recording the decision
# moves the plan there.
PLAN_STATUS_VERBS = {
    PlanStatus.DRAFT: _l("Return to draft for changes"),
    PlanStatus.UNDER_REVIEW: _l("Submit for review"),
    PlanStatus.IN_IMPLEMENTATION: _l("Start implementation"),
    PlanStatus.COMPLETED: _l("Mark the plan completed"),
}


def _figure() -> Mapped[int]:
    return mapped_column(server_default="0", deferred=True, deferred_raiseload=True)


class ActionPlan(TimestampMixin, Versioned, db.Model):
    __table_args__ = (
        sa.CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"), unique=True)
    objective: Mapped[str] = mapped_column(sa.Text, default="")
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    status: Mapped[PlanStatus] = enum_column(PlanStatus, default=PlanStatus.DRAFT, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When progress was last posted on any of its actions. Kept here (not derived each time from
    # the progress history) so dashboards and reminders find stalled plans without reading it.
    last_progress_at: Mapped[datetime | None]
    # Figures over the plan's actions that are not dropped, kept by the database in the same
    # transaction as every change to an action (tracker/plans/figures.py). Read in SQL only:
    # a plan loaded before its actions changed would hold the old figures, so the ORM refuses
    # to load them.
    actions_counted: Mapped[int] = _figure()
    progress_total: Mapped[int] = _figure()
    recommendations_taken_up: Mapped[int] = _figure()

    pair: Mapped[Pair] = relationship()
    actions: Mapped[list[Action]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Action.position"
    )
    endorsements: Mapped[list[Endorsement]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Endorsement.decided_on"
    )

    @hybrid_property
    def last_activity(self) -> datetime:
        """The last progress posted, or, before any, when the plan reached its status."""
        return self.last_progress_at or self.status_changed_at

    @last_activity.inplace.expression
    @classmethod
    def _last_activity_expression(cls) -> sa.ColumnElement[datetime]:
        return sa.func.coalesce(cls.last_progress_at, cls.status_changed_at)


class EndorsementLevel(LabelledEnum):
    ADMINISTRATIVE = "administrative", _l("Administrative")
    POLITICAL = "political", _l("Political")


class Endorsement(db.Model):
    __table_args__ = (sa.UniqueConstraint("plan_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plan.id", ondelete="CASCADE"))
    level: Mapped[EndorsementLevel] = enum_column(EndorsementLevel)
    body: Mapped[str] = mapped_column(sa.String(300))  # e.g. "City Council decision 2018/45"
    decided_on: Mapped[date]
    endorsed_by: Mapped[str] = mapped_column(sa.String(200), default="")
    document_url: Mapped[str | None] = mapped_column(sa.String(1000))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="endorsements")
    recorded_by: Mapped[User | None] = relationship()


class ActionStatus(LabelledEnum):
    NOT_STARTED = "not_started", _l("Not started")
    ON_TRACK = "on_track", _l("On track")
    AT_RISK = "at_risk", _l("At risk")
    DELAYED = "delayed", _l("Delayed")
    DONE = "done", _l("Done")
    DROPPED = "dropped", _l("Dropped")


action_factor = sa.Table(
    "action_factor",
    db.metadata,
    sa.Column("action_id", sa.ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "factor_id", sa.ForeignKey("factor.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)


class Action(SearchText, TimestampMixin, Versioned, db.Model):
    search_fields = ("title", "description")

    __table_args__ = (
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="progress_is_percentage"),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"
        ),
        sa.Index("ix_action_plan_position", "plan_id", "position"),
        # Covers what dashboards and reminders read of a plan's actions (with the
        # recommendations they take up), so both databases answer from the index alone instead
        # of reading every action's row.
        sa.Index(
            "ix_action_plan_health",
            "plan_id",
            "ends_on",
            "status",
            "progress",
            "recommendation_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plan.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    owner_name: Mapped[str] = mapped_column(sa.String(200), default="")
    partners: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None] = mapped_column(index=True)
    resources: Mapped[str] = mapped_column(sa.Text, default="")
    indicator: Mapped[str] = mapped_column(sa.Text, default="")
    target: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.NOT_STARTED)
    progress: Mapped[int] = mapped_column(default=0)
    recommendation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )
    example_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("example.id", ondelete="SET NULL"), index=True
    )

    plan: Mapped[ActionPlan] = relationship(back_populates="actions")
    owner_user: Mapped[User | None] = relationship()
    factors: Mapped[list[Factor]] = relationship(secondary=action_factor, order_by=Factor.position)
    recommendation: Mapped[Recommendation | None] = relationship()
    example: Mapped[Example | None] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action",
        order_by="ProgressUpdate.created_at.desc()",
        passive_deletes=True,
    )


class ProgressUpdate(db.Model):
    """One report of progress on an action. History: rows are added, never changed."""

    __table_args__ = (
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="progress_is_percentage"),
        sa.Index("ix_progress_update_action_created", "action_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ActionStatus] = enum_column(ActionStatus)
    progress: Mapped[int]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_url: Mapped[str | None] = mapped_column(sa.String(1000))

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
    withdrawal: Mapped[ProgressWithdrawal | None] = relationship(
        back_populates="update", cascade="all, delete-orphan", passive_deletes=True
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="progress_update",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Attachment.id",
    )


class ProgressWithdrawal(db.Model):
    """A progress update its author took back after the time to delete it: kept, struck
    through, with the reason (progress history is a record)."""

    update_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_update.id", ondelete="CASCADE"), primary_key=True
    )
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text)

    update: Mapped[ProgressUpdate] = relationship(back_populates="withdrawal")
    withdrawn_by: Mapped[User | None] = relationship()


class PlanComment(SearchText, db.Model):
    """A comment from a reviewer (mentor city, expert, coordinator) on a plan or one action."""

    search_fields = ("body",)

    __table_args__ = (sa.Index("ix_plan_comment_plan_created", "plan_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plan.id", ondelete="CASCADE"))
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(sa.Text)

    plan: Mapped[ActionPlan] = relationship()
    author: Mapped[User | None] = relationship()


@sa.event.listens_for(ProgressUpdate, "before_update")
def _progress_history_is_append_only(mapper, connection, target) -> None:  # noqa: ARG001
    # Called for every update marked dirty, also by a change to a relationship (a withdrawal
    # added): only a changed value is refused.
    state = sa.inspect(target)
    if any(state.attrs[column.key].history.has_changes() for column in mapper.column_attrs):
        raise ValueError("Progress updates are history: add a new one instead of changing one.")


# Tables made by create_all (tests, a new SQLite database) get the triggers the migrations make.
sa.event.listen(
    Action.__table__,
    "after_create",
    lambda _table, connection, **_kw: create_triggers(connection),
)
