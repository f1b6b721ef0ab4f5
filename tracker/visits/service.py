"""Planning visits and moving them through their statuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.catalogue.models import Factor
from tracker.dates import long_date
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.locking import check_version, touch
from tracker.messages import N_, in_sentence
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair, PairStatus
from tracker.pairs.queries import pair_people
from tracker.visits.models import Visit, VisitKind, VisitParticipant, VisitStatus
from tracker.workflow import check_transition

V = VisitStatus
VISIT_TRANSITIONS = {
    V.PLANNED: frozenset({V.CONFIRMED, V.CANCELLED}),
    V.CONFIRMED: frozenset({V.HELD, V.CANCELLED}),
    V.HELD: frozenset({V.REPORTED}),
    V.REPORTED: frozenset(),
    V.CANCELLED: frozenset(),
}
# Reported is reached by saving the report, not by a status button.
MANUAL_TRANSITIONS = {
    status: targets - {V.REPORTED} for status, targets in VISIT_TRANSITIONS.items()
}
EDITABLE = frozenset({V.PLANNED, V.CONFIRMED})
CLOSED_PAIR = frozenset({PairStatus.COMPLETED, PairStatus.WITHDRAWN})


def host_city(pair: Pair, kind: VisitKind) -> Organisation | None:
    """Where a visit of this kind takes place: mentoring and final review at the implementing
    city, study visits at the mentor city, online meetings nowhere."""
    if kind is VisitKind.STUDY:
        return pair.mentor_city
    if kind is VisitKind.ONLINE:
        return None
    return pair.implementing_city


def eligible_participants(pair: Pair) -> list[User]:
    """The people who can take part: members of the two cities and of the expert partner."""
    return pair_people(pair)


@dataclass
class VisitDetails:
    kind: VisitKind
    starts_on: date
    ends_on: date
    starts_at_time: time | None = None
    ends_at_time: time | None = None
    location: str = ""
    agenda: str = ""
    participant_ids: list[int] = field(default_factory=list)
    guests: list[tuple[str, str]] = field(default_factory=list)
    already_held: bool = False  # it took place already: record it as held


def plan_visit(actor: User, pair: Pair, details: VisitDetails, today: date) -> Visit:
    """Plan a new visit for a pair, or record one that already took place."""
    if pair.status in CLOSED_PAIR:
        raise RuleViolation(
            _("This pair is %(status)s: no new visits can be planned.", status=pair.status.label)
        )
    _refuse_problems(_when_problems(pair, details, today) + _detail_problems(pair, details))
    visit = Visit(pair=pair, status=VisitStatus.PLANNED, created_by_id=actor.id)
    _apply(visit, pair, details)
    db.session.add(visit)
    db.session.flush()
    if details.already_held:
        _record_afterwards(actor, visit, today)
    else:
        record(
            actor,
            "visit.planned",
            visit,
            N_(
                "Planned a %(kind)s for %(pair)s on %(date)s",
                kind=in_sentence(details.kind),
                pair=pair.label,
                date=details.starts_on,
            ),
            pair_id=pair.id,
        )
    return visit


def update_visit(
    actor: User, visit: Visit, details: VisitDetails, expected_version: int | None, today: date
) -> Visit:
    """Change a planned or confirmed visit; moved into the past, it is recorded as held."""
    check_version(visit, expected_version)
    if visit.status not in EDITABLE:
        raise RuleViolation(
            _("A %(status)s visit can no longer be changed.", status=visit.status.label.lower())
        )
    moved = details.starts_on != visit.starts_on
    _refuse_problems(
        (_when_problems(visit.pair, details, today) if moved or details.already_held else [])
        + _detail_problems(visit.pair, details)
    )
    _apply(visit, visit.pair, details)
    touch(visit)
    record(
        actor,
        "visit.updated",
        visit,
        N_("Updated the visit of %(pair)s", pair=visit.pair.label),
        pair_id=visit.pair_id,
    )
    if details.already_held:
        _record_afterwards(actor, visit, today)
    return visit


def _when_problems(pair: Pair, details: VisitDetails, today: date) -> list[tuple[str, Any]]:
    """Refuse only what cannot be: a visit before its programme began, a visit recorded as held
    before it took place; a past date for a visit to come asks whether it took place."""
    problems: list[tuple[str, Any]] = []
    begun = pair.theme.programme.period_start
    if begun is not None and details.starts_on < begun:
        problems.append(
            (
                "starts_on",
                _(
                    "The programme began on %(date)s: a visit of this pair cannot be earlier.",
                    date=long_date(begun),
                ),
            )
        )
    if details.already_held and details.starts_on > today:
        problems.append(
            ("already_held", _("A visit that has not started yet cannot be recorded as held."))
        )
    if not details.already_held and details.starts_on < today:
        problems.append(
            (
                "starts_on",
                _(
                    "This date is in the past. If the visit has already taken place, tick "
                    "“It has already taken place” to record it as held; otherwise choose a "
                    "later date."
                ),
            )
        )
    return problems


def _record_afterwards(actor: User, visit: Visit, today: date) -> None:
    """Mark a visit entered after it took place as held; its report is due from today."""
    visit.status, visit.held_at, visit.recorded_on = VisitStatus.HELD, utcnow(), today
    record(
        actor,
        "visit.recorded_afterwards",
        visit,
        N_(
            "Recorded the %(kind)s of %(pair)s on %(date)s as held, afterwards",
            kind=in_sentence(visit.kind),
            pair=visit.pair.label,
            date=visit.starts_on,
        ),
        pair_id=visit.pair_id,
    )


def change_visit_status(
    actor: User, visit: Visit, status: VisitStatus, today: date, reason: str = ""
) -> None:
    """Confirm, mark as held, or cancel a visit."""
    check_transition(MANUAL_TRANSITIONS, visit.status, status)
    if status is VisitStatus.HELD and visit.starts_on > today:
        raise RuleViolation(_("A visit cannot be marked as held before it starts."), "status")
    previous, visit.status = visit.status, status
    if status is VisitStatus.HELD:
        visit.held_at = utcnow()
    if status is VisitStatus.CANCELLED:
        visit.cancellation_reason = reason.strip()
    record(
        actor,
        "visit.status_changed",
        visit,
        N_(
            "Visit of %(pair)s on %(date)s: %(previous)s → %(status)s",
            pair=visit.pair.label,
            date=visit.starts_on,
            previous=previous,
            status=status,
        ),
        pair_id=visit.pair_id,
        previous=previous,
        status=status,
    )


def _detail_problems(pair: Pair, details: VisitDetails) -> list[tuple[str, Any]]:
    """What is wrong with the visit's days, times and participants, all of it at once."""
    problems: list[tuple[str, Any]] = []
    if details.ends_on < details.starts_on:
        problems.append(("ends_on", _("The visit cannot end before it starts.")))
    if details.ends_at_time and not details.starts_at_time:
        problems.append(("starts_at_time", _("Give a start time as well as an end time.")))
    if (
        details.starts_at_time
        and details.ends_at_time
        and details.starts_on == details.ends_on
        and details.ends_at_time <= details.starts_at_time
    ):
        problems.append(("ends_at_time", _("The visit cannot end before it starts.")))
    eligible = {user.id for user in eligible_participants(pair)}
    if set(details.participant_ids) - eligible:
        problems.append(
            (
                "participant_ids",
                _("Participants must be members of the two cities or of the expert partner."),
            )
        )
    return problems


