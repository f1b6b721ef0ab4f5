"""Writing a theme's draft benchmark: factors added, changed, moved, retired; the draft
discarded, published, or made from a loaded file. Every change is audited; a save made from
an older state of the draft is refused (the person's text stays in their form)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.assessments.models import Assessment, AssessmentStatus, FactorRating
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.benchmarks.content import (
    Benchmark,
    ExampleText,
    FactorText,
    QuestionText,
    live_benchmark,
)
from tracker.benchmarks.diff import Difference, compare
from tracker.benchmarks.models import BenchmarkDraft, BenchmarkVersion, DraftSource
from tracker.benchmarks.publishing import publish_draft
from tracker.benchmarks.queries import latest_version, theme_draft
from tracker.catalogue.models import Factor, QuestionKind, Theme
from tracker.content_languages import Translations, tidy
from tracker.downloads import plain_letters
from tracker.exceptions import RuleViolation, StaleObject, row_field
from tracker.extensions import db
from tracker.locking import check_version
from tracker.messages import N_
from tracker.organisations.models import Organisation, OrganisationKind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LIMITS = {"key": 80, "title": 300, "city": 200, "country": 100, "example_title": 300, "url": 1000}


@dataclass
class QuestionInput:
    text: str
    kind: str = QuestionKind.SCALE.value
    id: int | None = None
    translations: Translations = field(default_factory=dict)


@dataclass
class ExampleInput:
    city_id: int | None = None  # chosen from the city organisations
    city: str = ""  # or typed
    country: str = ""
    title: str = ""
    summary: str = ""
    url: str = ""
    id: int | None = None
    translations: Translations = field(default_factory=dict)

    @property
    def is_blank(self) -> bool:
        return not any(
            (self.city_id, *(v.strip() for v in (self.city, self.title, self.summary, self.url)))
        )


@dataclass
class FactorInput:
    key: str
    title: str
    statement: str
    rationale: str = ""
    questions: list[QuestionInput] = field(default_factory=list)
    examples: list[ExampleInput] = field(default_factory=list)
    translations: Translations = field(default_factory=dict)


def draft_benchmark(theme: Theme) -> tuple[BenchmarkDraft | None, Benchmark]:
    """The theme's draft, and what it says (the latest version's text while there is none)."""
    draft = theme_draft(theme.id)
    if draft is not None:
        return draft, Benchmark.from_json(draft.content)
    return None, live_benchmark(theme.id)


def since_latest(theme_id: int, benchmark: Benchmark) -> Difference:
    """How a benchmark differs from the theme's latest published version."""
    latest = latest_version(theme_id)
    return compare(Benchmark.from_json(latest.content) if latest else Benchmark(), benchmark)


def save_factor(
    actor: User,
    theme: Theme,
    original_key: str | None,
    data: FactorInput,
    expected_version: int | None,
) -> FactorText:
    """Add a factor to the draft (original_key None) or change one; checks every field."""
    draft, benchmark = _editable(actor, theme, expected_version)
    original = benchmark.factor(original_key) if original_key else None
    if original_key and original is None:
        raise RuleViolation(_("This factor is no longer in the draft."))
    factor = _checked_factor(theme, benchmark, original, data)
    if original is None:
        factors = [*benchmark.factors, factor]
    else:
        factors = [factor if item.key == original.key else item for item in benchmark.factors]
    _store(actor, draft, benchmark.with_factors(factors))
    action = "added" if original is None else "changed"
    record(
        actor,
        f"benchmark.factor_{action}",
        draft,
        N_(
            "Added factor '%(factor)s' in the draft of theme %(theme)s's benchmark",
            factor=factor.key,
            theme=theme.code,
        )
        if original is None
        else N_(
            "Changed factor '%(factor)s' in the draft of theme %(theme)s's benchmark",
            factor=factor.key,
            theme=theme.code,
        ),
        theme_id=theme.id,
        factor=factor.key,
    )
    return factor


