"""The programme report: a page for the coordinators, and its Excel and PDF downloads."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from tracker.auth.policy import require_coordinator
from tracker.catalogue.models import Programme
from tracker.clock import local_today
from tracker.downloads import send_download
from tracker.extensions import db
from tracker.reports.exports import deliverable_level, report_pdf, report_xlsx
from tracker.reports.queries import programme_report
from tracker.spreadsheets import XLSX_MIMETYPE

bp = Blueprint("reports", __name__)
bp.before_request(require_coordinator)

DOWNLOADS = {"xlsx": (report_xlsx, XLSX_MIMETYPE), "pdf": (report_pdf, "application/pdf")}


def _programme_or_404(key: str) -> Programme:
    return db.one_or_404(sa.select(Programme).where(Programme.key == key))


@bp.route("/programmes/<key>/report")
def programme(key: str):
    report = programme_report(_programme_or_404(key), local_today())
    return render_template(
        "reports/programme.html", report=report, deliverable_level=deliverable_level
    )


@bp.route("/programmes/<key>/report.<any(xlsx, pdf):kind>")
def download(key: str, kind: str):
    report = programme_report(_programme_or_404(key), local_today())
    make, mimetype = DOWNLOADS[kind]
    name = f"report-{report.programme.key}-{report.today.isoformat()}.{kind}"
    return send_download(make(report), name, mimetype)
