"""The unit of work: one transaction per request, command or job, committed here and nowhere else.

Services change objects and `flush()`; they never commit. A view hands its service call to
`save_or_show_errors` (a form page) or `save_or_flash_errors` (a button), which commit once
or roll back and show the refusal; a CLI command or a job runs inside `committed()`. Emails
and notifications are rows written in the same transaction (the outbox), so a change that is
rolled back never mails anyone. A request that only read ends its transaction in
`end_reading`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import flash
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from tracker.exceptions import RuleViolation, show_on_form
from tracker.extensions import db

T = TypeVar("T")

DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


def save_or_show_errors(form: Any, action: Callable[[], T]) -> T | bool:
    """Run a service call for a validated form and commit; on a rule violation, roll back and
    show the message on the form instead. Returns the action's result (True if it returns
    nothing), or False if refused."""
    try:
        result = commit_or_refuse(action)
    except RuleViolation as error:
        show_on_form(form, error)
        return False
    return True if result is None else result


def save_or_flash_errors(action: Callable[[], T]) -> T | bool:
    """Like save_or_show_errors, for buttons without a form page: a refusal becomes a flash."""
    try:
        result = commit_or_refuse(action)
    except RuleViolation as error:
        flash(str(error.message), "danger")
        return False
    return True if result is None else result


def commit_or_refuse(action: Callable[[], T]) -> T:
    """Run the action and commit, rolling back on a refusal. A row that another request
    changed between our read and our write (its version moved on), or a save that deadlocked
    with another, is a refusal too: the user is told to look again, rather than shown a
    server error."""
    try:
        result = action()
        db.session.commit()
    except RuleViolation:
        db.session.rollback()
        raise
    except (StaleDataError, DBAPIError) as error:
        if isinstance(error, DBAPIError) and not _deadlocked(error):
            raise
        db.session.rollback()
        raise RuleViolation(
            _(
                "Someone else saved a change here at the same moment, so yours was not saved. "
                "Reload the page to see it, then make your change again."
            )
        ) from error
    return result


def _deadlocked(error: DBAPIError) -> bool:
    """Whether PostgreSQL broke a deadlock by rolling this transaction back: two saves of the
    same rows at the same moment, each waiting for the other (a plan's figures are counted
    under its row's lock, tracker/plans/figures.py)."""
    return getattr(error.orig, "sqlstate", None) == DEADLOCK_DETECTED


def commit_apart(action: Callable[[], object]) -> None:
    """Run a small write in a transaction of its own, before the request does anything else
    (noting that a sign-in session is in use): the read that led to it ends first, so on
    SQLite the write opens a write transaction of its own."""
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("commit_apart would commit the request's own changes")
    db.session.rollback()  # nothing is pending: this only ends the read
    with committed():
        action()


@contextmanager
def committed() -> Iterator[None]:
    """Commit what the block did, or roll it all back if it raised (CLI commands and jobs)."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def end_reading(error: BaseException | None) -> None:
    """End a request's (or any app context's) transaction that wrote nothing with a commit, on
    PostgreSQL, before the session's removal would roll it back. Committing a transaction that
    wrote nothing changes nothing; rolling back makes psycopg forget every statement it has
    prepared on the connection (a rolled-back transaction may have dropped what they name), so
    PostgreSQL parsed and planned each page's statements afresh on every request. Whether
    anything was written is the server's answer (a transaction id is assigned at the first
    write, whoever wrote: a flush nobody committed, a Core UPDATE, a trigger); a transaction
    that wrote, or a request that failed, is rolled back by the removal as before."""
    session = db.session()
    if error is not None or not session.in_transaction():
        return
    if session.get_bind().dialect.name != "postgresql":
        return
    if session.new or session.dirty or session.deleted:
        return
    wrote = session.connection().exec_driver_sql("SELECT txid_current_if_assigned()").scalar()
    if wrote is None:
        session.expire_on_commit = False  # the session is removed next: nothing to load again
        session.commit()