def move_factor(
    actor: User, theme: Theme, key: str, step: int, expected_version: int | None
) -> None:
    """Move a factor one place up (step -1) or down (+1) in the draft."""
    draft, benchmark = _editable(actor, theme, expected_version)
    factors = list(benchmark.factors)
    index = next((i for i, factor in enumerate(factors) if factor.key == key), None)
    if index is None:
        raise RuleViolation(_("This factor is no longer in the draft."))
    target = index + step
    if not 0 <= target < len(factors):
        raise RuleViolation(_("The factor is already at that end of the list."))
    factors[index], factors[target] = factors[target], factors[index]
    _store(actor, draft, benchmark.with_factors(factors))
    record(
        actor,
        "benchmark.factor_moved",
        draft,
        (
            N_(
                "Moved factor '%(factor)s' up to place %(place)d in the draft of theme "
                "%(theme)s's benchmark",
                factor=key,
                place=target + 1,
                theme=theme.code,
            )
            if step < 0
            else N_(
                "Moved factor '%(factor)s' down to place %(place)d in the draft of theme "
                "%(theme)s's benchmark",
                factor=key,
                place=target + 1,
                theme=theme.code,
            )
        ),
        theme_id=theme.id,
        factor=key,
        position=target + 1,
    )


def rounds_rating(theme: Theme, factor_id: int | None) -> list[Assessment]:
    """The theme's draft rounds that have rated the factor already."""
    if factor_id is None:
        return []
    return list(
        db.session.execute(
            sa.select(Assessment)
            .join(FactorRating, FactorRating.assessment_id == Assessment.id)
            .where(
                Assessment.theme_id == theme.id,
                Assessment.status == AssessmentStatus.DRAFT,
                FactorRating.factor_id == factor_id,
            )
            .order_by(Assessment.id)
        )
        .unique()
        .scalars()
    )


def retire_factor(
    actor: User, theme: Theme, key: str, expected_version: int | None, *, confirmed: bool
) -> None:
    """Take a factor out of the draft; it is retired when the draft is published. While a
    draft round is rating it, the person confirms first."""
    draft, benchmark = _editable(actor, theme, expected_version)
    factor = benchmark.factor(key)
    if factor is None:
        raise RuleViolation(_("This factor is no longer in the draft."))
    rounds = rounds_rating(theme, factor.id)
    if rounds and not confirmed:
        raise RuleViolation(
            ngettext(
                "A round in progress is rating this factor (%(rounds)s). It keeps the factor, "
                "but later rounds will not have it. Tick the box to retire it anyway.",
                "%(num)d rounds in progress are rating this factor (%(rounds)s). They keep "
                "the factor, but later rounds will not have it. Tick the box to retire it "
                "anyway.",
                len(rounds),
                rounds="; ".join(f"{a.city.name}, {str(a.round.label).lower()}" for a in rounds),
            ),
            "confirm",
        )
    _store(actor, draft, benchmark.with_factors([f for f in benchmark.factors if f.key != key]))
    record(
        actor,
        "benchmark.factor_retired",
        draft,
        N_(
            "Took factor '%(factor)s' out of the draft of theme %(theme)s's benchmark",
            factor=key,
            theme=theme.code,
        ),
        theme_id=theme.id,
        factor=key,
        rounds_rating=[a.id for a in rounds],
    )


def discard_draft(actor: User, theme: Theme, expected_version: int | None) -> None:
    draft = theme_draft(theme.id)
    if draft is None:
        raise RuleViolation(_("There is no draft to discard."))
    check_version(draft, expected_version)
    db.session.delete(draft)
    db.session.flush()
    record(
        actor,
        "benchmark.draft_discarded",
        "BenchmarkDraft",
        N_("Discarded the draft of theme %(theme)s's benchmark", theme=theme.code),
        theme_id=theme.id,
    )


def publish(actor: User, theme: Theme, note: str, expected_version: int | None) -> BenchmarkVersion:
    draft = theme_draft(theme.id)
    if draft is None:
        raise RuleViolation(_("There is no draft to publish."))
    check_version(draft, expected_version)
    return publish_draft(actor, draft, note)


def take_loaded_benchmarks(
    actor: User | None, report: Any, filename: str, *, first: bool
) -> list[BenchmarkDraft]:
    """Make each benchmark a loaded file changes a draft of its theme; with `first`, a theme
    without any version gets it published as version 1 at once (the shipped catalogue)."""
    drafts = []
    for item in report.benchmarks:
        if first and latest_version(item.theme.id) is None and theme_draft(item.theme.id) is None:
            draft = _new_draft(item.theme)
            _store(actor, draft, item.benchmark)
            publish_draft(actor, draft, _("First version, from the catalogue file."))
        else:
            drafts.append(replace_with_file(actor, item.theme, item.benchmark, filename))
    return drafts


