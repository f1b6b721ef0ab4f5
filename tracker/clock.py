"""What day it is where the user is. Tests freeze time with freezegun."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_login import current_user


def local_today(timezone: str | None = None) -> date:
    """Today's date in the given time zone (default: the signed-in user's, else the app's)."""
    if timezone is None:
        if getattr(current_user, "is_authenticated", False):
            timezone = current_user.timezone
        else:
            timezone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return datetime.now(ZoneInfo(timezone)).date()


def scheduler_today(now: datetime) -> date:
    """The day it is at `now` where the scheduled jobs run (SCHEDULER_TIMEZONE)."""
    return now.astimezone(ZoneInfo(current_app.config["SCHEDULER_TIMEZONE"])).date()