def _refuse_problems(problems: list[tuple[str, Any]]) -> None:
    if problems:
        field, message = problems[0]
        raise RuleViolation(message, field, problems)


def _apply(visit: Visit, pair: Pair, details: VisitDetails) -> None:
    eligible = {user.id: user for user in eligible_participants(pair)}
    visit.kind = details.kind
    visit.host_city = host_city(pair, details.kind)
    visit.starts_on, visit.ends_on = details.starts_on, details.ends_on
    visit.starts_at_time, visit.ends_at_time = details.starts_at_time, details.ends_at_time
    visit.location, visit.agenda = details.location.strip(), details.agenda.strip()
    _set_participants(
        visit, [eligible[user_id] for user_id in details.participant_ids], details.guests
    )


def _set_participants(visit: Visit, users: list[User], guests: list[tuple[str, str]]) -> None:
    kept = {p.user_id: p for p in visit.participants if p.user_id is not None}
    visit.participants = [kept.get(user.id) or VisitParticipant(user=user) for user in users] + [
        VisitParticipant(guest_name=name[:200], guest_affiliation=(affiliation[:200] or None))
        for name, affiliation in guests
    ]


def set_focus(actor: User, visit: Visit, factors: list[Factor]) -> None:
    """Choose the benchmark factors the visit's briefing concentrates on."""
    visit.focus_factors = list(factors)
    record(
        actor,
        "visit.focus_set",
        visit,
        N_(
            "Set %(count)d factors in focus for the visit of %(pair)s",
            count=len(factors),
            pair=visit.pair.label,
        ),
        pair_id=visit.pair_id,
    )
