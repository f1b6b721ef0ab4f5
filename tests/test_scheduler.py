"""The scheduler's bookkeeping, with an injected clock: jobs missed during downtime run once at
start, never again at the next triggers; a run that failed (on a lock too) is recorded as failed;
a run that went silent shows as stopped; APScheduler's overlap warnings stay out of the logs."""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Response
from freezegun import freeze_time

from config import TestConfig
from tests.helpers import page_text
from tracker import create_app
from tracker.auth.models import EmailFrequency
from tracker.extensions import db
from tracker.notifications.models import JobRun, Notification, OutboxEmail
from tracker.reminders.jobs import run_reminders
from tracker.scheduler import (
    JOBS,
    JOBS_BY_ID,
    STOPPED,
    Job,
    build_scheduler,
    jobs_missed,
    mark_stopped_runs,
    run_job,
)

# The scheduler last ran on Thursday 26 February 2026 (times in UTC; Brussels is UTC+1), then
# the machine was down Friday to Sunday and comes back on Monday 2 March at 10:00.
LAST_SUCCESS = {
    "reminders": datetime(2026, 2, 26, 22, 45, tzinfo=UTC),
    "outbox": datetime(2026, 2, 26, 22, 59, tzinfo=UTC),
    "daily-digest": datetime(2026, 2, 26, 6, 0, tzinfo=UTC),
    "weekly-digest": datetime(2026, 2, 23, 6, 30, tzinfo=UTC),
    "retention": datetime(2026, 2, 26, 2, 15, tzinfo=UTC),
    "empty-bin": datetime(2026, 2, 26, 2, 45, tzinfo=UTC),
}
BACK_UP = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DOWNTIME = [datetime(2026, 2, 27, 9, tzinfo=UTC), datetime(2026, 2, 28, 15, tzinfo=UTC)]


def finished_run(job_id: str, started_at: datetime, error: str = "") -> JobRun:
    return JobRun(
        job_id=job_id,
        started_at=started_at,
        heartbeat_at=started_at,
        finished_at=started_at + timedelta(seconds=2),
        error=error,
        triggered_by="scheduler@before",
    )


def run_at(app, moment: datetime, job_id: str):
    with freeze_time(moment):
        return run_job(app, job_id)


