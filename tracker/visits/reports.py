"""The outcome of a held visit: summary, observations, recommendations and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.db import utcnow
from tracker.exceptions import Place, RuleViolation, row_field
from tracker.extensions import db
from tracker.links import path_to
from tracker.locking import check_version, touch
from tracker.messages import N_, in_sentence
from tracker.notifications.service import notify
from tracker.organisations.models import Organisation
from tracker.pairs.queries import pair_people
from tracker.visits.models import (
    FollowUp,
    Observation,
    ObservationKind,
    Priority,
    Recommendation,
    Visit,
    VisitReport,
    VisitStatus,
)
from tracker.visits.service import eligible_participants

REPORTABLE = frozenset({VisitStatus.HELD, VisitStatus.REPORTED})


@dataclass
class ObservationInput:
    id: int | None
    factor_id: int | None
    kind: ObservationKind
    text: str
    remove: bool = False


@dataclass
class RecommendationInput:
    id: int | None
    factor_id: int | None
    priority: Priority
    text: str
    remove: bool = False


@dataclass
class FollowUpInput:
    id: int | None
    text: str
    owner: str  # "user:<id>" or "organisation:<id>"
    due_on: date | None
    done: bool = False
    remove: bool = False


def follow_up_owners(visit: Visit) -> list[tuple[str, str]]:
    """Who can own a follow-up: the pair's organisations and their members, as (key, label)."""
    pair = visit.pair
    organisations = [pair.implementing_city, pair.mentor_city, pair.theme.expert_organisation]
    owners = [(f"organisation:{org.id}", org.name) for org in organisations if org is not None]
    owners += [
        (f"user:{user.id}", f"{user.name} ({user.organisation.name})")
        for user in eligible_participants(pair)
    ]
    return owners


def save_report(
    actor: User,
    visit: Visit,
    *,
    summary: str,
    observations: list[ObservationInput],
    recommendations: list[RecommendationInput],
    follow_ups: list[FollowUpInput],
    expected_version: int | None = None,
) -> VisitReport:
    """Create or update the visit's report; a held visit becomes reported. Every problem of the
    summary and the rows is reported at once."""
    if visit.status not in REPORTABLE:
        raise RuleViolation(_("A report can be written once the visit has been held."))
    problems = report_problems(
        visit,
        summary=summary,
        observations=observations,
        recommendations=recommendations,
        follow_ups=follow_ups,
    )
    if problems:
        raise RuleViolation(
            ngettext(
                "The report has a problem to correct.",
                "The report has %(num)d problems to correct.",
                len(problems),
            ),
            problems=problems,
        )
    report = visit.report
    is_new = report is None
    if report is None:
        report = VisitReport(visit=visit, summary="", author_id=actor.id)
        db.session.add(report)
    else:
        check_version(report, expected_version)
    changes = _Changes()
    report.summary = summary.strip()
    _sync(
        report.observations,
        observations,
        Observation,
        changes,
        "observations",
        lambda item: {"factor_id": item.factor_id, "kind": item.kind},
    )
    _sync_recommendations(report, recommendations, changes)
    _sync_follow_ups(report, follow_ups, changes)
    touch(report)
    if visit.status is VisitStatus.HELD:
        visit.status = VisitStatus.REPORTED
    db.session.flush()
    if is_new:
        notify(
            pair_people(visit.pair),
            "visit_report",
            N_(
                "The report of the %(kind)s of %(pair)s is available",
                kind=in_sentence(visit.kind),
                pair=visit.pair.label,
            ),
            path_to("visits.show", visit_id=visit.id),
            actor=actor,
        )
    reported = {"pair": visit.pair.label, "date": visit.starts_on, "changes": changes.describe()}
    record(
        actor,
        "visit.report_logged" if is_new else "visit.report_updated",
        report,
        N_(
            "Logged the report of the visit of %(pair)s on %(date)s (%(changes)s)",
            **reported,
        )
        if is_new
        else N_(
            "Updated the report of the visit of %(pair)s on %(date)s (%(changes)s)",
            **reported,
        ),
        pair_id=visit.pair_id,
        changes=changes.counts,
    )
    return report


