"""The benchmark across cities as an Excel workbook: the matrix as the page shows it."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

from tracker.assessments.scale import LEVEL_LABELS
from tracker.catalogue.models import Theme
from tracker.insights.matrix import Matrix
from tracker.spreadsheets import Workbook


def level_text(level: int | None) -> str:
    """A cell's text: the level and its label, or a dash for a factor the round left unrated."""
    return "—" if level is None else f"{level} — {LEVEL_LABELS[level]}"


def average_text(value: float | None) -> str:
    """An average of levels, two decimals in the reader's locale, or a dash when none."""
    return "—" if value is None else format_decimal(value, format="0.00")


def change_text(value: float) -> str:
    """A change of levels per factor, always signed: "+0.60", "-1.00"."""
    return format_decimal(value, format="+0.00;-0.00")


def matrix_xlsx(theme: Theme, matrix: Matrix) -> bytes:
    """One sheet: a row per city (its round, each factor's level, its change since the
    baseline) and a last row of the factor averages."""
    workbook = Workbook()
    sheet = workbook.sheet(
        _("Across cities"),
        [
            _("City"),
            _("Round"),
            _("Assessed on"),
            *[f"{column.number}. {column.title}" for column in matrix.columns],
            _("Change since baseline"),
        ],
        [24, 12, 12, *[22] * len(matrix.columns), 14],
    )
    for row in matrix.rows:
        sheet.append(
            [
                row.city_name,
                row.shown.round.label,
                row.shown.assessed_on,
                *[level_text(row.level(column.id)) for column in matrix.columns],
                row.change,
            ]
        )
    sheet.append(
        [
            _("Average"),
            theme.code,
            None,
            *[matrix.averages[column.id] for column in matrix.columns],
            None,
        ]
    )
    return workbook.to_bytes()
