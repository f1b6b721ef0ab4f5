"""The programme report as an Excel workbook (safe against formula injection) and as a PDF
printed by WeasyPrint from the report's print template."""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template
from flask_babel import gettext as _
from flask_babel import pgettext, to_user_timezone

from config import BASE_DIR
from tracker.deliverables.models import Deliverable
from tracker.plans.models import ActionStatus
from tracker.reports.queries import Figures, PairRow, ProgrammeReport, ThemeSection
from tracker.spreadsheets import Workbook

PRINT_CSS = BASE_DIR / "static" / "css" / "report-print.css"


def _figure_header() -> list[str]:
    return [
        _("Visits held"),
        _("Visits to come"),
        _("People"),
        _("Guests"),
        _("Recommendations"),
        _("Taken up as actions"),
        _("Taken up, later dropped"),
        _("Actions"),
        *(str(status.label) for status in ActionStatus),
    ]


def _figure_cells(figures: Figures) -> list[object]:
    return [
        figures.visits_held,
        figures.visits_to_come,
        figures.people,
        figures.guests,
        figures.recommendations,
        figures.adopted,
        figures.dropped,
        figures.action_count,
        *(figures.actions[status] for status in ActionStatus),
    ]


def _pair_cells(section: ThemeSection, row: PairRow) -> list[object]:
    plan = row.plan
    return [
        section.theme.code,
        row.pair.mentor_city.name,
        row.pair.implementing_city.name,
        row.pair.status.label,
        *_figure_cells(row.figures),
        plan.status.label if plan else pgettext("plan", "Not started"),
        plan.progress if plan else None,
        plan.administrative_on if plan else None,
        plan.political_on if plan else None,
        "; ".join(row.enabling),
        "; ".join(row.limiting),
    ]


def _deliverable_cells(report: ProgrammeReport, deliverable: Deliverable) -> list[object]:
    return [
        deliverable_level(deliverable),
        deliverable.kind.label,
        deliverable.title,
        deliverable.responsible_organisation.name,
        deliverable.due_on,
        deliverable.status.label,
        _local_day(deliverable.submitted_at),
        _local_day(deliverable.approved_at),
        _("Yes") if deliverable.id in report.overdue else _("No"),
    ]


def _local_day(moment: datetime | None) -> date | None:
    """The reader's calendar day of a moment: approved at 23:30 UTC is the next day in Riga."""
    return to_user_timezone(moment).date() if moment else None


def deliverable_level(deliverable: Deliverable) -> str:
    """What a deliverable is owed for: the programme, a theme, or a pair."""
    if deliverable.pair is not None:
        return _("Pair %(theme)s: %(pair)s", theme=deliverable.theme.code, pair=deliverable.pair)
    if deliverable.theme is not None:
        return _("Theme %(code)s", code=deliverable.theme.code)
    return _("Programme")


def report_xlsx(report: ProgrammeReport) -> bytes:
    """The report as a workbook: one sheet of themes with totals, one of pairs, one of the
    context factors across the implementing cities, one of deliverables."""
    workbook = Workbook()
    themes = workbook.sheet(
        _("Themes"),
        [
            _("Theme"),
            _("Title"),
            _("Expert partner"),
            _("Pairs"),
            *_figure_header(),
            _("Action plans"),
            _("Administratively endorsed"),
            _("Politically endorsed"),
        ],
        [8, 50, 28, 8, *[12] * 13, 12, 14, 14],
    )
    for section in report.themes:
        theme = section.theme
        themes.append(
            [
                theme.code,
                theme.title,
                theme.expert_organisation.name if theme.expert_organisation else "",
                len(section.pairs),
                *_figure_cells(section.totals),
                section.plans,
                section.administratively_endorsed,
                section.politically_endorsed,
            ],
        )
    themes.append(
        [
            _("Total"),
            report.programme.name,
            "",
            report.pair_count,
            *_figure_cells(report.totals),
            report.plans,
            report.administratively_endorsed,
            report.politically_endorsed,
        ],
    )
    pairs = workbook.sheet(
        _("Pairs"),
        [
            _("Theme"),
            _("Mentor city"),
            _("Implementing city"),
            _("Pair status"),
            *_figure_header(),
            _("Action plan"),
            _("Progress %"),
            _("Administrative endorsement"),
            _("Political endorsement"),
            _("Enabling context"),
            _("Limiting context"),
        ],
        [8, 20, 20, 12, *[12] * 13, 24, 10, 14, 14, 40, 40],
    )
    for section in report.themes:
        for row in section.pairs:
            pairs.append(_pair_cells(section, row))
    context = workbook.sheet(
        _("Context"),
        [
            _("Context factor"),
            _("Enabling"),
            _("Neutral"),
            _("Limiting"),
            _("Not described"),
            _("More enabling since the baseline"),
            _("More limiting since the baseline"),
        ],
        [44, 10, 10, 10, 12, 16, 16],
    )
    for count in report.context:
        context.append([count.context_factor.title, *count.cells])
    deliverables = workbook.sheet(
        _("Deliverables"),
        [
            _("For"),
            _("Kind"),
            _("Title"),
            _("Responsible"),
            _("Due"),
            _("Status"),
            _("Submitted"),
            _("Approved"),
            _("Overdue"),
        ],
        [30, 14, 50, 28, 12, 12, 12, 12, 9],
    )
    for deliverable in report.all_deliverables:
        deliverables.append(_deliverable_cells(report, deliverable))
    return workbook.to_bytes()


def report_pdf(report: ProgrammeReport) -> bytes:
    """The report printed to PDF (A4) from its print template; nothing is fetched from outside."""
    # WeasyPrint takes a second to import: load it with the first PDF, not with every worker.
    from weasyprint import CSS, HTML, URLFetcher

    html = render_template("reports/print.html", report=report, deliverable_level=deliverable_level)
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=no_fetching).write_pdf(
        stylesheets=[CSS(string=PRINT_CSS.read_text(encoding="utf-8"), url_fetcher=no_fetching)]
    )