def replace_with_file(
    actor: User | None, theme: Theme, benchmark: Benchmark, filename: str
) -> BenchmarkDraft:
    """Make a loaded file's benchmark the theme's draft (never changing a published version).
    A draft someone is writing in the tracker is not overwritten."""
    draft = theme_draft(theme.id)
    if draft is not None and draft.source is DraftSource.WEB:
        raise RuleViolation(
            _(
                "Theme %(code)s already has a draft being written in the tracker. Publish or "
                "discard it before loading a file for this theme.",
                code=theme.code,
            ),
            "file",
        )
    if draft is None:
        draft = _new_draft(theme)
    draft.source = DraftSource.FILE
    _store(actor, draft, benchmark)
    record(
        actor,
        "benchmark.draft_loaded",
        draft,
        N_(
            "Made a draft of theme %(theme)s's benchmark from the file %(filename)s: %(summary)s",
            theme=theme.code,
            filename=filename,
            summary=since_latest(theme.id, benchmark).summary_parts(),
        ),
        theme_id=theme.id,
    )
    return draft


# --- the draft ----------------------------------------------------------------------------------


def _new_draft(theme: Theme) -> BenchmarkDraft:
    latest = latest_version(theme.id)
    draft = BenchmarkDraft(
        theme=theme,
        based_on=latest.number if latest else None,
        content=live_benchmark(theme.id).to_json(),
    )
    db.session.add(draft)
    return draft


def _editable(
    actor: User, theme: Theme, expected_version: int | None
) -> tuple[BenchmarkDraft, Benchmark]:
    """The draft to change, made from the latest version if there is none. The form says
    the draft's version it started from, 0 when there was no draft yet."""
    draft = theme_draft(theme.id)
    if draft is None:
        if expected_version:  # published or discarded since the form was loaded
            raise StaleObject(_stale_message(), current_version=0)
        draft = _new_draft(theme)
    elif expected_version == 0:  # someone else started a draft meanwhile
        raise StaleObject(_stale_message(), current_version=draft.version_id)
    else:
        check_version(draft, expected_version)
    return draft, Benchmark.from_json(draft.content)


def _stale_message() -> str:
    return _(
        "Someone else changed this theme's draft while you were editing, so nothing was "
        "saved. Your text is still in the form: open the draft in a new tab to see their "
        "changes. Saving this form again will apply yours to it."
    )


def _store(actor: User | None, draft: BenchmarkDraft, benchmark: Benchmark) -> None:
    draft.content = benchmark.to_json()
    draft.updated_by_id = getattr(actor, "id", None)
    db.session.flush()


# --- checking a factor --------------------------------------------------------------------------


def _checked_factor(
    theme: Theme, benchmark: Benchmark, original: FactorText | None, data: FactorInput
) -> FactorText:
    problems: list[tuple[object, str]] = []
    key = key_of(data.key) if data.key.strip() else key_of(data.title)
    if not SLUG.match(key):
        problems.append(
            ("key", _("Give a short key of letters, digits and dashes, like 'job-offers'."))
        )
    elif len(key) > LIMITS["key"]:
        problems.append(("key", _("The key can be at most 80 characters.")))
    elif any(f.key == key and f is not original for f in benchmark.factors):
        problems.append(("key", _("Another factor of this theme has the key '%(key)s'.", key=key)))
    elif (retired := _retired_with_key(theme, key)) is not None and (
        original is None or original.id != retired.id
    ):
        problems.append(
            (
                "key",
                _(
                    "A factor retired in version %(number)d had the key '%(key)s'; choose another.",
                    number=retired.retired_in_version,
                    key=key,
                ),
            )
        )
    if not data.title.strip():
        problems.append(("title", _("Give the factor a title.")))
    elif len(data.title.strip()) > LIMITS["title"]:
        problems.append(("title", _("The title can be at most 300 characters.")))
    for language, texts in tidy(data.translations).items():
        if len(texts.get("title", "")) > LIMITS["title"]:
            problems.append((f"title_{language}", _("The title can be at most 300 characters.")))
    if not data.statement.strip():
        problems.append(("statement", _("Write the factor's statement: what good looks like.")))
    questions = _checked_questions(original, data.questions, problems)
    examples = _checked_examples(original, data.examples, problems)
    if problems:
        raise RuleViolation(
            _("The factor is not saved: correct what is marked."), problems=problems
        )
    return FactorText(
        id=original.id if original else None,
        key=key,
        title=data.title.strip(),
        statement=data.statement.strip(),
        rationale=data.rationale.strip(),
        translations=tidy(data.translations),
        guide_questions=questions,
        examples=examples,
    )


