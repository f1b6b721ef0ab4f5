"""Placing the infographic's texts and marks on the page.

Everything is laid out once on an A4 page in millimetres (the SVG's user units); A3 has the
same proportions, so the drawing is scaled up as a whole. Each section of the template is a
group moved to its top, and what is inside it is placed relative to that top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from tracker.assessments.models import RATING_MAX, RATING_MIN
from tracker.dates import long_date
from tracker.infographics.colours import Colours
from tracker.infographics.data import FactorLevels, Infographic, VisitPoint
from tracker.infographics.text import (
    BOLD_EM,
    TextBlock,
    characters_fitting,
    fit_size,
    fitted,
    shorten,
    wrap,
)
from tracker.numbers import percent

FONT_STACK = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
MM_PER_INCH = 25.4

WIDTH, HEIGHT = 210.0, 297.0
MARGIN = 14.0
CONTENT = WIDTH - 2 * MARGIN
HEADER_HEIGHT = 62.0
PARTIES_TOP = 70.0
FIGURES_TOP = 99.0
VISITS_TOP = 140.0
CONTEXT_TOP = 180.0
CHART_TOP = 203.0
FOOTER_TOP = 280.0
COLUMNS = {
    "page": WIDTH,
    "left": MARGIN,
    "right": WIDTH - MARGIN,
    "timeline_right": 126.0,
    "plan": 136.0,
    "limits": MARGIN + (CONTENT + 8.0) / 2,
}
SECTION_TOPS = {
    "header": HEADER_HEIGHT,  # the header starts at the top of the page: this is its height
    "parties": PARTIES_TOP,
    "figures": FIGURES_TOP,
    "visits": VISITS_TOP,
    "context": CONTEXT_TOP,
    "chart": CHART_TOP,
    "footer": FOOTER_TOP,
}
PARTY_GAP = 6.0
PARTY_WIDTH = (CONTENT - 2 * PARTY_GAP) / 3
TILE_GAP = 4.0
TILE_WIDTH = (CONTENT - 3 * TILE_GAP) / 4
TILE_HEIGHT = 33.0
TILE_PADDING = 4.0
TIMELINE_MAX = 6  # visits drawn; the key figure counts them all
PLAN_WIDTH = COLUMNS["right"] - COLUMNS["plan"]
# The context band, relative to CONTEXT_TOP: a column of the strongest enablers on the left and
# one of the strongest limits on the right, a heading and up to CONTEXT_SHOWN lines each.
CONTEXT_COLUMN = (CONTENT - 8.0) / 2
CONTEXT_SIZE = 3.0
CONTEXT_LINE = 4.0
CONTEXT_FIRST_LINE = 11.5
CONTEXT_MARKER = 3.5  # room for the triangle before each line
# The chart, relative to CHART_TOP: one row per factor between ROWS_TOP and ROWS_BOTTOM; the
# labels on the left, the 0-4 scale between PLOT_LEFT and PLOT_RIGHT, the levels written out
# on the right.
ROWS_TOP, ROWS_BOTTOM = 18.0, 75.5
ROW_HEIGHT_MAX = 8.0
PLOT_LEFT, PLOT_RIGHT = 128.0, 178.0
LABEL_SIZE = 2.6
LABEL_LINE = 2.9
# A label on two lines needs this much height: a line's spacing, then cap height and descender
# of DejaVu Sans (0.73 and 0.24 em), and a hair between rows; in a shorter row (a benchmark of
# many factors) it is shortened to one line instead.
TWO_LINE_ROW = LABEL_LINE + (0.73 + 0.24) * LABEL_SIZE + 0.2
MARK_SIZE = 1.5  # half the diagonal of the latest level's diamond; the baseline ring is wider
# How far below its top each section's content may reach, for the layout's tests: a party's
# wrapped name and detail, a tile, the timeline with its note, the context band, the chart's
# rows and the footer's band (the header is a band of HEADER_HEIGHT from the page's top).
SECTION_HEIGHTS = {
    "parties": 24.5,
    "figures": TILE_HEIGHT,
    "visits": 38.0,
    "context": CONTEXT_FIRST_LINE + 2 * CONTEXT_LINE + 1.0,
    "chart": ROWS_BOTTOM,
    "footer": HEIGHT - FOOTER_TOP,
}


@dataclass(frozen=True)
class PageSize:
    key: str
    label: str
    width_mm: float
    height_mm: float

    @property
    def scale(self) -> float:
        """How much the A4 drawing is enlarged to fill this page."""
        return self.width_mm / WIDTH

    def pixels(self, dpi: int) -> tuple[int, int]:
        """The page's size in pixels at `dpi`."""
        return (
            round(self.width_mm / MM_PER_INCH * dpi),
            round(self.height_mm / MM_PER_INCH * dpi),
        )


