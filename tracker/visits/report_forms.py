"""Between the report form and the report service: rows in, plain inputs out."""

from __future__ import annotations

from typing import Any

from flask import request

from tracker.catalogue.models import Factor
from tracker.forms import choices
from tracker.visits.forms import BLANK_ROWS, ReportForm
from tracker.visits.models import ObservationKind, Priority, Visit
from tracker.visits.reports import (
    FollowUpInput,
    ObservationInput,
    RecommendationInput,
    follow_up_owners,
    owner_key,
)


def build(visit: Visit, factors: list[Factor]) -> ReportForm:
    """The report form: existing rows plus a few blank ones, with the theme's factors."""
    report = visit.report
    data: dict[str, Any] = {}
    if request.method == "GET":
        blank = [{}] * BLANK_ROWS
        data = {
            "summary": report.summary if report else "",
            "version": report.version_id if report else None,
            "observations": [
                {"row_id": o.id, "factor_id": o.factor_id, "kind": o.kind.value, "text": o.text}
                for o in (report.observations if report else [])
            ]
            + blank,
            "recommendations": [
                {
                    "row_id": r.id,
                    "factor_id": r.factor_id,
                    "priority": r.priority.value,
                    "text": r.text,
                }
                for r in (report.recommendations if report else [])
            ]
            + blank,
            "follow_ups": [
                {
                    "row_id": f.id,
                    "text": f.text,
                    "owner": owner_key(f),
                    "due_on": f.due_on,
                    "done": f.done_at is not None,
                }
                for f in (report.follow_ups if report else [])
            ]
            + blank,
        }
    form = ReportForm(data=data) if data else ReportForm()
    factor_choices = choices([("", "—"), *((factor.id, factor) for factor in factors)])
    owner_choices = choices([("", "—"), *follow_up_owners(visit)])
    for entry in form.observations:
        entry.factor_id.choices = factor_choices
    for entry in form.recommendations:
        entry.factor_id.choices = factor_choices
    for entry in form.follow_ups:
        entry.owner.choices = owner_choices
    return form


def inputs(form: ReportForm) -> dict[str, Any]:
    """The form's content as plain values for `save_report`."""
    return {
        "summary": form.summary.data or "",
        "expected_version": form.version.data,
        "observations": [
            ObservationInput(
                id=entry.row_id.data,
                factor_id=_int(entry.factor_id.data),
                kind=ObservationKind(entry.kind.data),
                text=entry.text.data or "",
                remove=entry.remove.data,
            )
            for entry in form.observations
        ],
        "recommendations": [
            RecommendationInput(
                id=entry.row_id.data,
                factor_id=_int(entry.factor_id.data),
                priority=Priority(entry.priority.data),
                text=entry.text.data or "",
                remove=entry.remove.data,
            )
            for entry in form.recommendations
        ],
        "follow_ups": [
            FollowUpInput(
                id=entry.row_id.data,
                text=entry.text.data or "",
                owner=entry.owner.data or "",
                due_on=entry.due_on.data,
                done=entry.done.data,
                remove=entry.remove.data,
            )
            for entry in form.follow_ups
        ],
    }


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
