"""The email outbox and the scheduled jobs, for coordinators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.rules import Need
from tracker.db import utcnow
from tracker.extensions import db
from tracker.forms import db_int
from tracker.mail import email_bodies, smtp_configured
from tracker.notifications.models import JobRun, OutboxEmail, OutboxStatus
from tracker.paging import paginate
from tracker.scheduler import JOBS, JOBS_BY_ID, has_stopped, run_job

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(area_guard(Need.ADMINISTER))
PAGE_SIZE = 50


@bp.route("/outbox")
def outbox():
    """The emails the tracker has written, by status, newest first."""
    page_number = request.args.get("page", 1, type=db_int)
    status = request.args.get("status") or None
    query = sa.select(OutboxEmail)
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxEmail.status == OutboxStatus(status))
    page = paginate(query.order_by(OutboxEmail.id.desc()), page_number, PAGE_SIZE)
    counts = dict(
        db.session.execute(
            sa.select(OutboxEmail.status, sa.func.count(OutboxEmail.id)).group_by(
                OutboxEmail.status
            )
        ).all()
    )
    return render_template(
        "admin/outbox.html",
        emails=page.items,
        page=page,
        status=status,
        counts=counts,
        statuses=list(OutboxStatus),
        smtp=smtp_configured(),
        held=counts.get(OutboxStatus.HELD, 0),
        failed=counts.get(OutboxStatus.FAILED, 0),
        latest_failure=_latest_failure() if counts.get(OutboxStatus.FAILED) else None,
    )


def _latest_failure() -> OutboxEmail | None:
    """The email that failed for good most recently, to show its reason on the outbox page."""
    return db.session.execute(
        sa.select(OutboxEmail)
        .where(OutboxEmail.status == OutboxStatus.FAILED)
        .order_by(OutboxEmail.id.desc())
        .limit(1)
    ).scalar_one_or_none()


@bp.route("/outbox/<int:email_id>")
def outbox_email(email_id: int):
    """One email of the outbox (sensitive ones without their text)."""
    email = db.session.get(OutboxEmail, email_id) or abort(404)
    text = "" if email.sensitive else email_bodies(email)[0]
    return render_template("admin/outbox_email.html", email=email, text=text)


@bp.route("/jobs")
def jobs():
    """The scheduled jobs: last run, next run, and the reminder rules."""
    latest = (
        sa.select(JobRun.job_id, sa.func.max(JobRun.id).label("id"))
        .group_by(JobRun.job_id)
        .subquery()
    )
    last_runs = {
        run.job_id: run
        for run in db.session.execute(
            sa.select(JobRun).join(latest, JobRun.id == latest.c.id)
        ).scalars()
    }
    now, config = utcnow(), current_app.config
    rows = []
    for job in JOBS:
        last = last_runs.get(job.id)
        stopped = last is not None and has_stopped(last, config, now)
        rows.append((job, last, stopped, job.next_occasion_after(now, config)))
    return render_template("admin/jobs.html", jobs=rows, rules=_rules())


@bp.route("/jobs/<job_id>/run", methods=["POST"])
def run_now(job_id: str):
    """Run a scheduled job now."""
    if job_id not in JOBS_BY_ID:
        abort(404)
    outcome = run_job(current_app._get_current_object(), job_id, current_user.name)
    if outcome.error:
        flash(_("The job failed: %(error)s", error=outcome.error), "danger")
    else:
        flash(
            _(
                "%(job)s ran: %(outcome)s.",
                job=job_id,
                outcome=JOBS_BY_ID[job_id].describe(outcome.created, outcome.sent),
            ),
            "success",
        )
    return redirect(url_for("admin.jobs"))


def _rules():
    from tracker.reminders.rules import RULES

    return RULES
