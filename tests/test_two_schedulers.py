"""Two scheduler processes started by mistake against one PostgreSQL database: every reminder
is created once and every email delivered once, also when a slow mail server makes each send
run outlast the claim time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import flask_migrate
import pytest
import sqlalchemy as sa

from config import BASE_DIR, TestConfig
from tests.databases import empty_database, wait_for_lock_waiters
from tests.mail_world import environment, seed_outbox, start
from tests.smtp import RecordingSMTPServer
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.catalogue.loader import bundled_files, load_files
from tracker.checkins.schedule import add_months
from tracker.deliverables.models import Deliverable, DeliverableKind
from tracker.extensions import db
from tracker.notifications.models import JobRun, Notification, OutboxEmail
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair, PairStatus
from tracker.visits.models import Visit, VisitKind, VisitStatus

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)
# The expert for the missing report, two city officers for the deliverable, the same two asked
# for the check-in of Riga's pair completed six months ago.
EXPECTED_REMINDERS = 5
DEADLINE_SECONDS = 60


def build_scenario(url: str) -> None:
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        load_files(bundled_files())
        theme = db.session.execute(
            sa.text("SELECT id FROM theme WHERE code = 'B' LIMIT 1")
        ).scalar_one()
        expert_org = db.session.execute(
            sa.text("SELECT expert_organisation_id FROM theme WHERE id = :id"), {"id": theme}
        ).scalar_one()
        riga = Organisation(name="Riga", kind=OrganisationKind.CITY, country="Latvia")
        helsinki = Organisation(name="Helsinki", kind=OrganisationKind.CITY, country="Finland")
        db.session.add_all([riga, helsinki])
        db.session.flush()
        for number, (role, organisation_id) in enumerate(
            [(Role.EXPERT, expert_org), (Role.CITY, riga.id), (Role.CITY, riga.id)]
        ):
            db.session.add(
                User(
                    email=f"person{number}@example.org",
                    name=f"Person {number}",
                    role=role,
                    organisation_id=organisation_id,
                    session_version=1,
                    active=True,
                )
            )
        pair = Pair(
            theme_id=theme, mentor_city=helsinki, implementing_city=riga, status=PairStatus.ACTIVE
        )
        db.session.add(pair)
        tallinn = Organisation(name="Tallinn", kind=OrganisationKind.CITY, country="Estonia")
        six_months_ago = datetime.combine(add_months(date.today(), -6), clock_time(12), tzinfo=UTC)
        db.session.add(
            Pair(
                theme_id=theme,
                mentor_city=tallinn,
                implementing_city=riga,
                status=PairStatus.COMPLETED,
                completed_at=six_months_ago,
            )
        )
        db.session.flush()
        ten_days_ago = date.today() - timedelta(days=10)
        db.session.add(
            Visit(
                pair=pair,
                kind=VisitKind.MENTORING,
                host_city=riga,
                status=VisitStatus.HELD,
                starts_on=ten_days_ago,
                ends_on=ten_days_ago,
            )
        )
        programme = db.session.execute(
            sa.text("SELECT programme_id FROM theme WHERE id = :id"), {"id": theme}
        ).scalar_one()
        db.session.add(
            Deliverable(
                programme_id=programme,
                theme_id=theme,
                pair=pair,
                kind=DeliverableKind.ACTION_PLAN,
                title="Riga's plan",
                responsible_organisation=riga,
                due_on=date.today() - timedelta(days=3),
            )
        )
        db.session.commit()
        db.engine.dispose()


def start_scheduler(url: str, smtp_port: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "TRACKER_ENV": "development",
        "DATABASE_URL": url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_USE_TLS": "0",
        "OUTBOX_INTERVAL_SECONDS": "1",
        "PUBLIC_BASE_URL": "http://tracker.test",
    }
    return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", "tracker", "scheduler"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def started_together(
    engine: sa.Engine, start_both: Callable[[], list[subprocess.Popen]]
) -> list[subprocess.Popen]:
    """Both schedulers, held at their first reading of the job runs until both are there: each
    then finds every job missed and runs the reminders at the same time as the other. (Started
    freely, on a busy machine the second could start after the first had caught up, find nothing
    missed, and never run the rules the test is about.)"""
    with engine.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE job_run IN ACCESS EXCLUSIVE MODE")
        processes = start_both()
        try:
            wait_for_lock_waiters(engine, 2, seconds=DEADLINE_SECONDS)
        except AssertionError:
            for process in processes:
                process.kill()
            raise
        holder.rollback()
    return processes


def test_two_schedulers_deliver_each_reminder_exactly_once(tmp_path):
    smtp = RecordingSMTPServer()
    smtp.start()
    with empty_database("postgresql", tmp_path, "schedulers") as url:
        build_scenario(url)
        logs = [(tmp_path / f"scheduler-{n}.log").open("w") for n in (1, 2)]
        engine = sa.create_engine(url)
        processes = started_together(
            engine, lambda: [start_scheduler(url, smtp.port, log) for log in logs]
        )
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    runs = Counter(
                        connection.execute(
                            sa.select(JobRun.job_id).where(JobRun.finished_at.is_not(None))
                        ).scalars()
                    )
                if (
                    runs["reminders"] >= 2
                    and runs["outbox"] >= 4
                    and len(smtp.messages) >= EXPECTED_REMINDERS
                ):
                    break
                time.sleep(0.5)
            time.sleep(2)  # give a duplicate, if any, the time to arrive
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)
            for log in logs:
                log.close()
            smtp.stop()
        output = "\n".join(path.read_text() for path in tmp_path.glob("scheduler-*.log"))
        with engine.connect() as connection:
            notifications = connection.execute(
                sa.select(sa.func.count(Notification.id))
            ).scalar_one()
            outbox = connection.execute(sa.select(sa.func.count(OutboxEmail.id))).scalar_one()
            reminder_runs = connection.execute(
                sa.select(sa.func.count(JobRun.id)).where(
                    JobRun.job_id == "reminders", JobRun.error == ""
                )
            ).scalar_one()
        engine.dispose()
    assert reminder_runs >= 2, output  # both processes really ran the rules
    assert notifications == EXPECTED_REMINDERS, output
    assert outbox == EXPECTED_REMINDERS
    keys = [message["X-Tracker-Email"] for message in smtp.messages]
    assert len(keys) == EXPECTED_REMINDERS and len(set(keys)) == EXPECTED_REMINDERS, keys
    recipients = sorted(message["X-Envelope-To"] for message in smtp.messages)
    assert recipients == [
        "person0@example.org",
        "person1@example.org",
        "person1@example.org",
        "person2@example.org",
        "person2@example.org",
    ]
    subjects = [str(message["Subject"]) for message in smtp.messages]
    assert sum("check-in" in subject for subject in subjects) == 2, subjects
    assert datetime.now(UTC)  # the run used the real clock, not a frozen one


SLOW_EMAILS = 40
SLOW_SETTINGS = {
    "OUTBOX_INTERVAL_SECONDS": 1,  # the other scheduler looks for work every second
    "MAIL_BATCH_SIZE": 10,  # a batch takes 10 x 0.6 s = 6 s, longer than a claim lives
    "MAIL_TIMEOUT": 1,
    "MAIL_CLAIM_TIMEOUT_SECONDS": 4,
}
SECONDS_PER_MESSAGE = 0.6


def test_two_schedulers_deliver_each_email_once_when_sending_outlasts_the_claim(tmp_path):
    smtp = RecordingSMTPServer()
    smtp.handler.seconds_per_message = SECONDS_PER_MESSAGE
    smtp.start()
    with empty_database("postgresql", tmp_path, "slow_mail") as url:
        seed_outbox(url, emails=SLOW_EMAILS)
        env = environment(url, smtp.port, **SLOW_SETTINGS)
        logs = [(tmp_path / f"scheduler-{n}.log").open("wb") for n in (1, 2)]
        processes = [start(["scheduler"], env, log) for log in logs]
        engine = sa.create_engine(url)
        sent = sa.select(sa.func.count(OutboxEmail.id)).where(OutboxEmail.sent_at.is_not(None))
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS * 2
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    if connection.execute(sent).scalar_one() >= SLOW_EMAILS:
                        break
                time.sleep(0.5)
            time.sleep(2 * SECONDS_PER_MESSAGE)  # give a duplicate, if any, the time to arrive
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)
            for log in logs:
                log.close()
            smtp.stop()
        output = "\n".join(path.read_text() for path in tmp_path.glob("scheduler-*.log"))
        with engine.connect() as connection:
            longest_send = max(
                finished - started
                for started, finished in connection.execute(
                    sa.select(JobRun.started_at, JobRun.finished_at).where(
                        JobRun.job_id == "outbox", JobRun.finished_at.is_not(None)
                    )
                ).all()
            )
        engine.dispose()
    keys = Counter(message["X-Tracker-Email"] for message in smtp.messages)
    repeated = {key: times for key, times in keys.items() if times > 1}
    assert repeated == {}, output
    assert sum(1 for key in keys if key.startswith("test:")) == SLOW_EMAILS, output
    message_ids = {str(message["Message-ID"]).strip() for message in smtp.messages}
    assert len(message_ids) == len(smtp.messages)
    # A send run lasted longer than a claim lives: only the renewal kept the other one off.
    assert longest_send > timedelta(seconds=SLOW_SETTINGS["MAIL_CLAIM_TIMEOUT_SECONDS"])
    assert "maximum number of running instances" not in output
