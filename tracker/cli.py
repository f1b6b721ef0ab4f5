"""The `flask tracker ...` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.auth.models import Role
from tracker.auth.passwords import MIN_PASSWORD_LENGTH, password_problem
from tracker.backup.archive import BackupError
from tracker.backup.restore import restore_backup
from tracker.backup.snapshot import write_backup
from tracker.catalogue.loader import CatalogueError, bundled_files, load_files
from tracker.demo import DEMO_PASSWORD, DemoError, seed_demo
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.transaction import committed
from tracker.users.service import save_user

tracker_cli = AppGroup("tracker", help="Manage the mentoring-scheme tracker.")


@tracker_cli.command("load-catalogue")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_catalogue(files: tuple[Path, ...]) -> None:
    """Load benchmark catalogue files (default: the catalogue shipped with the tracker)."""
    try:
        with committed():
            report = load_files(list(files) or bundled_files())
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Catalogue loaded ({', '.join(report.programmes)}): {report.describe()}.")


@tracker_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Add the CITIES GROW demo: cities, network, illustrative pairs and one user per role."""
    try:
        with committed():
            users = seed_demo()
    except DemoError as error:
        raise click.ClickException(str(error)) from error
    click.echo("Demo data ready. Sign in with any of these accounts:")
    for user in users:
        click.echo(f"  {user.role.value:<12} {user.email:<28} password: {DEMO_PASSWORD}")


@tracker_cli.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organisation", prompt=True, help="Name of an existing organisation.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default="coordinator",
    show_default=True,
)
@click.password_option(
    help=f"At least {MIN_PASSWORD_LENGTH} characters, hard to guess, not built on the name or email."
)
def create_user(email: str, name: str, organisation: str, role: str, password: str) -> None:
    """Create a user account (for example the first coordinator)."""
    problem = password_problem(password, email=email, name=name)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="password")
    chosen_role = Role(role)
    org = db.session.execute(
        select(Organisation).where(Organisation.name == organisation)
    ).scalar_one_or_none()
    if org is None:
        if chosen_role is not Role.COORDINATOR:
            raise click.BadParameter(
                f"no organisation named {organisation!r}", param_hint="organisation"
            )
        org = Organisation(name=organisation, kind=chosen_role.organisation_kind)
        db.session.add(org)
    try:
        with committed():
            user = save_user(
                None,
                None,
                name=name,
                email=email,
                role=chosen_role,
                organisation=org,
                password=password,
            )
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Created {user.role.value} {user.email} in {org.name}.")


@tracker_cli.command("backup")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive to write (default: instance/backups/tracker-<UTC time>.tar.gz).",
)
def backup_command(output: Path | None) -> None:
    """Write the data and the uploaded files to one .tar.gz archive, from one snapshot."""
    try:
        report = write_backup(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.describe())


@tracker_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete all the data the database holds first.")
def restore_command(archive: Path, replace: bool) -> None:
    """Restore an archive written by `flask tracker backup` into the configured database."""
    try:
        report = restore_backup(archive, replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.describe())


@tracker_cli.command("scheduler")
def scheduler_command() -> None:
    """Run the reminder and email jobs (one process beside the web workers)."""
    from flask import current_app

    from tracker.db import utcnow
    from tracker.scheduler import build_scheduler, jobs_missed, mark_stopped_runs

    app = current_app._get_current_object()
    with committed():
        stopped = mark_stopped_runs(app.config, utcnow())
        missed = jobs_missed(app.config, utcnow())
    scheduler = build_scheduler(app, run_at_start=missed)
    if stopped:
        click.echo(f"{stopped} job runs had stopped without finishing; marked as failed.")
    click.echo(
        f"Scheduler started ({', '.join(job.id for job in scheduler.get_jobs())}); "
        f"running now what was missed: {', '.join(job.id for job in missed) or 'nothing'}. "
        "Stop it with Ctrl+C."
    )
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")


@tracker_cli.command("run-job")
@click.argument("job_id")
def run_job_command(job_id: str) -> None:
    """Run one scheduled job now (reminders, outbox, daily-digest, weekly-digest, retention)."""
    from flask import current_app

    from tracker.scheduler import JOBS_BY_ID, run_job

    if job_id not in JOBS_BY_ID:
        raise click.BadParameter(f"choose one of {', '.join(JOBS_BY_ID)}", param_hint="job_id")
    run = run_job(current_app._get_current_object(), job_id, "command line")
    if run.error:
        raise click.ClickException(run.error)
    click.echo(f"{job_id}: {JOBS_BY_ID[job_id].describe(run.created, run.sent)}.")
