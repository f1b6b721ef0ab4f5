"""Self-assessments: a city rates itself against a theme's benchmark, round by round."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.benchmarks.models import BenchmarkVersion
from tracker.catalogue.models import ContextFactor, Factor, GuideQuestion, Theme
from tracker.db import LabelledEnum, TimestampMixin, Versioned, enum_column, utcnow
from tracker.extensions import db
from tracker.organisations.models import Organisation

RATING_MIN, RATING_MAX = 0, 4


class AssessmentRound(LabelledEnum):
    BASELINE = "baseline", _l("Baseline")
    MIDTERM = "midterm", _l("Mid-term")
    FINAL = "final", _l("Final")


class AssessmentStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    COMPLETED = "completed", _l("Completed")


class Assessment(TimestampMixin, Versioned, db.Model):
    """One round of a city's self-assessment on one theme."""

    __table_args__ = (
        sa.UniqueConstraint("city_id", "theme_id", "round"),
        # The dashboards count each pair's completed rounds by city and theme: PostgreSQL read
        # every round of the theme and filtered them without it.
        sa.Index("ix_assessment_city_theme_status", "city_id", "theme_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    # The version of the theme's benchmark the round was taken against: its texts are shown.
    benchmark_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("benchmark_version.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[AssessmentRound] = enum_column(AssessmentRound)
    assessed_on: Mapped[date]
    status: Mapped[AssessmentStatus] = enum_column(AssessmentStatus, default=AssessmentStatus.DRAFT)
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    # The completed round this one started from (its answers were carried over), if any.
    carried_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="SET NULL")
    )

    city: Mapped[Organisation] = relationship()
    theme: Mapped[Theme] = relationship()
    benchmark_version: Mapped[BenchmarkVersion] = relationship()
    completed_by: Mapped[User | None] = relationship()
    carried_from: Mapped[Assessment | None] = relationship(remote_side=[id])
    ratings: Mapped[list[FactorRating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    answers: Mapped[list[QuestionAnswer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    context_notes: Mapped[list[ContextNote]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class FactorRating(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "factor_id"),
        sa.CheckConstraint(
            f"level IS NULL OR (level >= {RATING_MIN} AND level <= {RATING_MAX})",
            name="level_on_scale",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("factor.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int | None]  # empty while the round is a draft
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    # Copied from the round this one started from, and neither confirmed nor changed since.
    carried_over: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    factor: Mapped[Factor] = relationship()


class Answer(LabelledEnum):
    YES = "yes", _l("Yes")
    PARTLY = "partly", _l("Partly")
    NO = "no", _l("No")
    NOT_APPLICABLE = "na", _l("Not applicable")


class QuestionAnswer(db.Model):
    __table_args__ = (sa.UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("guide_question.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[Answer | None] = enum_column(Answer, nullable=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # Copied from the round this one started from, and neither confirmed nor changed since.
    carried_over: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    question: Mapped[GuideQuestion] = relationship()


class ContextEffect(LabelledEnum):
    ENABLING = "enabling", _l("Enabling")
    NEUTRAL = "neutral", _l("Neutral")
    LIMITING = "limiting", _l("Limiting")

    @property
    def weight(self) -> int:
        """+1 enabling, 0 neutral, -1 limiting: how a change between rounds is read."""
        return {"enabling": 1, "neutral": 0, "limiting": -1}[self.value]


class ContextChange(LabelledEnum):
    """How a context factor's effect changed from the baseline to the latest round."""

    MORE_ENABLING = "more_enabling", _l("More enabling")
    UNCHANGED = "unchanged", _l("Unchanged")
    MORE_LIMITING = "more_limiting", _l("More limiting")
    NEWLY_DESCRIBED = "new", _l("Newly described")


class ContextNote(db.Model):
    __table_args__ = (sa.UniqueConstraint("assessment_id", "context_factor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    context_factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("context_factor.id", ondelete="CASCADE"), index=True
    )
    effect: Mapped[ContextEffect | None] = enum_column(ContextEffect, nullable=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # Copied from the round this one started from, and neither confirmed nor changed since.
    carried_over: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    assessment: Mapped[Assessment] = relationship(back_populates="context_notes")
    context_factor: Mapped[ContextFactor] = relationship()


class FactorTarget(db.Model):
    """The level a city aims to reach on a factor by the end of the scheme."""

    __table_args__ = (
        sa.UniqueConstraint("city_id", "factor_id"),
        sa.CheckConstraint(
            f"level >= {RATING_MIN} AND level <= {RATING_MAX}", name="level_on_scale"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("factor.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int]
    set_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