def key_of(text: str) -> str:
    """A factor's key from what was typed: plain small letters and digits joined by dashes
    ("Job offers (Łódź)" → "job-offers-lodz")."""
    plain = plain_letters(text).lower()
    return "-".join(part for part in re.split(r"[^a-z0-9]+", plain) if part)


def _retired_with_key(theme: Theme, key: str) -> Factor | None:
    return db.session.execute(
        sa.select(Factor).where(
            Factor.theme_id == theme.id, Factor.key == key, Factor.retired_in_version.is_not(None)
        )
    ).scalar_one_or_none()


def _checked_questions(
    original: FactorText | None, rows: list[QuestionInput], problems: list[tuple[object, str]]
) -> tuple[QuestionText, ...]:
    known = {q.id for q in original.guide_questions} if original else set()
    questions = []
    for row in rows:
        if not row.text.strip():
            continue
        if row.kind not in {kind.value for kind in QuestionKind}:
            row.kind = QuestionKind.SCALE.value
        questions.append(
            QuestionText(
                text=row.text.strip(),
                kind=row.kind,
                id=row.id if row.id in known else None,
                translations=tidy(row.translations),
            )
        )
    if not questions:
        problems.append(
            (row_field("questions", 0, "text"), _("Write at least one guide question."))
        )
    return tuple(questions)


def _checked_examples(
    original: FactorText | None, rows: list[ExampleInput], problems: list[tuple[object, str]]
) -> tuple[ExampleText, ...]:
    known = {e.id for e in original.examples} if original else set()
    examples = []
    for index, row in enumerate(rows):
        if row.is_blank:
            continue
        city_name, city_id, country = _example_city(row, index, problems)
        for name, message in (
            ("title", _("Give the example a title.")),
            ("summary", _("Say in a few lines what the city did.")),
        ):
            if not getattr(row, name).strip():
                problems.append((row_field("examples", index, name), message))
        url = row.url.strip()
        if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
            problems.append(
                (
                    row_field("examples", index, "url"),
                    _("Give a web address starting with https:// or http://."),
                )
            )
        translated = tidy(row.translations)
        for name, limit, text in (
            ("country", 100, row.country),
            ("title", 300, row.title),
            ("url", 1000, row.url),
            *(
                (f"title_{language}", 300, texts.get("title", ""))
                for language, texts in translated.items()
            ),
        ):
            if len(text.strip()) > limit:
                problems.append(
                    (
                        row_field("examples", index, name),
                        _("This can be at most %(num)d characters.", num=limit),
                    )
                )
        examples.append(
            ExampleText(
                city=city_name,
                city_id=city_id,
                country=row.country.strip() or country,
                title=row.title.strip(),
                summary=row.summary.strip(),
                url=url or None,
                id=row.id if row.id in known else None,
                translations=translated,
            )
        )
    return tuple(examples)


def _example_city(
    row: ExampleInput, index: int, problems: list[tuple[object, str]]
) -> tuple[str, int | None, str | None]:
    """The example's city: an organisation chosen (it must be a city), or a name typed (a
    city of the tracker by that name is linked; another kind of organisation is refused)."""
    place = row_field("examples", index, "city")
    if row.city_id:
        organisation = db.session.get(Organisation, row.city_id)
    elif row.city.strip():
        organisation = db.session.execute(
            sa.select(Organisation).where(Organisation.name == row.city.strip())
        ).scalar_one_or_none()
        if organisation is None:
            if len(row.city.strip()) > LIMITS["city"]:
                problems.append((place, _("The city's name can be at most 200 characters.")))
            return row.city.strip(), None, None
    else:
        problems.append((place, _("Choose the example's city or type its name.")))
        return "", None, None
    if organisation is None or organisation.kind is not OrganisationKind.CITY:
        name = organisation.name if organisation else row.city
        problems.append(
            (
                place,
                _(
                    "%(name)s is not a city. Choose a city, or type the name of a city "
                    "that is not in the tracker.",
                    name=name,
                ),
            )
        )
        return name, None, None
    return organisation.name, organisation.id, organisation.country
