"""What every reminder rule shares: its settings, the catch-up window, the pair's name in SQL,
recipients, and the due-or-overdue reminder.

Keys name the rule, the object and the occasion (the date the reminder is about, or the period
for repeating ones), so moving a due date brings a fresh reminder while a second run brings none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from tracker.auth.models import User
from tracker.catalogue.models import Theme
from tracker.checkins.schedule import check_in_months
from tracker.extensions import db
from tracker.messages import Message
from tracker.organisations.models import Organisation
from tracker.pairs.models import ARROW, THEME_MARK, Pair
from tracker.reminders.engine import Reminder
from tracker.visits.queries import report_overdue_days

Mentor, Implementing = aliased(Organisation), aliased(Organisation)
# Who reviews an implementing city's plan and actions: the mentor city and the expert partner.
REVIEWERS = (
    User.organisation_id == Pair.mentor_city_id,
    User.organisation_id == Theme.expert_organisation_id,
)


@dataclass(frozen=True)
class Rule:
    """A reminder rule: its id, what it finds, and its description from the settings."""

    id: str
    find: Callable[[datetime], list[Reminder]]
    describe: Callable[[Mapping[str, Any]], str]

    @property
    def description(self) -> str:
        return self.describe(reminder_settings())


def reminder_settings() -> dict[str, Any]:
    """The reminder thresholds in days, with the one setting for a visit report being late and
    the months after which a completed pair is asked for a check-in."""
    return {
        **current_app.config["REMINDERS"],
        "report_missing_days": report_overdue_days(),
        "check_in_months": check_in_months(),
    }


def setting(name: str) -> Any:
    return reminder_settings()[name]


def catch_up(
    column: Any, moment: date | datetime, since: date | datetime | None = None
) -> sa.ColumnElement[bool]:
    """The column's moment came, but not longer ago than the catch-up window (counted back from
    `since`, by default from the moment itself)."""
    start = (since if since is not None else moment) - timedelta(days=setting("catch_up_days"))
    return sa.and_(column <= moment, column >= start)


def pair_label() -> sa.ColumnElement[str]:
    """A pair's name in SQL, as `Pair.label` writes it: theme · mentor city → implementing city."""
    return Theme.code + THEME_MARK + Mentor.name + ARROW + Implementing.name


def with_pair(query: sa.Select[Any], pair_id_column: Any) -> sa.Select[Any]:
    """The query joined to the pair, its theme and both cities (for `pair_label`)."""
    return (
        query.join(Pair, Pair.id == pair_id_column)
        .join(Theme, Theme.id == Pair.theme_id)
        .join(Mentor, Mentor.id == Pair.mentor_city_id)
        .join(Implementing, Implementing.id == Pair.implementing_city_id)
    )


def for_each_recipient(query: sa.Select[Any], *recipients: sa.ColumnElement[bool]) -> sa.Result:
    """Run the query once for each way a user can be a recipient, joining User on each condition
    in turn: with an OR in one join condition, PostgreSQL compares every user with every row."""
    return db.session.execute(
        sa.union_all(*(query.join(User, recipient) for recipient in recipients))
    )


def active_users() -> sa.ColumnElement[bool]:
    return sa.and_(User.active.is_(True), User.erased_at.is_(None))


@dataclass(frozen=True)
class DueTexts:
    """The subjects of a due-or-overdue reminder, each with %(date)s and %(title)s."""

    due: Message
    overdue: Message


def due_reminder(
    user_id: int,
    kind: str,
    key: str,
    due_on: date,
    today: date,
    title: str,
    texts: DueTexts,
    link: str,
) -> Reminder:
    """A reminder of something due on a day: "due" before that day, "overdue" after it, each
    once per due date (moving the date brings a fresh one)."""
    overdue = due_on < today
    subject = (texts.overdue if overdue else texts.due).with_params(date=due_on, title=title)
    occasion = "overdue" if overdue else "due"
    return Reminder(user_id, kind, f"{key}:{occasion}:{due_on.isoformat()}", subject, link)
