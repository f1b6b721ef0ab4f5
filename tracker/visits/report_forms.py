"""Between the report form and the report service: rows in, plain inputs out, and the service's
problems shown on the rows they belong to."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from tracker.catalogue.models import Factor
from tracker.exceptions import RuleViolation, show_on_form
from tracker.forms import choices, name_row
from tracker.visits.forms import BLANK_ROWS, ReportForm
from tracker.visits.models import ObservationKind, Priority, Visit
from tracker.visits.reports import (
    FollowUpInput,
    ObservationInput,
    RecommendationInput,
    follow_up_owners,
    owner_key,
    report_problems,
)

# What each row is called, with its number: "Observation 2".
ROW_NAMES = {
    "observations": lambda number: _("Observation %(number)d", number=number),
    "recommendations": lambda number: _("Recommendation %(number)d", number=number),
    "follow_ups": lambda number: _("Follow-up %(number)d", number=number),
}


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
    # A row tied to a factor a later version retired keeps it among its choices.
    rows = [*report.observations, *report.recommendations] if report else []
    kept = sorted({row.factor for row in rows} - set(factors), key=lambda factor: factor.id)
    factor_choices = choices([("", "—"), *((factor.id, factor) for factor in [*factors, *kept])])
    owner_choices = choices([("", "—"), *follow_up_owners(visit)])
    for entry in form.observations:
        entry.factor_id.choices = factor_choices
    for entry in form.recommendations:
        entry.factor_id.choices = factor_choices
    for entry in form.follow_ups:
        entry.owner.choices = owner_choices
    _name_rows(form)
    return form


def _name_rows(form: ReportForm) -> None:
    """Name each row's fields after the row (tracker.forms.name_row)."""
    for rows, name_of in ROW_NAMES.items():
        for number, entry in enumerate(form[rows], 1):
            name_row(entry, name_of(number))


def show_rule_problems(form: ReportForm, visit: Visit) -> None:
    """On a form that failed its own checks, show the report's rule problems too (a row's factor
    outside the theme, a follow-up without owner), so that every problem is reported at once."""
    values = inputs(form)
    del values["expected_version"]
    problems = report_problems(visit, **values)
    if problems:
        show_on_form(form, RuleViolation("", problems=problems))


def inputs(form: ReportForm) -> dict[str, Any]:
    """The form's content as plain values for `save_report`."""
    return {
        "summary": form.summary.data or "",
        "expected_version": form.version.data,
        "observations": [
            ObservationInput(
                id=entry.row_id.data,
                factor_id=_int(entry.factor_id.data),
                kind=_choice(ObservationKind, entry.kind.data, ObservationKind.STRENGTH),
                text=entry.text.data or "",
                remove=entry.remove.data,
            )
            for entry in form.observations
        ],
        "recommendations": [
            RecommendationInput(
                id=entry.row_id.data,
                factor_id=_int(entry.factor_id.data),
                priority=_choice(Priority, entry.priority.data, Priority.MEDIUM),
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


def _choice(enum_class: Any, value: Any, default: Any) -> Any:
    """The enum member chosen; the default where the form refused the choice (and so the report
    is not saved: its other problems are still shown)."""
    try:
        return enum_class(value)
    except ValueError:
        return default


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
