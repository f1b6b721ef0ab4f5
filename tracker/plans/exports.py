"""The plan as CSV and XLSX: one row per action with its factors and latest progress."""

from __future__ import annotations

from tracker.plans.models import Action, ActionPlan
from tracker.spreadsheets import Workbook, csv_bytes

HEADER = [
    "Action",
    "Title",
    "Benchmark factors",
    "Owner",
    "Partners",
    "Starts",
    "Ends",
    "Status",
    "Progress %",
    "Indicator",
    "Target",
    "Resources",
    "From recommendation",
    "Inspired by",
    "Description",
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
    return csv_bytes(HEADER, (action_row(action) for action in plan.actions))


def plan_xlsx(plan: ActionPlan) -> bytes:
    workbook = Workbook()
    sheet = workbook.sheet("Action plan", HEADER, WIDTHS)
    for action in plan.actions:
        sheet.append(action_row(action))
    return workbook.to_bytes()