PAGE_SIZES = {
    "a4": PageSize("a4", "A4", 210, 297),
    "a3": PageSize("a3", "A3", 297, 420),
}


@dataclass(frozen=True)
class Party:
    role: str
    name: TextBlock
    detail: str
    x: float


@dataclass(frozen=True)
class Tile:
    key: str  # names the figure's element, so the figures can be found in the SVG
    value: str
    value_size: float
    label_lines: list[str]
    note: str
    x: float


@dataclass(frozen=True)
class TimelineMark:
    x: float
    month: str
    kind_lines: list[str]
    status: str
    held: bool


@dataclass(frozen=True)
class ChartRow:
    top: float
    height: float
    label_lines: list[str]
    full_label: str
    baseline_x: float | None
    latest_x: float | None
    value: str

    @property
    def y(self) -> float:
        return round(self.top + self.height / 2, 2)

    @property
    def label_top(self) -> float:
        """The first label line's baseline, so the lines sit centred on the row."""
        return round(self.y + 0.95 - (len(self.label_lines) - 1) * LABEL_LINE / 2, 2)

    @property
    def latest_points(self) -> str:
        return diamond(self.latest_x, self.y) if self.latest_x is not None else ""


@dataclass(frozen=True)
class Chart:
    intro: str
    rows: list[ChartRow]
    ticks: list[tuple[int, float]]
    legend: list[tuple[str, str, float]]  # (mark, text, x)
    empty: list[str]  # lines saying why there is no chart yet

    @property
    def rows_bottom(self) -> float:
        return self.rows[-1].top + self.rows[-1].height if self.rows else ROWS_TOP


@dataclass(frozen=True)
class ContextColumn:
    heading: str
    lines: list[str]  # one line per context factor, shortened to the column
    x: float
    effect: str  # enabling or limiting: names the column in the SVG and picks its marker
    empty: str  # what the column says when the latest round names none


@dataclass(frozen=True)
class ContextBand:
    columns: list[ContextColumn]
    empty: list[str]  # lines saying why there is nothing to show yet (then no columns)
    line: float = CONTEXT_LINE
    first_line: float = CONTEXT_FIRST_LINE
    size: float = CONTEXT_SIZE
    marker: float = CONTEXT_MARKER


@dataclass(frozen=True)
class Layout:
    page: PageSize
    colours: Colours
    font: str
    top: dict[str, float]  # each section's top
    x: dict[str, float]  # the columns things line up on
    title: str
    description: str
    eyebrow: str
    headline: TextBlock
    theme: TextBlock
    standard: str
    parties: list[Party]
    tiles: list[Tile]
    tile_width: float
    timeline: list[TimelineMark]
    timeline_note: str
    plan_status: str
    plan_progress: int | None
    plan_lines: list[tuple[str, str]]  # (text, style: strong, plain or muted)
    context: ContextBand
    tile_height: float
    chart: Chart
    footer_title: str
    footer_funder: str
    footer_right: list[str]


def x_of(level: int) -> float:
    """Where a self-assessment level sits on the chart's scale."""
    return PLOT_LEFT + (level - RATING_MIN) * (PLOT_RIGHT - PLOT_LEFT) / (RATING_MAX - RATING_MIN)


def diamond(x: float, y: float, size: float = MARK_SIZE) -> str:
    """The points of a diamond centred on (x, y)."""
    return f"{x:g},{y - size:g} {x + size:g},{y:g} {x:g},{y + size:g} {x - size:g},{y:g}"


