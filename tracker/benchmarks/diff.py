"""The difference between two versions of a benchmark (or a draft and its version): factors by
key, guide questions and examples by id, and reworded texts word by word for the page. A
translation added, changed or removed (tracker/content_languages.py) is a change too, told
by language."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from tracker.benchmarks.content import Benchmark, ExampleText, FactorText, QuestionText
from tracker.content_languages import TRANSLATED, tidy
from tracker.messages import N_, NP_, Message

FACTOR_TEXTS = ("title", "statement", "rationale")


@dataclass(frozen=True)
class Segment:
    """A run of words: kept, added (`+`) or removed (`-`)."""

    op: str
    text: str


@dataclass(frozen=True)
class TextChange:
    name: str  # the field: title, statement, rationale, or a question's text
    old: str
    new: str

    @property
    def segments(self) -> list[Segment]:
        return word_diff(self.old, self.new)


@dataclass(frozen=True)
class QuestionChange:
    old: QuestionText
    new: QuestionText

    @property
    def segments(self) -> list[Segment]:
        return word_diff(self.old.text, self.new.text)


@dataclass
class FactorChange:
    old: FactorText
    new: FactorText
    texts: list[TextChange] = field(default_factory=list)
    questions_added: list[QuestionText] = field(default_factory=list)
    questions_removed: list[QuestionText] = field(default_factory=list)
    questions_changed: list[QuestionChange] = field(default_factory=list)
    questions_reordered: bool = False
    examples_changed: int = 0
    # The languages whose translations of the factor, its questions or examples changed.
    translations_changed: list[str] = field(default_factory=list)

    @property
    def reworded(self) -> bool:
        return bool(self.texts)

    @property
    def questions_differ(self) -> bool:
        return bool(
            self.questions_added
            or self.questions_removed
            or self.questions_changed
            or self.questions_reordered
        )

    @property
    def any(self) -> bool:
        return (
            self.reworded
            or self.questions_differ
            or bool(self.examples_changed)
            or bool(self.translations_changed)
        )

    @property
    def translation_names(self) -> str:
        """The languages whose translations changed, by name: "French, German"."""
        return ", ".join(str(TRANSLATED[language]) for language in self.translations_changed)


@dataclass
class Difference:
    added: list[FactorText] = field(default_factory=list)
    retired: list[FactorText] = field(default_factory=list)
    changed: list[FactorChange] = field(default_factory=list)
    reordered: bool = False

    @property
    def reworded(self) -> list[FactorChange]:
        return [change for change in self.changed if change.reworded]

    @property
    def questions_changed(self) -> list[FactorChange]:
        return [change for change in self.changed if change.questions_differ]

    @property
    def examples_changed(self) -> list[FactorChange]:
        return [change for change in self.changed if change.examples_changed]

    @property
    def translated(self) -> list[FactorChange]:
        return [change for change in self.changed if change.translations_changed]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.retired or self.changed or self.reordered)

    def summary(self) -> str:
        """In a few words, e.g. '1 factor added, 2 reworded', in the reader's language."""
        return ", ".join(part.text() for part in self.summary_parts())

    def summary_parts(self) -> list[Message]:
        """The summary's parts, kept as messages (an audit entry writes them in each reader's
        language): the first count names factors, the next ones read on from it."""
        parts = []
        if self.added:
            parts.append(NP_("%(num)d factor added", "%(num)d factors added", len(self.added)))
        if self.reworded:
            count = len(self.reworded)
            parts.append(
                NP_("%(num)d reworded", "%(num)d reworded", count)
                if parts
                else NP_("%(num)d factor reworded", "%(num)d factors reworded", count)
            )
        if self.retired:
            count = len(self.retired)
            parts.append(
                NP_("%(num)d retired", "%(num)d retired", count)
                if parts
                else NP_("%(num)d factor retired", "%(num)d factors retired", count)
            )
        if self.questions_changed:
            parts.append(
                NP_(
                    "guide questions changed on %(num)d factor",
                    "guide questions changed on %(num)d factors",
                    len(self.questions_changed),
                )
            )
        if self.examples_changed:
            parts.append(
                NP_(
                    "examples changed on %(num)d factor",
                    "examples changed on %(num)d factors",
                    len(self.examples_changed),
                )
            )
        if self.translated:
            parts.append(
                NP_(
                    "translations changed on %(num)d factor",
                    "translations changed on %(num)d factors",
                    len(self.translated),
                )
            )
        if self.reordered:
            parts.append(N_("factors reordered"))
        return parts or [N_("no change")]


