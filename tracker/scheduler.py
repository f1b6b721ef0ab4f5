"""The scheduled jobs, declared once, and the dedicated process that runs them.

`flask tracker scheduler` runs APScheduler's BlockingScheduler in its own process, never inside
a web worker (several gunicorn workers would each start one). Jobs are defined here in code
with fixed ids, coalesced and never run twice at the same time in one process. Correctness with
two schedulers by mistake does not depend on APScheduler: every reminder and email has a unique
key in the database.

The database remembers what ran: each run is a JobRun row, stamped by a heartbeat while it
runs. At start the scheduler runs once every job that missed an occasion while no scheduler was
running (the latest one, coalesced: three missed daily summaries make one run), and marks the
runs that stopped without finishing (killed, out of memory) as failed.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l

from tracker.bin.jobs import empty_bin
from tracker.db import utcnow
from tracker.extensions import db
from tracker.notifications.jobs import daily_digests, send_outbox
from tracker.notifications.models import JobRun
from tracker.privacy.retention import apply_retention
from tracker.reminders.jobs import run_reminders, weekly_digest

log = logging.getLogger(__name__)
STOPPED = "stopped without finishing"  # the error of a run that went silent
SILENT_BEATS = 4  # a run silent for this many heartbeats has stopped


@dataclass(frozen=True)
class Job:
    id: str
    description: str
    run: Callable[[datetime], dict[str, int]]
    trigger: Callable[[str, dict], BaseTrigger]
    outcome: str = _l("%(created)d created, %(sent)d sent")

    def describe(self, created: int, sent: int) -> str:
        """What a run did, in words (the count of items is deletions for some jobs)."""
        return str(self.outcome) % {"created": created, "sent": sent}

    def next_occasion_after(self, moment: datetime, config: dict) -> datetime | None:
        """The job's first scheduled time after a moment (for an interval job: an interval
        after it)."""
        trigger = self.trigger(config["SCHEDULER_TIMEZONE"], config)
        return trigger.get_next_fire_time(moment, moment)


JOBS = [
    Job(
        "reminders",
        _l("Reminder rules: visits, reports, actions, follow-ups, deliverables, plans"),
        run_reminders,
        lambda tz, _config: CronTrigger(minute="*/15", timezone=tz),
    ),
    Job(
        "outbox",
        _l("Send the emails waiting in the outbox, retrying failures"),
        send_outbox,
        lambda tz, config: IntervalTrigger(seconds=config["OUTBOX_INTERVAL_SECONDS"], timezone=tz),
        outcome=_l("%(sent)d sent, %(created)d kept in the outbox (no mail server)"),
    ),
    Job(
        "daily-digest",
        _l("Daily summary email for those who chose one"),
        daily_digests,
        lambda tz, _config: CronTrigger(hour=7, minute=0, timezone=tz),
    ),
    Job(
        "weekly-digest",
        _l("Weekly digest of pairs at risk, for coordinators"),
        weekly_digest,
        lambda tz, _config: CronTrigger(day_of_week="mon", hour=7, minute=30, timezone=tz),
    ),
    Job(
        "retention",
        _l("Delete notifications, emails and audit entries older than their retention period"),
        apply_retention,
        lambda tz, _config: CronTrigger(hour=3, minute=15, timezone=tz),
        outcome=_l("%(created)d deleted"),
    ),
    Job(
        "empty-bin",
        _l("Delete for good what has been in the bin longer than BIN_DAYS, with its files"),
        empty_bin,
        lambda tz, _config: CronTrigger(hour=3, minute=45, timezone=tz),
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
    """Run one job now and record the run. Jobs need no request: links come from
    PUBLIC_BASE_URL (tracker/links.py).

    The run is recorded in transactions of its own, before and after the job's: a job that
    fails (a locked database included) leaves a failed run, never a missing one.
    """
    job = JOBS_BY_ID[job_id]
    who = f"{triggered_by}@{socket.gethostname()}"[:200]
    with _app_context(app):
        try:
            try:
                run_id = _start_run(job, who)
            except sa.exc.OperationalError as error:
                db.session.rollback()
                return _record_unstarted(job, who, error)
            with Heartbeat(db.engine, run_id, app.config["JOB_HEARTBEAT_SECONDS"]):
                counts, error_text = _run(job)
            return _finish_run(job, run_id, counts, error_text)
        finally:
            db.session.remove()


def _app_context(app: Flask) -> AbstractContextManager[object]:
    """The app's context: the one already pushed (a coordinator's "run now" request, whose
    session the job shares) or a new one (the scheduler process)."""
    if has_app_context() and current_app._get_current_object() is app:
        return nullcontext()
    return app.app_context()


def _start_run(job: Job, who: str) -> int:
    now = utcnow()
    run = JobRun(job_id=job.id, triggered_by=who, started_at=now, heartbeat_at=now)
    db.session.add(run)
    db.session.flush()
    run_id = run.id  # read before the commit: after it, reading would begin a new transaction
    db.session.commit()
    return run_id


def _run(job: Job) -> tuple[dict[str, int], str]:
    try:
        return job.run(utcnow()), ""
    except Exception as error:  # noqa: BLE001 - any failure is the run's outcome, recorded
        db.session.rollback()
        log.exception("job %s failed", job.id)
        return {}, _describe(error)


def _finish_run(job: Job, run_id: int, counts: dict[str, int], error: str) -> Outcome:
    sent = counts.get("sent", 0)
    created = sum(value for key, value in counts.items() if key != "sent")
    values = {"finished_at": utcnow(), "sent": sent, "created": created, "error": error}
    try:
        _committed_retrying(sa.update(JobRun).where(JobRun.id == run_id).values(**values))
    except sa.exc.OperationalError:
        # The heartbeat has stopped: the page shows the run as stopped without finishing.
        log.exception("could not record the end of job %s run %s", job.id, run_id)
    return Outcome(job.id, created, sent, error)


def _record_unstarted(job: Job, who: str, error: Exception) -> Outcome:
    """Record a run that could not even start (its first write failed), as failed."""
    now = utcnow()
    text = _describe(error)
    log.error("job %s could not start: %s", job.id, text)
    row = {"job_id": job.id, "triggered_by": who, "started_at": now, "finished_at": now}
    try:
        _committed_retrying(sa.insert(JobRun).values(**row, error=text))
    except sa.exc.OperationalError:
        log.exception("could not record the failed start of job %s", job.id)
    return Outcome(job.id, 0, 0, text)


def _committed_retrying(statement: sa.Executable) -> None:
    """Execute and commit one statement, once more after a failure: a database locked by
    another writer for longer than the busy timeout is often free a moment later."""
    for attempt in (1, 2):
        try:
            db.session.execute(statement)
            db.session.commit()
            return
        except sa.exc.OperationalError:
            db.session.rollback()
            if attempt == 2:
                raise


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


class Heartbeat:
    """Stamps a run as alive every few seconds from a thread of its own, so a run that stops
    without finishing (killed, out of memory, the machine gone) is seen as failed."""

    def __init__(self, engine: sa.Engine, run_id: int, every_seconds: float) -> None:
        self.engine, self.run_id, self.every = engine, run_id, every_seconds
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stopping.wait(self.every):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        sa.update(JobRun)
                        .where(JobRun.id == self.run_id)
                        .values(heartbeat_at=utcnow())
                    )
            except sa.exc.OperationalError:  # a busy database: the next beat will do
                log.debug("heartbeat of job run %s skipped", self.run_id, exc_info=True)


def silence_limit(config: dict) -> timedelta:
    """How long a run may stay silent before it counts as stopped."""
    return timedelta(seconds=SILENT_BEATS * config["JOB_HEARTBEAT_SECONDS"])


def has_stopped(run: JobRun, config: dict, now: datetime) -> bool:
    """Whether a run stopped without finishing: marked so, or silent for too long."""
    if run.finished_at is not None:
        return run.error == STOPPED
    return (run.heartbeat_at or run.started_at) < now - silence_limit(config)


def mark_stopped_runs(config: dict, now: datetime) -> int:
    """Record runs gone silent without finishing as failed (no commit); returns how many."""
    last_sign = sa.func.coalesce(JobRun.heartbeat_at, JobRun.started_at)
    return db.session.execute(
        sa.update(JobRun)
        .where(JobRun.finished_at.is_(None), last_sign < now - silence_limit(config))
        .values(finished_at=last_sign, error=STOPPED)
        .execution_options(synchronize_session=False)
    ).rowcount


def last_successes() -> dict[str, datetime]:
    """When each job's latest successful run started: every occasion until then is done."""
    return dict(
        db.session.execute(
            sa.select(JobRun.job_id, sa.func.max(JobRun.started_at))
            .where(JobRun.finished_at.is_not(None), JobRun.error == "")
            .group_by(JobRun.job_id)
        ).all()
    )


