"""When each check-in is due: some months (CHECK_IN_MONTHS) after the day a pair completed."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from tracker.checkins.models import CheckIn
from tracker.clock import scheduler_today
from tracker.db import as_utc
from tracker.pairs.models import Pair, PairStatus


@dataclass(frozen=True)
class DueCheckIn:
    """One check-in of a completed pair: when it is due, and its answer once given."""

    pair: Pair
    months: int
    completed_on: date
    due_on: date
    answer: CheckIn | None = None

    def is_due(self, today: date) -> bool:
        return self.answer is None and self.due_on <= today


def check_in_months() -> tuple[int, ...]:
    """The months after completion at which a check-in is asked (config.check() validated them)."""
    return tuple(sorted({int(part) for part in current_app.config["CHECK_IN_MONTHS"].split(",")}))


def check_in_today() -> date:
    """Today, where the scheduled jobs run: a check-in opens the day its request is sent."""
    return scheduler_today(datetime.now(UTC))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 August + 6
    months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def completed_on(pair: Pair) -> date | None:
    """The day the pair completed, where the scheduled jobs run; None unless it is completed."""
    if pair.status is not PairStatus.COMPLETED or pair.completed_at is None:
        return None
    return scheduler_today(as_utc(pair.completed_at))


def check_ins_of(pair: Pair, answers: dict[tuple[int, int, date], CheckIn]) -> list[DueCheckIn]:
    """Every check-in of a completed pair (none for another), with the answers given."""
    done = completed_on(pair)
    if done is None:
        return []
    return [
        DueCheckIn(pair, months, done, due, answers.get((pair.id, months, done)))
        for months in check_in_months()
        for due in [add_months(done, months)]
    ]


def reminder_on(due_on: date) -> date:
    """The day an unanswered check-in due on `due_on` is reminded of."""
    return due_on + timedelta(days=current_app.config["REMINDERS"]["check_in_reminder_days"])