def count(session, model, *where) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def before_downtime(session, make, scheme):
    """The scheduler's history until Thursday, and what happened while it was down: updates
    for two people who read a daily summary, and a notification past its retention."""
    session.add_all(finished_run(job_id, moment) for job_id, moment in LAST_SUCCESS.items())
    daily = [scheme["expert"], scheme["implementer"]]
    make.user(email_frequency=EmailFrequency.DAILY)  # nothing came in for this one
    for user in daily:
        user.email_frequency = EmailFrequency.DAILY
        for moment in DOWNTIME:
            session.add(
                Notification(
                    user_id=user.id, kind="comment", subject="A comment", created_at=moment
                )
            )
    session.add(
        Notification(
            user_id=scheme["mentor"].id,
            kind="comment",
            subject="Long ago",
            created_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
    )
    session.flush()
    return [user.id for user in daily]  # ids: a job run ends the session its objects were in


def test_three_days_of_downtime_are_caught_up_once_at_start(app, session, scheme, before_downtime):
    config, coordinator_id = app.config, scheme["coordinator"].id
    missed = jobs_missed(config, BACK_UP)
    assert [job.id for job in missed] == [job.id for job in JOBS]  # every job missed something
    for job in missed:  # what the scheduler runs as it starts
        assert not run_at(app, BACK_UP, job.id).error

    summaries = session.execute(
        sa.select(OutboxEmail.user_id, OutboxEmail.subject).where(OutboxEmail.key.like("daily:%"))
    ).all()
    assert sorted(summaries) == sorted(
        (user_id, "Your summary of 2 Mar 2026: 2 updates") for user_id in before_downtime
    )
    digests = session.execute(
        sa.select(Notification.user_id, Notification.key).where(Notification.kind == "digest")
    ).all()
    assert digests == [(coordinator_id, "digest:2026-W10")]
    started_since = JobRun.started_at >= BACK_UP
    assert count(session, JobRun, JobRun.job_id == "retention", started_since) == 1
    assert count(session, Notification, Notification.subject == "Long ago") == 0

    # Restarted five minutes later: only the every-minute outbox is due again.
    assert [job.id for job in jobs_missed(config, BACK_UP + timedelta(minutes=5))] == ["outbox"]

    # The next triggers of each job repeat nothing.
    for job in JOBS:
        run_at(app, job.next_occasion_after(BACK_UP, config), job.id)
    assert count(session, OutboxEmail, OutboxEmail.key.like("daily:%")) == len(before_downtime)
    assert set(
        session.execute(sa.select(Notification.key).where(Notification.kind == "digest")).scalars()
    ) == {
        "digest:2026-W10",  # the week of the start
        "digest:2026-W11",  # the next Monday's, the following week
    }
    runs = session.execute(
        sa.select(JobRun.job_id, sa.func.count()).where(started_since).group_by(JobRun.job_id)
    ).all()
    assert dict(runs) == {job.id: 2 for job in JOBS}  # once at start, once at its next time
    assert count(session, JobRun, started_since, JobRun.error != "") == 0


def test_a_summary_caught_up_before_the_days_own_time_is_that_days_only_one(
    app, session, scheme, before_downtime
):
    early = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 06:00 in Brussels, before the 07:00 run
    run_at(app, early, "daily-digest")
    session.add(
        Notification(
            user_id=before_downtime[0],
            kind="comment",
            subject="Later that morning",
            created_at=early + timedelta(minutes=30),
        )
    )
    session.flush()
    seven = JOBS_BY_ID["daily-digest"].next_occasion_after(early, app.config)
    assert seven == datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert run_at(app, seven, "daily-digest").created == 0  # the day's summary went out already
    assert count(session, OutboxEmail, OutboxEmail.key.like("daily:%")) == len(before_downtime)
    tomorrow = run_at(app, seven + timedelta(days=1), "daily-digest")
    assert tomorrow.created == 1  # what came in after the summary, in the next day's


def test_a_failed_run_does_not_count_as_done(app, session, scheme):
    session.add(finished_run("retention", BACK_UP - timedelta(hours=1), error="OperationalError"))
    session.add(finished_run("retention", BACK_UP - timedelta(days=1, hours=7)))
    session.flush()
    assert "retention" in {job.id for job in jobs_missed(app.config, BACK_UP)}


def test_the_scheduler_runs_missed_jobs_at_once_and_the_others_at_their_time(app):
    missed = [JOBS_BY_ID["weekly-digest"]]
    scheduler = build_scheduler(app, run_at_start=missed)
    first_runs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    now = datetime.now(UTC)
    assert now - timedelta(seconds=5) <= first_runs["weekly-digest"] <= now
    assert all(first_runs[job.id] > now for job in JOBS if job.id != "weekly-digest")


# --------------------------------------------------------------------------------------------
# Runs that fail or stop


@pytest.fixture
def file_app(tmp_path):
    """An app on an SQLite file whose writers give up after 0.3 s: locks are easy to provoke."""
    path = tmp_path / "locks.sqlite"
    application = create_app(
        TestConfig,
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SQLITE_BUSY_TIMEOUT_MS": 300},
    )
    with application.app_context():
        db.metadata.create_all(db.engine)
        yield application, path
        db.session.remove()
        db.engine.dispose()


def lock_until_refused(path) -> None:
    """Another writer takes the database, from a thread, and keeps it until the app's next
    write has given up on it ("database is locked"): then the app can write again."""
    holding, refused = threading.Event(), threading.Event()

    def on_error(context) -> None:
        if "database is locked" in str(context.original_exception):
            refused.set()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            holding.set()
            refused.wait(10)
            connection.execute("ROLLBACK")
        finally:
            connection.close()
            sa.event.remove(engine, "handle_error", on_error)

    engine = db.engine
    sa.event.listen(engine, "handle_error", on_error)
    threading.Thread(target=hold, daemon=True).start()
    assert holding.wait(5)


def runs_of(job_id: str) -> list[JobRun]:
    return list(db.session.execute(sa.select(JobRun).where(JobRun.job_id == job_id)).scalars())


def test_a_reminder_run_that_fails_on_a_lock_is_recorded_as_failed(file_app, monkeypatch):
    app, path = file_app

    def reminders_meeting_a_lock(now: datetime) -> dict[str, int]:
        lock_until_refused(path)
        return run_reminders(now)

    locked = Job("reminders", "Reminders", reminders_meeting_a_lock, JOBS[0].trigger)
    monkeypatch.setitem(JOBS_BY_ID, "reminders", locked)
    outcome = run_job(app, "reminders")
    assert "database is locked" in outcome.error
    (run,) = runs_of("reminders")
    assert run.finished_at is not None and "database is locked" in run.error


def test_a_run_that_cannot_even_start_for_a_lock_is_recorded_as_failed(file_app):
    app, path = file_app
    lock_until_refused(path)  # the run's first write, its own record, is refused
    outcome = run_job(app, "retention")
    assert "database is locked" in outcome.error
    (run,) = runs_of("retention")
    assert run.finished_at is not None and "database is locked" in run.error


def test_a_run_gone_silent_shows_as_stopped_and_is_marked_failed_at_the_next_start(
    app, client, login_as, session, scheme
):
    heartbeat = timedelta(seconds=app.config["JOB_HEARTBEAT_SECONDS"])
    now = datetime.now(UTC)
    alive = JobRun(job_id="reminders", started_at=now - heartbeat * 10, heartbeat_at=now)
    silent = JobRun(
        job_id="retention", started_at=now - heartbeat * 10, heartbeat_at=now - heartbeat * 5
    )
    session.add_all([alive, silent])
    session.flush()
    login_as(scheme["coordinator"])
    rows = job_rows(client)
    assert "running" in rows["reminders"] and "failed" not in rows["reminders"]
    assert "failed" in rows["retention"] and "stopped without finishing" in rows["retention"]

    assert mark_stopped_runs(app.config, now) == 1
    session.refresh(silent)
    assert (silent.error, silent.finished_at) == (STOPPED, silent.heartbeat_at)
    assert "stopped without finishing" in job_rows(client)["retention"]


def job_rows(client) -> dict[str, str]:
    """The rows of the Scheduled jobs table as text, by job id (the first word of a row)."""
    page = client.get("/admin/jobs").get_data(as_text=True)
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [page_text(Response(row)) for row in body.split("<tr>")[1:]]
    return {row.split(" ", 1)[0]: row for row in rows}


def test_overlapping_triggers_do_not_fill_the_log(app, caplog):
    build_scheduler(app, run_at_start=[])
    with caplog.at_level(logging.WARNING, logger="apscheduler.scheduler"):
        logging.getLogger("apscheduler.scheduler").warning(
            'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
            "outbox",
            1,
        )
        logging.getLogger("apscheduler.scheduler").warning("Something else")
    assert [record.getMessage() for record in caplog.records] == ["Something else"]
