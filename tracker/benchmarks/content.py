"""A benchmark's text as plain values: what a version stores, a draft holds, a round shows and
a file describes. Ids are those of the catalogue rows (None for what a draft adds), so a
reworded factor or question stays the same one across versions. Each part's translations
(tracker/content_languages.py) travel with it, so a version keeps them too."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.catalogue.models import Factor, QuestionKind
from tracker.content_languages import Translations, text_in_reader_language, tidy
from tracker.extensions import db


@dataclass(frozen=True)
class QuestionText:
    text: str
    kind: str = QuestionKind.SCALE.value
    id: int | None = None
    position: int = 0
    translations: Translations = field(default_factory=dict, hash=False)

    @property
    def is_open(self) -> bool:
        return self.kind == QuestionKind.OPEN.value

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.kind).label)


@dataclass(frozen=True)
class ExampleText:
    city: str
    title: str
    summary: str
    country: str | None = None
    url: str | None = None
    city_id: int | None = None
    id: int | None = None
    position: int = 0
    translations: Translations = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class FactorText:
    key: str
    title: str
    statement: str
    rationale: str = ""
    guide_questions: tuple[QuestionText, ...] = ()
    examples: tuple[ExampleText, ...] = ()
    id: int | None = None
    position: int = 0
    translations: Translations = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"{self.position}. {text_in_reader_language(self, 'title')}"


@dataclass(frozen=True)
class Benchmark:
    factors: tuple[FactorText, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"factors": [_without_positions(asdict(factor)) for factor in self.factors]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Benchmark:
        factors = []
        for position, item in enumerate((data or {}).get("factors") or [], 1):
            questions = tuple(
                QuestionText(**question, position=number)
                for number, question in enumerate(item.get("guide_questions") or [], 1)
            )
            examples = tuple(
                ExampleText(**example, position=number)
                for number, example in enumerate(item.get("examples") or [], 1)
            )
            values = {k: v for k, v in item.items() if k not in ("guide_questions", "examples")}
            factors.append(
                FactorText(
                    **values, guide_questions=questions, examples=examples, position=position
                )
            )
        return cls(tuple(factors))

    def renumbered(self) -> Benchmark:
        """The same benchmark with positions counted from 1 in order (after an edit)."""
        return Benchmark.from_json(self.to_json())

    def factor(self, key: str) -> FactorText | None:
        return next((factor for factor in self.factors if factor.key == key), None)

    @property
    def factor_ids(self) -> set[int]:
        return {factor.id for factor in self.factors if factor.id is not None}

    @property
    def question_ids(self) -> set[int]:
        return {
            question.id
            for factor in self.factors
            for question in factor.guide_questions
            if question.id is not None
        }

    def with_factors(self, factors: list[FactorText]) -> Benchmark:
        return replace(self, factors=tuple(factors)).renumbered()


def _without_positions(item: dict[str, Any]) -> dict[str, Any]:
    """Positions are the order of the lists, so they are not stored twice; nor are empty
    translations (a version from before translations has none)."""
    item = {
        key: value
        for key, value in item.items()
        if key != "position" and not (key == "translations" and not value)
    }
    for name in ("guide_questions", "examples"):
        if name in item:
            item[name] = [_without_positions(child) for child in item[name]]
    return item


def live_benchmark(theme_id: int) -> Benchmark:
    """The theme's benchmark as its live catalogue rows say (the latest published version)."""
    factors = db.session.execute(
        sa.select(Factor)
        .where(Factor.theme_id == theme_id, Factor.is_live)
        .options(selectinload(Factor.guide_questions), selectinload(Factor.examples))
        .order_by(Factor.position)
        .execution_options(populate_existing=True)
    ).scalars()
    return Benchmark(
        tuple(
            FactorText(
                id=factor.id,
                key=factor.key,
                title=factor.title,
                statement=factor.statement,
                rationale=factor.rationale or "",
                translations=tidy(factor.translations),
                guide_questions=tuple(
                    QuestionText(
                        id=q.id, text=q.text, kind=q.kind.value, translations=tidy(q.translations)
                    )
                    for q in factor.guide_questions
                ),
                examples=tuple(
                    ExampleText(
                        id=e.id,
                        city=e.city_name,
                        city_id=e.city_id,
                        country=e.country,
                        title=e.title,
                        summary=e.summary,
                        url=e.url,
                        translations=tidy(e.translations),
                    )
                    for e in factor.examples
                ),
            )
            for factor in factors
        )
    ).renumbered()