def jobs_missed(config: dict, now: datetime) -> list[Job]:
    """The jobs with an occasion between their last successful run and now (or never run)."""
    done = last_successes()
    return [job for job in JOBS if _missed(job, done.get(job.id), config, now)]


def _missed(job: Job, last_success: datetime | None, config: dict, now: datetime) -> bool:
    if last_success is None:
        return True
    occasion = job.next_occasion_after(last_success, config)
    return occasion is not None and occasion <= now


class QuietOverlaps(logging.Filter):
    """Drops APScheduler's warning that a job is still running when its trigger fires again:
    for the outbox during a long send that is routine (the running instance keeps sending),
    and it came every few seconds."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


QUIET_OVERLAPS = QuietOverlaps()


def build_scheduler(app: Flask, run_at_start: list[Job]) -> BlockingScheduler:
    """The scheduler process's APScheduler: the missed jobs due at once, the others at their
    next time."""
    logging.getLogger("apscheduler.scheduler").addFilter(QUIET_OVERLAPS)
    timezone = app.config["SCHEDULER_TIMEZONE"]
    scheduler = BlockingScheduler(timezone=timezone)
    now = datetime.now(scheduler.timezone)
    for job in JOBS:
        trigger = job.trigger(timezone, app.config)
        scheduler.add_job(
            run_job,
            trigger,
            args=[app, job.id],
            id=job.id,
            name=str(job.description),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=6 * 3600,
            replace_existing=True,
            next_run_time=now if job in run_at_start else trigger.get_next_fire_time(None, now),
        )
    return scheduler
