"""The programme report: a page for the coordinators, and its Excel and PDF downloads."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import get_programme_or_404
from tracker.auth.policy.rules import Need
from tracker.catalogue.queries import newest_programmes_first
from tracker.clock import local_today
from tracker.downloads import send_download
from tracker.insights.library import practice_transfer
from tracker.reports.exports import deliverable_level, report_pdf, report_xlsx
from tracker.reports.queries import programme_report
from tracker.spreadsheets import XLSX_MIMETYPE

bp = Blueprint("reports", __name__)
bp.before_request(area_guard(Need.READ_PROGRAMME_REPORT))

DOWNLOADS = {"xlsx": (report_xlsx, XLSX_MIMETYPE), "pdf": (report_pdf, "application/pdf")}


@bp.route("/reports")
def index():
    """The programme reports, one per programme, newest programme first."""
    return render_template("reports/index.html", programmes=newest_programmes_first())


@bp.route("/programmes/<key>/report")
def programme(key: str):
    """The programme report: themes, pairs, progress, deliverables."""
    programme = get_programme_or_404(key, Need.READ_PROGRAMME_REPORT)
    report = programme_report(programme, local_today())
    return render_template(
        "reports/programme.html",
        report=report,
        deliverable_level=deliverable_level,
        transfer=practice_transfer(programme.id),
    )


@bp.route("/programmes/<key>/report.<any(xlsx, pdf):kind>")
def download(key: str, kind: str):
    """The programme report as an Excel workbook or a PDF."""
    programme = get_programme_or_404(key, Need.READ_PROGRAMME_REPORT)
    report = programme_report(programme, local_today())
    make, mimetype = DOWNLOADS[kind]
    name = f"report-{report.programme.key}-{report.today.isoformat()}.{kind}"
    return send_download(make(report), name, mimetype)
