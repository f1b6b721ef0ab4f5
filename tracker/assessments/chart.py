"""Geometry of the result chart: a dot chart with one row per factor on the 0-4 scale.

The template `assessments/_chart.svg` draws it; here we only compute where things go, so the
same numbers serve the page, print, and later the infographic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.assessments.models import RATING_MAX, RATING_MIN
from tracker.assessments.queries import FactorResult

WIDTH = 760
LABEL_LEFT = 8  # factor labels start here
PLOT_LEFT, PLOT_RIGHT = 350, 730  # the scale runs from 0 at PLOT_LEFT to 4 at PLOT_RIGHT
LEGEND_Y = 18
AXIS_TOP = 58  # level numbers above the rows
ROWS_TOP = 70
ROW_HEIGHT = 34
AXIS_BOTTOM_GAP = 22
LABEL_CHARACTERS = 46  # what fits left of the plot at the chart's font size
LEGEND_SLOT = WIDTH / 4
MARK_SIZE = 11  # half the height of the target diamond: a baseline circle fits inside it


@dataclass(frozen=True)
class Tick:
    level: int
    x: float


@dataclass(frozen=True)
class Row:
    y: float
    label: str  # shortened to fit
    full_label: str
    baseline_x: float | None
    latest_x: float | None
    target_x: float | None
    mentor_x: float | None

    @property
    def target_points(self) -> str:
        return diamond(self.target_x, self.y) if self.target_x is not None else ""

    @property
    def band_top(self) -> float:
        return self.y - ROW_HEIGHT / 2

    @property
    def mentor_top(self) -> float:
        return self.y - ROW_HEIGHT / 2 + 4

    @property
    def mentor_bottom(self) -> float:
        return self.y + ROW_HEIGHT / 2 - 4


@dataclass(frozen=True)
class LegendItem:
    key: str  # baseline, latest, target or mentor
    x: float  # where the symbol is drawn; the text follows it
    y: float

    @property
    def text_x(self) -> float:
        return self.x + 2 * MARK_SIZE + 2

    @property
    def points(self) -> str:
        return diamond(self.x, self.y)


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    rows_top: float
    rows_bottom: float
    row_height: float
    axis_top: float
    axis_bottom: float
    label_left: float
    mark_size: float
    ticks: list[Tick]
    rows: list[Row]
    legend: list[LegendItem]


def x_of(level: int) -> float:
    """Where a level sits on the scale."""
    return PLOT_LEFT + (level - RATING_MIN) * (PLOT_RIGHT - PLOT_LEFT) / (RATING_MAX - RATING_MIN)


def diamond(x: float, y: float, size: float = MARK_SIZE) -> str:
    """The points of a diamond centred on (x, y)."""
    return f"{x:g},{y - size:g} {x + size:g},{y:g} {x:g},{y + size:g} {x - size:g},{y:g}"


def shorten(text: str, limit: int = LABEL_CHARACTERS) -> str:
    """Cut a label at a word boundary to fit, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


def result_chart(results: Sequence[FactorResult], legend: Sequence[str]) -> Chart:
    """Lay out the chart for the results (one row per factor) and the legend's keys in order;
    baseline marks are drawn only when the legend has them (a later round exists)."""
    show_baseline = "baseline" in legend
    rows = []
    for index, result in enumerate(results):
        label = f"{result.factor.position}. {result.factor.title}"
        rows.append(
            Row(
                y=ROWS_TOP + ROW_HEIGHT * (index + 0.5),
                label=shorten(label),
                full_label=label,
                baseline_x=_x_or_none(result.baseline) if show_baseline else None,
                latest_x=_x_or_none(result.latest),
                target_x=_x_or_none(result.target),
                mentor_x=_x_or_none(result.mentor),
            )
        )
    rows_bottom = ROWS_TOP + ROW_HEIGHT * len(rows)
    return Chart(
        width=WIDTH,
        height=rows_bottom + AXIS_BOTTOM_GAP + 10,
        rows_top=ROWS_TOP,
        rows_bottom=rows_bottom,
        row_height=ROW_HEIGHT,
        axis_top=AXIS_TOP,
        axis_bottom=rows_bottom + AXIS_BOTTOM_GAP,
        label_left=LABEL_LEFT,
        mark_size=MARK_SIZE,
        ticks=[Tick(level, x_of(level)) for level in range(RATING_MIN, RATING_MAX + 1)],
        rows=rows,
        legend=[
            LegendItem(key, LABEL_LEFT + MARK_SIZE + LEGEND_SLOT * slot, LEGEND_Y)
            for slot, key in enumerate(legend)
        ],
    )


def _x_or_none(level: int | None) -> float | None:
    return x_of(level) if level is not None else None
