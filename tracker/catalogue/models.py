"""The benchmark catalogue: programmes, themes, key factors, guide questions, examples."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.content_languages import text_in_reader_language
from tracker.db import LabelledEnum, SearchText, TimestampMixin, enum_column
from tracker.extensions import db
from tracker.organisations.models import Organisation


class Retirable:
    """A part of a benchmark that a published version can retire: its row stays (old rounds
    rated it, and old versions show it) but the live benchmark no longer has it."""

    retired_in_version: Mapped[int | None] = mapped_column(default=None)

    @hybrid_property
    def is_live(self) -> bool:
        return self.retired_in_version is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls) -> sa.ColumnElement[bool]:
        return cls.retired_in_version.is_(None)


class Translated:
    """A row whose texts may hold translations: {"fr": {"title": ...}, "de": {...}}
    (tracker/content_languages.py); the English is in the text columns themselves."""

    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        sa.JSON, default=dict, server_default="{}"
    )


class QuestionKind(LabelledEnum):
    SCALE = "scale", _l("Yes / partly / no / not applicable")
    OPEN = "open", _l("Open answer in text")


class Programme(TimestampMixin, db.Model):
    __table_args__ = (
        sa.CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    full_name: Mapped[str | None] = mapped_column(sa.String(300))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    funder: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # The network's colours on this programme's infographics (#rrggbb); empty: the settings'.
    primary_colour: Mapped[str | None] = mapped_column(sa.String(7))
    accent_colour: Mapped[str | None] = mapped_column(sa.String(7))
    highlight_colour: Mapped[str | None] = mapped_column(sa.String(7))

    themes: Mapped[list[Theme]] = relationship(
        back_populates="programme", order_by="Theme.code", cascade="all, delete-orphan"
    )
    context_factors: Mapped[list[ContextFactor]] = relationship(
        back_populates="programme",
        order_by="ContextFactor.position",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.name

    @classmethod
    def newest_first(cls) -> tuple[sa.ColumnElement[Any], ...]:
        """The order of every list of programmes, or of their themes or pairs: the latest
        start first (one without a date last, on both databases), then by name, so that
        programmes starting on the same day do not interleave (a select groups each one's
        themes under its name)."""
        return (cls.period_start.desc().nulls_last(), cls.name, cls.id)


class ContextFactor(db.Model):
    __table_args__ = (sa.UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="context_factors")


class Theme(Translated, TimestampMixin, db.Model):
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(300))
    standard: Mapped[str] = mapped_column(sa.Text, default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    expert_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )

    programme: Mapped[Programme] = relationship(back_populates="themes")
    expert_organisation: Mapped[Organisation | None] = relationship()
    all_factors: Mapped[list[Factor]] = relationship(
        back_populates="theme", order_by="Factor.position", cascade="all, delete-orphan"
    )
    # The live benchmark: what a new round rates and visits and plans choose from.
    factors: Mapped[list[Factor]] = relationship(
        primaryjoin="and_(Factor.theme_id == Theme.id, Factor.retired_in_version.is_(None))",
        order_by="Factor.position",
        viewonly=True,
    )

    @property
    def label(self) -> str:
        return self.label_of(self.code, self.title)

    @staticmethod
    def label_of(code: str, title: str) -> str:
        """A theme's name wherever it is chosen or listed: "B. Entrepreneurship"."""
        return f"{code}. {title}"

    def __str__(self) -> str:
        return self.label


class Factor(Retirable, Translated, TimestampMixin, db.Model):
    """A key factor of a theme's benchmark. Its key stays when its wording changes, so rounds
    taken against different versions compare by factor."""

    __table_args__ = (sa.UniqueConstraint("theme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    statement: Mapped[str] = mapped_column(sa.Text)
    rationale: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    theme: Mapped[Theme] = relationship(back_populates="all_factors")
    all_guide_questions: Mapped[list[GuideQuestion]] = relationship(
        back_populates="factor", order_by="GuideQuestion.position", cascade="all, delete-orphan"
    )
    guide_questions: Mapped[list[GuideQuestion]] = relationship(
        primaryjoin="and_(GuideQuestion.factor_id == Factor.id, "
        "GuideQuestion.retired_in_version.is_(None))",
        order_by="GuideQuestion.position",
        viewonly=True,
    )
    all_examples: Mapped[list[Example]] = relationship(
        back_populates="factor", order_by="Example.position", cascade="all, delete-orphan"
    )
    examples: Mapped[list[Example]] = relationship(
        primaryjoin="and_(Example.factor_id == Factor.id, Example.retired_in_version.is_(None))",
        order_by="Example.position",
        viewonly=True,
    )

    @property
    def number(self) -> int:
        return self.position

    def __str__(self) -> str:
        return f"{self.position}. {text_in_reader_language(self, 'title')}"


class GuideQuestion(Retirable, Translated, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("factor.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[QuestionKind] = enum_column(
        QuestionKind, default=QuestionKind.SCALE, server_default=QuestionKind.SCALE.value
    )

    factor: Mapped[Factor] = relationship(back_populates="all_guide_questions")

    @property
    def is_open(self) -> bool:
        return self.kind is QuestionKind.OPEN


class Example(SearchText, Retirable, Translated, db.Model):
    """A good-practice example from a named city, attached to a factor."""

    search_fields = ("title", "summary", "city_name", "country")

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("factor.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    city_name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str | None] = mapped_column(sa.String(100))
    # Set when the example's city is an organisation in the tracker, so it can be put first.
    city_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.String(1000))

    factor: Mapped[Factor] = relationship(back_populates="all_examples")
    city: Mapped[Organisation | None] = relationship()