def report_problems(
    visit: Visit,
    *,
    summary: str,
    observations: list[ObservationInput],
    recommendations: list[RecommendationInput],
    follow_ups: list[FollowUpInput],
) -> list[tuple[Place, str]]:
    """What keeps the report from being saved, as (field, message): a missing summary, and each
    kept row's factor outside the pair's theme, or owner outside the pair, or missing due date."""
    problems = []
    if not summary.strip():
        problems.append(("summary", _("Write a summary of the visit.")))
    # Retired factors too: a report written before a new version keeps its rows' factors.
    factor_ids = {factor.id for factor in visit.pair.theme.all_factors}
    for rows, items, message in (
        ("observations", observations, _("Tie this observation to a factor of this pair's theme.")),
        (
            "recommendations",
            recommendations,
            _("Tie this recommendation to a factor of this pair's theme."),
        ),
    ):
        for index, item in enumerate(items):
            if _kept(item) and item.factor_id not in factor_ids:
                problems.append((row_field(rows, index, "factor_id"), message))
    owners = dict(follow_up_owners(visit))
    for index, follow_up in enumerate(follow_ups):
        if not _kept(follow_up):
            continue
        if follow_up.owner not in owners:
            problems.append(
                (row_field("follow_ups", index, "owner"), _("Choose who owns this follow-up."))
            )
        if follow_up.due_on is None:
            problems.append(
                (row_field("follow_ups", index, "due_on"), _("Give this follow-up a due date."))
            )
    return problems


def _kept(item: ObservationInput | RecommendationInput | FollowUpInput) -> bool:
    """Whether a row is saved: rows marked for removal and rows left empty are not."""
    return not item.remove and bool(item.text.strip())


class _Changes:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def describe(self) -> str:
        return ", ".join(f"{what}: {count}" for what, count in sorted(self.counts.items())) or (
            "summary only"
        )


def _sync(
    existing: list[Any],
    items: list[Any],
    model: type,
    changes: _Changes,
    label: str,
    values_of: Any,
) -> None:
    """Add, change and remove child rows to match the form; rows are matched by id."""
    by_id = {row.id: row for row in existing}
    for item in items:
        row = by_id.get(item.id) if item.id else None
        if item.id and row is None:
            raise RuleViolation(_("The report changed meanwhile; reload the page."))
        if not _kept(item):
            if row is not None:
                existing.remove(row)
                changes.add(f"{label} removed")
            continue
        values = {**values_of(item), "text": item.text.strip()}
        if row is None:
            existing.append(model(**values))
            changes.add(f"{label} added")
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changes.add(f"{label} changed")


def _sync_recommendations(
    report: VisitReport, items: list[RecommendationInput], changes: _Changes
) -> None:
    _sync(
        report.recommendations,
        items,
        Recommendation,
        changes,
        "recommendations",
        lambda item: {"factor_id": item.factor_id, "priority": item.priority},
    )
    # New recommendations go last; numbers of removed ones are not reused.
    last = max((row.position or 0 for row in report.recommendations), default=0)
    for row in report.recommendations:
        if row.position is None:
            last += 1
            row.position = last


def _sync_follow_ups(report: VisitReport, items: list[FollowUpInput], changes: _Changes) -> None:
    by_id = {row.id: row for row in report.follow_ups}
    for item in items:
        row = by_id.get(item.id) if item.id else None
        if not _kept(item):
            if row is not None:
                report.follow_ups.remove(row)
                changes.add("follow-ups removed")
            continue
        kind, _sep, owner_id = item.owner.partition(":")
        values = {
            "text": item.text.strip(),
            "due_on": item.due_on,
            "owner_user_id": int(owner_id) if kind == "user" else None,
            "owner_organisation_id": int(owner_id) if kind == "organisation" else None,
        }
        if row is None:
            row = FollowUp(**values)
            report.follow_ups.append(row)
            changes.add("follow-ups added")
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changes.add("follow-ups changed")
        if item.done != (row.done_at is not None):
            row.done_at = utcnow() if item.done else None
            changes.add("follow-ups completed" if item.done else "follow-ups reopened")


def owner_key(follow_up: FollowUp) -> str:
    if follow_up.owner_user_id:
        return f"user:{follow_up.owner_user_id}"
    return f"organisation:{follow_up.owner_organisation_id}"


def owner_label(follow_up: FollowUp) -> str:
    owner: User | Organisation | None = follow_up.owner_user or follow_up.owner_organisation
    return owner.name if owner else ""
