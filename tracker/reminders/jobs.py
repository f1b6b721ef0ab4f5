"""The reminder jobs: run every rule, and the coordinators' weekly digest."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.auth.models import Role, User
from tracker.clock import scheduler_today
from tracker.extensions import db
from tracker.languages import language_of
from tracker.links import path_to
from tracker.messages import N_, Message
from tracker.pairs.health import Health, PairHealth, pair_health
from tracker.pairs.loading import with_pair
from tracker.pairs.models import LIVE_PAIR_STATUSES, Pair
from tracker.reminders.engine import Reminder, deliver
from tracker.reminders.rules import RULES


def run_reminders(now: datetime) -> dict[str, int]:
    """Run every rule; return how many new notifications each created."""
    created = {}
    for rule in RULES:
        created[rule.id] = deliver(rule.find(now), now)
    db.session.commit()
    return created


def weekly_digest(now: datetime) -> dict[str, int]:
    """One notification (and email) per coordinator per week, listing the pairs at risk, in
    the coordinator's language."""
    today = scheduler_today(now)
    pairs = {
        pair.id: pair
        for pair in db.session.execute(
            sa.select(Pair).where(Pair.status.in_(LIVE_PAIR_STATUSES)).options(*with_pair())
        ).scalars()
    }
    year, week, _weekday = today.isocalendar()
    coordinators = db.session.execute(
        sa.select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
    ).scalars()
    by_language: dict[str, list[User]] = {}
    for coordinator in coordinators:
        by_language.setdefault(language_of(coordinator), []).append(coordinator)
    reminders = []
    for language, readers in by_language.items():
        with force_locale(language):  # the reasons are written as the pairs are judged
            subject, body = _digest(pairs, pair_health(list(pairs), today, now))
        reminders += [
            Reminder(
                reader.id,
                "digest",
                f"digest:{year}-W{week:02d}",
                subject,
                path_to("dashboards.home"),
                body,
            )
            for reader in readers
        ]
    created = deliver(reminders, now)
    db.session.commit()
    return {"digest": created}


def _digest(pairs: dict[int, Pair], health: dict[int, PairHealth]) -> tuple[Message, str]:
    """The digest's subject and its lines, one per pair that is not on track."""
    troubled = sorted(
        (h for h in health.values() if h.health is not Health.ON_TRACK),
        key=lambda h: (h.health is not Health.AT_RISK, pairs[h.pair_id].theme.code),
    )
    lines = [
        f"{h.health.label}: {pairs[h.pair_id].label} — " + "; ".join(h.reasons) for h in troubled
    ]
    at_risk = sum(1 for h in troubled if h.health is Health.AT_RISK)
    subject = N_(
        "Weekly digest: %(risk)d pairs at risk, %(attention)d need attention",
        risk=at_risk,
        attention=len(troubled) - at_risk,
    )
    return subject, "\n".join(lines) or _("Every pair is on track.")