def layout(data: Infographic, page: PageSize, colours: Colours, description: str) -> Layout:
    """Place every text and mark of the infographic."""
    theme = data.pair.theme
    programme = theme.programme
    headline_text = _("%(mentor)s mentors %(implementing)s", **city_names(data))
    headline = fitted(
        headline_text,
        CONTENT,
        largest=12.5,
        smallest=8.5,
        wrapped=8.5,
    )
    # The header has room for three lines of headline and theme together.
    theme_lines = 3 - len(headline.lines)
    return Layout(
        page=page,
        colours=colours,
        font=FONT_STACK,
        top=SECTION_TOPS,
        x=COLUMNS,
        title=_(
            "%(headline)s: a %(programme)s mentoring scheme on theme %(code)s",
            headline=headline_text,
            programme=programme.name,
            code=theme.code,
        ),
        description=description,
        eyebrow=_("%(programme)s · city-to-city mentoring", programme=programme.name).upper(),
        headline=headline,
        theme=TextBlock(
            wrap(
                _("Theme %(code)s · %(title)s", code=theme.code, title=theme.title),
                characters_fitting(CONTENT, 4.6),
                theme_lines,
            ),
            4.6,
        ),
        standard=shorten(theme.standard, characters_fitting(CONTENT, 3.1)),
        parties=_parties(data),
        tiles=_tiles(data),
        tile_width=TILE_WIDTH,
        timeline=_timeline(data.visits[-TIMELINE_MAX:]),
        timeline_note=(
            ngettext(
                "Showing the latest %(shown)d of %(num)d visits.",
                "Showing the latest %(shown)d of %(num)d visits.",
                len(data.visits),
                shown=TIMELINE_MAX,
            )
            if len(data.visits) > TIMELINE_MAX
            else ""
        ),
        plan_status=str(data.plan.status.label) if data.plan else _("Not started yet"),
        plan_progress=data.plan.progress if data.plan else None,
        plan_lines=_plan_lines(data),
        context=_context(data),
        tile_height=TILE_HEIGHT,
        chart=_chart(data),
        footer_title=" · ".join(filter(None, [programme.name, programme.full_name])),
        footer_funder=_("Funded by %(funder)s", funder=programme.funder)
        if programme.funder
        else "",
        footer_right=[
            period(programme.period_start, programme.period_end),
            _("Figures as of %(day)s", day=long_date(data.generated_on)),
        ],
    )


def city_names(data: Infographic) -> dict[str, str]:
    return {
        "mentor": data.pair.mentor_city.name,
        "implementing": data.pair.implementing_city.name,
    }


def period(start: date | None, end: date | None) -> str:
    """2017–2019, from a programme's dates."""
    if start and end:
        return f"{start.year}–{end.year}" if start.year != end.year else str(start.year)
    return ""


def _parties(data: Infographic) -> list[Party]:
    pair = data.pair
    expert = pair.theme.expert_organisation
    columns = [
        (_("Mentor city"), pair.mentor_city.name, pair.mentor_city.country or ""),
        (_("Implementing city"), pair.implementing_city.name, pair.implementing_city.country or ""),
        (
            _("Expert partner"),
            expert.name if expert else _("To be confirmed"),
            _("facilitates the theme"),
        ),
    ]
    return [
        Party(
            role=role.upper(),
            name=fitted(name, PARTY_WIDTH, largest=6.0, smallest=5.0, wrapped=5.0),
            detail=detail,
            x=MARGIN + index * (PARTY_WIDTH + PARTY_GAP),
        )
        for index, (role, name, detail) in enumerate(columns)
    ]


def _tiles(data: Infographic) -> list[Tile]:
    inner = TILE_WIDTH - 2 * TILE_PADDING
    limit = characters_fitting(inner, 3.1)
    upcoming = len(data.visits) - data.visits_held
    plan = data.plan
    tiles = [
        (
            "visits-held",
            str(data.visits_held),
            ngettext("visit held", "visits held", data.visits_held),
            ngettext("%(num)d more planned", "%(num)d more planned", upcoming) if upcoming else "",
        ),
        (
            "recommendations",
            str(data.recommendations),
            ngettext(
                "recommendation from the visits",
                "recommendations from the visits",
                data.recommendations,
            ),
            "",
        ),
        (
            "adopted",
            str(data.adopted),
            _("taken up as actions"),
            ngettext(
                "of %(num)d recommendation", "of %(num)d recommendations", data.recommendations
            )
            if data.recommendations
            else "",
        ),
        (
            "progress",
            percent(plan.progress) if plan else "—",
            _("action plan progress"),
            ngettext("across %(num)d action", "across %(num)d actions", plan.actions)
            if plan
            else _("plan not started"),
        ),
    ]
    return [
        Tile(
            key=key,
            value=value,
            value_size=fit_size(value, inner, 14.0, 8.0, 0.72),
            label_lines=wrap(label, limit, 2),
            note=shorten(note, characters_fitting(inner, 2.7)),
            x=MARGIN + index * (TILE_WIDTH + TILE_GAP),
        )
        for index, (key, value, label, note) in enumerate(tiles)
    ]


def _timeline(visits: Sequence[VisitPoint]) -> list[TimelineMark]:
    if not visits:
        return []
    left, right = COLUMNS["left"], COLUMNS["timeline_right"]
    step = (right - left) / len(visits)
    limit = characters_fitting(step - 2, 2.8)
    return [
        TimelineMark(
            x=round(left + step * (index + 0.5), 2),
            month=format_date(visit.starts_on, "MMM y"),
            kind_lines=wrap(str(visit.kind.label), limit, 2),
            status=shorten(str(visit.status.label), limit),
            held=visit.is_held,
        )
        for index, visit in enumerate(visits)
    ]


