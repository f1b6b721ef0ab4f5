"""The plan as CSV and XLSX: one row per action with its factors and latest progress."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.plans.models import Action, ActionPlan
from tracker.spreadsheets import Workbook, csv_bytes


def header() -> list[str]:
    """The columns' names, in the reader's language."""
    return [
        _("Action"),
        _("Title"),
        _("Benchmark factors"),
        _("Owner"),
        _("Partners"),
        _("Starts"),
        _("Ends"),
        _("Status"),
        _("Progress %"),
        _("Indicator"),
        _("Target"),
        _("Resources"),
        _("From recommendation"),
        _("Inspired by"),
        _("Description"),
    ]


WIDTHS = [8, 40, 40, 22, 22, 12, 12, 14, 10, 30, 20, 24, 40, 30, 60]


def action_row(action: Action) -> list[object]:
    owner = action.owner_user.name if action.owner_user else action.owner_name
    example = action.example
    return [
        action.position,
        action.title,
        "; ".join(f"{factor.position}. {factor.title}" for factor in action.factors),
        owner,
        action.partners,
        action.starts_on,
        action.ends_on,
        action.status.label,
        action.progress,
        action.indicator,
        action.target,
        action.resources,
        action.recommendation.text if action.recommendation else "",
        f"{example.city_name}: {example.title}" if example else "",
        action.description,
    ]


def plan_csv(plan: ActionPlan) -> bytes:
    return csv_bytes(header(), (action_row(action) for action in plan.actions))


def plan_xlsx(plan: ActionPlan) -> bytes:
    workbook = Workbook()
    sheet = workbook.sheet(_("Action plan"), header(), WIDTHS)
    for action in plan.actions:
        sheet.append(action_row(action))
    return workbook.to_bytes()
