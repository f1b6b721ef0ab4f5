"""The scheduled jobs, declared once, and the dedicated process that runs them.

`flask tracker scheduler` runs APScheduler's BlockingScheduler in its own process, never inside
a web worker (several gunicorn workers would each start one). Jobs are defined here in code
with fixed ids, coalesced (a run missed while the process was down is caught up once) and never
run twice at the same time in one process. Correctness with two schedulers by mistake does not
depend on APScheduler: every reminder and email has a unique key in the database.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from flask_babel import lazy_gettext as _l

from tracker.db import utcnow
from tracker.extensions import db
from tracker.notifications.jobs import daily_digests, send_outbox
from tracker.notifications.models import JobRun
from tracker.privacy.retention import apply_retention
from tracker.reminders.jobs import run_reminders, weekly_digest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    description: str
    run: Callable[[datetime], dict[str, int]]
    trigger: Callable[[str, dict], BaseTrigger]
    run_at_start: bool = False
    outcome: str = _l("%(created)d created, %(sent)d sent")

    def describe(self, created: int, sent: int) -> str:
        """What a run did, in words (the count of items is deletions for some jobs)."""
        return str(self.outcome) % {"created": created, "sent": sent}


JOBS = [
    Job(
        "reminders",
        "Reminder rules: visits, reports, actions, follow-ups, deliverables, plans",
        run_reminders,
        lambda tz, _config: CronTrigger(minute="*/15", timezone=tz),
        run_at_start=True,
    ),
    Job(
        "outbox",
        "Send the emails waiting in the outbox, retrying failures",
        send_outbox,
        lambda tz, config: IntervalTrigger(seconds=config["OUTBOX_INTERVAL_SECONDS"], timezone=tz),
        run_at_start=True,
    ),
    Job(
        "daily-digest",
        "Daily summary email for those who chose one",
        daily_digests,
        lambda tz, _config: CronTrigger(hour=7, minute=0, timezone=tz),
    ),
    Job(
        "weekly-digest",
        "Weekly digest of pairs at risk, for coordinators",
        weekly_digest,
        lambda tz, _config: CronTrigger(day_of_week="mon", hour=7, minute=30, timezone=tz),
    ),
    Job(
        "retention",
        "Delete notifications, emails and audit entries older than their retention period",
        apply_retention,
        lambda tz, _config: CronTrigger(hour=3, minute=15, timezone=tz),
        outcome=_l("%(created)d deleted"),
    ),
]
JOBS_BY_ID = {job.id: job for job in JOBS}


@dataclass(frozen=True)
class Outcome:
    job_id: str
    created: int
    sent: int
    error: str


def run_job(app: Flask, job_id: str, triggered_by: str = "scheduler") -> Outcome:
    """Run one job now, inside a request context (for links), and record the run."""
    job = JOBS_BY_ID[job_id]
    base_url = app.config["PUBLIC_BASE_URL"]
    with app.test_request_context("/", base_url=base_url, method="POST"):
        run = JobRun(job_id=job.id, triggered_by=f"{triggered_by}@{socket.gethostname()}"[:200])
        db.session.add(run)
        db.session.commit()
        try:
            counts = job.run(utcnow())
        except Exception as error:
            db.session.rollback()
            run = db.session.get(JobRun, run.id)
            run.error = f"{type(error).__name__}: {error}"[:2000]
            log.exception("job %s failed", job.id)
        else:
            run = db.session.get(JobRun, run.id)
            run.sent = counts.get("sent", 0)
            run.created = sum(value for key, value in counts.items() if key != "sent")
        run.finished_at = utcnow()
        outcome = Outcome(job.id, run.created, run.sent, run.error)
        db.session.commit()
        db.session.remove()
    return outcome


def next_run(job: Job, config: dict, now: datetime) -> datetime | None:
    """When the job will next run (for the admin page)."""
    return job.trigger(config["SCHEDULER_TIMEZONE"], config).get_next_fire_time(None, now)


def build_scheduler(app: Flask) -> BlockingScheduler:
    timezone = app.config["SCHEDULER_TIMEZONE"]
    scheduler = BlockingScheduler(timezone=timezone)
    for job in JOBS:
        scheduler.add_job(
            run_job,
            job.trigger(timezone, app.config),
            args=[app, job.id],
            id=job.id,
            name=job.description,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=6 * 3600,
            replace_existing=True,
            **({"next_run_time": datetime.now(scheduler.timezone)} if job.run_at_start else {}),
        )
    return scheduler