def _plan_lines(data: Infographic) -> list[tuple[str, str]]:
    if data.plan is None:
        city = data.pair.implementing_city.name
        text = _("%(city)s has not started its local action plan yet.", city=city)
        return [(line, "muted") for line in wrap(text, characters_fitting(PLAN_WIDTH, 2.8), 3)]
    plan = data.plan
    lines = [
        (_("%(progress)d%% overall progress", progress=plan.progress), "strong"),
        (
            ngettext("%(num)d action", "%(num)d actions", plan.actions)
            + ", "
            + ngettext("%(num)d done", "%(num)d done", plan.done),
            "plain",
        ),
    ]
    for label, day in (
        (_("Administrative endorsement"), plan.administrative_on),
        (_("Political endorsement"), plan.political_on),
    ):
        lines.append((f"{label}: {long_date(day) or '—'}", "muted"))
    return lines


def _context(data: Infographic) -> ContextBand:
    """The strongest enablers and limits of the implementing city's latest completed round,
    each on one line that fits its column."""
    city = data.pair.implementing_city.name
    if not data.has_context:
        if data.context_round is None:
            why = _(
                "What enables or limits the change in %(city)s appears here with its first "
                "completed self-assessment.",
                city=city,
            )
        else:
            why = _(
                "%(city)s has not named anything enabling or limiting the change in its "
                "latest self-assessment.",
                city=city,
            )
        return ContextBand(columns=[], empty=wrap(why, characters_fitting(CONTENT, 3.1), 2))
    limit = characters_fitting(CONTEXT_COLUMN - CONTEXT_MARKER, CONTEXT_SIZE)
    columns = []
    for effect, heading, points, x in (
        ("enabling", _("Enabling the change in %(city)s", city=city), data.enablers, MARGIN),
        ("limiting", _("Limiting the change"), data.limits, COLUMNS["limits"]),
    ):
        columns.append(
            ContextColumn(
                heading=shorten(heading, characters_fitting(CONTEXT_COLUMN, 3.6, BOLD_EM)),
                lines=[shorten(point.title, limit) for point in points],
                x=x,
                effect=effect,
                empty=_("Nothing named in the latest round"),
            )
        )
    return ContextBand(columns=columns, empty=[])


def _chart(data: Infographic) -> Chart:
    city = data.pair.implementing_city.name
    if not data.factors:
        why = _("The theme's benchmark has no key factors yet, so there is nothing to chart.")
    elif not data.has_assessment:
        why = _(
            "%(city)s has not completed a self-assessment yet. The levels per benchmark factor "
            "appear here with the first completed round.",
            city=city,
        )
    else:
        why = ""
    if why:
        empty = wrap(why, characters_fitting(CONTENT - 12, 3.1), 3)
        return Chart(intro="", rows=[], ticks=[], legend=[], empty=empty)
    if data.baseline is not None and data.latest is not None:
        intro = ngettext(
            "%(num)d of %(total)d factors rated higher than at the baseline",
            "%(num)d of %(total)d factors rated higher than at the baseline",
            data.improved,
            total=len(data.factors),
        )
    else:
        intro = _("Levels from 0 (not in place) to 4 (fully in place)")
    legend = []
    for mark, assessment in (("baseline", data.baseline), ("latest", data.latest)):
        if assessment is not None:
            text = _(
                "%(round)s, %(month)s",
                round=assessment.round.label,
                month=format_date(assessment.assessed_on, "MMM y"),
            )
            legend.append((mark, text, PLOT_LEFT - 4 + len(legend) * 36))
    return Chart(
        intro=intro,
        rows=_chart_rows(data.factors),
        ticks=[(level, x_of(level)) for level in range(RATING_MIN, RATING_MAX + 1)],
        legend=legend,
        empty=[],
    )


def _chart_rows(factors: Sequence[FactorLevels]) -> list[ChartRow]:
    height = round(min(ROW_HEIGHT_MAX, (ROWS_BOTTOM - ROWS_TOP) / max(len(factors), 1)), 3)
    limit = characters_fitting(PLOT_LEFT - MARGIN - 8, LABEL_SIZE)
    label_lines = 2 if height >= TWO_LINE_ROW else 1
    rows = []
    for index, factor in enumerate(factors):
        label = f"{factor.position}. {factor.title}"
        if factor.baseline is not None and factor.latest is not None:
            value = f"{factor.baseline} → {factor.latest}"
        else:
            level = factor.latest if factor.latest is not None else factor.baseline
            value = "–" if level is None else str(level)
        rows.append(
            ChartRow(
                top=round(ROWS_TOP + height * index, 3),
                height=height,
                label_lines=wrap(label, limit, label_lines),
                full_label=label,
                baseline_x=x_of(factor.baseline) if factor.baseline is not None else None,
                latest_x=x_of(factor.latest) if factor.latest is not None else None,
                value=value,
            )
        )
    return rows
