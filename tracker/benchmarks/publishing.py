"""Publishing a theme's draft as its next version: the catalogue rows take the draft's text
(what it leaves out is retired, never deleted), the version keeps the whole text as it is
now, the theme's pairs hear of it, and the audit log says who did it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.benchmarks.content import Benchmark, FactorText, live_benchmark
from tracker.benchmarks.diff import Difference, compare
from tracker.benchmarks.models import BenchmarkDraft, BenchmarkVersion
from tracker.benchmarks.queries import latest_version
from tracker.catalogue.models import Example, Factor, GuideQuestion, QuestionKind, Theme
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.links import path_to
from tracker.messages import N_
from tracker.notifications.service import notify
from tracker.pairs.models import Pair
from tracker.pairs.queries import pair_people


def check_publishable(benchmark: Benchmark) -> None:
    """A version rates something, and each factor asks at least one guide question."""
    if not benchmark.factors:
        raise RuleViolation(
            _("A benchmark needs at least one factor before it can be published."), "note"
        )
    without = [str(factor) for factor in benchmark.factors if not factor.guide_questions]
    if without:
        raise RuleViolation(
            _(
                "Each factor needs at least one guide question before publishing. "
                "Without one: %(factors)s.",
                factors="; ".join(without),
            ),
            "note",
        )


def publish_draft(actor: User | None, draft: BenchmarkDraft, note: str) -> BenchmarkVersion:
    """Publish the draft as the theme's next version and remove the draft."""
    theme = draft.theme
    benchmark = Benchmark.from_json(draft.content)
    check_publishable(benchmark)
    latest = latest_version(theme.id)
    previous = Benchmark.from_json(latest.content) if latest else Benchmark()
    difference = compare(previous, benchmark)
    if latest is not None and difference.is_empty:
        raise RuleViolation(
            _(
                "Nothing to publish: the draft says the same as version %(number)d.",
                number=latest.number,
            ),
            "note",
        )
    number = latest.number + 1 if latest else 1
    write_rows(theme, benchmark, number)
    version = _snapshot(actor, theme, number, note.strip())
    db.session.delete(draft)
    db.session.flush()
    summary = difference.summary_parts() if latest else N_("first version")
    record(
        actor,
        "benchmark.published",
        version,
        N_(
            "Published version %(number)d of theme %(theme)s's benchmark: %(summary)s",
            number=number,
            theme=theme.code,
            summary=summary,
        ),
        theme_id=theme.id,
        number=number,
        note=version.note,
        added=[factor.key for factor in difference.added],
        retired=[factor.key for factor in difference.retired],
        reworded=[change.new.key for change in difference.reworded],
    )
    if latest is not None:
        _notify_pairs(actor, theme, version, difference)
    return version


def publish_first_versions(actor: User | None = None) -> list[BenchmarkVersion]:
    """Publish version 1 of every theme that has factors but no version yet, as its rows say
    (a catalogue loaded for the first time)."""
    themes = db.session.execute(
        sa.select(Theme).where(
            sa.exists().where(Factor.theme_id == Theme.id),
            ~sa.exists().where(BenchmarkVersion.theme_id == Theme.id),
        )
    ).scalars()
    versions = []
    for theme in themes:
        version = _snapshot(actor, theme, 1, _("First version, from the catalogue file."))
        record(
            actor,
            "benchmark.published",
            version,
            N_(
                "Published version 1 of theme %(theme)s's benchmark from the catalogue",
                theme=theme.code,
            ),
            theme_id=theme.id,
            number=1,
        )
        versions.append(version)
    return versions


def _snapshot(actor: User | None, theme: Theme, number: int, note: str) -> BenchmarkVersion:
    version = BenchmarkVersion(
        theme=theme,
        number=number,
        published_by_id=getattr(actor, "id", None),
        note=note,
        content=live_benchmark(theme.id).to_json(),
    )
    db.session.add(version)
    db.session.flush()
    return version


def _notify_pairs(
    actor: User | None, theme: Theme, version: BenchmarkVersion, difference: Difference
) -> None:
    pairs = db.session.execute(sa.select(Pair).where(Pair.theme_id == theme.id)).scalars()
    people = [person for pair in pairs for person in pair_people(pair)]
    notify(
        people,
        "benchmark_published",
        N_(
            "Theme %(code)s's benchmark is now version %(number)d: %(summary)s",
            code=theme.code,
            number=version.number,
            summary=difference.summary_parts(),
        ),
        path_to(
            "benchmarks.version",
            key=theme.programme.key,
            code=theme.code,
            number=version.number,
        ),
        version.note,
        actor=actor,
    )


# --- writing the catalogue rows ---------------------------------------------------------------


def write_rows(theme: Theme, benchmark: Benchmark, number: int) -> None:
    """Make the theme's catalogue rows say what `benchmark` says; rows it leaves out are
    retired in version `number` (they keep their ratings and old versions keep their text)."""
    by_id = {factor.id: factor for factor in theme.all_factors}
    by_key = {factor.key: factor for factor in theme.all_factors}
    kept: set[int] = set()
    for text in benchmark.factors:
        row = by_id.get(text.id) if text.id is not None else by_key.get(text.key)
        if row is None:
            row = Factor(key=text.key, position=text.position, title=text.title, statement="")
            theme.all_factors.append(row)
        _write_factor(row, text, number)
        kept.add(id(row))
    for row in theme.all_factors:
        if id(row) not in kept and row.retired_in_version is None:
            row.retired_in_version = number
    db.session.flush()
    # The live-only relationships were loaded before the rows changed.
    db.session.expire(theme, ["factors"])
    for row in theme.all_factors:
        db.session.expire(row, ["guide_questions", "examples"])


def _write_factor(row: Factor, text: FactorText, number: int) -> None:
    _set(
        row,
        key=text.key,
        position=text.position,
        title=text.title,
        statement=text.statement,
        rationale=text.rationale,
        translations=text.translations,
        retired_in_version=None,
    )
    _write_children(
        row.all_guide_questions,
        GuideQuestion,
        [
            (
                q.id,
                {
                    "position": q.position,
                    "text": q.text,
                    "kind": QuestionKind(q.kind),
                    "translations": q.translations,
                },
            )
            for q in text.guide_questions
        ],
        number,
    )
    _write_children(
        row.all_examples,
        Example,
        [
            (
                e.id,
                {
                    "position": e.position,
                    "city_name": e.city,
                    "city_id": e.city_id,
                    "country": e.country,
                    "title": e.title,
                    "summary": e.summary,
                    "url": e.url,
                    "translations": e.translations,
                },
            )
            for e in text.examples
        ],
        number,
    )


def _write_children(
    rows: list[Any], model: type, items: list[tuple[int | None, dict[str, Any]]], number: int
) -> None:
    by_id = {row.id: row for row in rows}
    kept = set()
    for item_id, values in items:
        row = by_id.get(item_id) if item_id is not None else None
        if row is None:
            row = model(**values)
            rows.append(row)
        _set(row, retired_in_version=None, **values)
        kept.add(id(row))
    for row in rows:
        if id(row) not in kept and row.retired_in_version is None:
            row.retired_in_version = number


def _set(row: Any, **values: Any) -> None:
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