def compare(old: Benchmark, new: Benchmark) -> Difference:
    """What changed from `old` to `new`."""
    difference = Difference()
    old_keys = {factor.key: factor for factor in old.factors}
    new_keys = {factor.key for factor in new.factors}
    for factor in new.factors:
        before = old_keys.get(factor.key)
        if before is None:
            difference.added.append(factor)
            continue
        change = _factor_change(before, factor)
        if change.any:
            difference.changed.append(change)
    difference.retired = [factor for factor in old.factors if factor.key not in new_keys]
    kept_old = [factor.key for factor in old.factors if factor.key in new_keys]
    kept_new = [factor.key for factor in new.factors if factor.key in old_keys]
    difference.reordered = kept_old != kept_new
    return difference


def _factor_change(old: FactorText, new: FactorText) -> FactorChange:
    change = FactorChange(old, new)
    for name in FACTOR_TEXTS:
        if getattr(old, name).strip() != getattr(new, name).strip():
            change.texts.append(TextChange(name, getattr(old, name), getattr(new, name)))
    old_questions = {q.id: q for q in old.guide_questions if q.id is not None}
    new_ids = {q.id for q in new.guide_questions}
    for question in new.guide_questions:
        before = old_questions.get(question.id) if question.id is not None else None
        if before is None:
            change.questions_added.append(question)
        elif (before.text.strip(), before.kind) != (question.text.strip(), question.kind):
            change.questions_changed.append(QuestionChange(before, question))
    change.questions_removed = [q for q in old.guide_questions if q.id not in new_ids]
    kept = [q.id for q in old.guide_questions if q.id in new_ids]
    change.questions_reordered = kept != [q.id for q in new.guide_questions if q.id in kept]
    change.examples_changed = _examples_changed(old.examples, new.examples)
    change.translations_changed = _translations_changed(old, new)
    return change


def _translations_changed(old: FactorText, new: FactorText) -> list[str]:
    """The languages in which the factor's translations, or those of the questions and
    examples it keeps, differ (a part added or removed is told as such, not here)."""
    pairs = [(old.translations, new.translations)]
    for before_parts, after_parts in (
        (old.guide_questions, new.guide_questions),
        (old.examples, new.examples),
    ):
        before = {part.id: part for part in before_parts if part.id is not None}
        pairs += [
            (before[part.id].translations, part.translations)
            for part in after_parts
            if part.id in before
        ]
    return [
        language
        for language in TRANSLATED
        if any(tidy(a).get(language, {}) != tidy(b).get(language, {}) for a, b in pairs)
    ]


def _examples_changed(old: tuple[ExampleText, ...], new: tuple[ExampleText, ...]) -> int:
    """How many examples were added, removed or changed."""

    def plain(example: ExampleText) -> tuple[object, ...]:
        return (
            example.city,
            example.country,
            example.title,
            example.summary,
            example.url,
            example.position,
        )

    before = {example.id: plain(example) for example in old if example.id is not None}
    count = 0
    for example in new:
        if example.id is None or before.pop(example.id, None) != plain(example):
            count += 1
    return count + len(before)


WORD = re.compile(r"\S+|\s+")


def word_diff(old: str, new: str) -> list[Segment]:
    """The new text against the old, word by word."""
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("=", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("-", "".join(old_words[a1:a2])))
        if b2 > b1:
            segments.append(Segment("+", "".join(new_words[b1:b2])))
    return segments
