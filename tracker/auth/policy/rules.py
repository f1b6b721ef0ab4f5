"""Who may do what: how a user relates to an object, and which relations grant each need.

A user relates to a pair in one way (coordinator, member of the implementing or the mentor
city, expert of the theme's facilitating organisation, or not at all). Visits, reports, plans
and actions are reached through their pair; a self-assessment round through the pairs of its
city and theme, where the members of the assessed city are the ones who answer it; a
deliverable through the organisation responsible for it; a notification belongs to its
addressee; the network's set-up (users, organisations, the catalogue, pairing, the register)
is the coordinators'. While a programme has peer reading on, the members of every city paired
in it also read the other pairs' shared pages ("same programme, reading": Relation.PEER, only
for Need.READ_SHARED). Each need below names the relations that grant it, and nothing else in
the tracker decides a permission.
"""

from __future__ import annotations

import enum
from typing import Any

from tracker.assessments.models import Assessment
from tracker.auth.models import Role, UserSession
from tracker.auth.policy.scopes import peer_reading_programmes
from tracker.catalogue.models import Theme
from tracker.deliverables.models import REVIEW_MOVES, Deliverable, DeliverableStatus
from tracker.extensions import db
from tracker.files.models import Attachment
from tracker.notifications.models import Notification
from tracker.pairs.models import Pair
from tracker.plans.models import Action, Endorsement, PlanComment, PlanStatus, ProgressUpdate
from tracker.visits.models import FollowUp, Recommendation, VisitReport


class Relation(enum.Enum):
    COORDINATOR = "coordinator"
    IMPLEMENTING = "implementing"  # a member of the pair's implementing city
    MENTOR = "mentor"  # a member of the pair's mentor city
    EXPERT = "expert"  # staff of the organisation that facilitates the pair's theme
    ASSESSED_CITY = "assessed_city"  # a member of the city a self-assessment round rates
    RESPONSIBLE = "responsible"  # a member of the organisation that owes a deliverable
    OWNER = "owner"  # the person a notification is for, or whose sign-in session it is
    AUTHOR = "author"  # the person who wrote a comment or posted a progress update
    # same programme, reading: a member of a city paired in the pair's programme, while the
    # programme shares its pairs' work (peer reading); looked up only for the needs it grants
    PEER = "peer"
    SIGNED_IN = "signed_in"  # anyone signed in, whatever else they are


class Need(enum.Enum):
    # on a pair and what hangs from it (visits, reports, plan, actions, infographic)
    VIEW = "view"
    MANAGE_PAIR = "manage_pair"
    MANAGE_VISITS = "manage_visits"
    REPORT_VISIT = "report_visit"
    ASSESS_OWN_CITY = "assess_own_city"
    SET_TARGETS = "set_targets"
    EDIT_PLAN = "edit_plan"
    COMMENT_PLAN = "comment_plan"
    ADVANCE_PLAN = "advance_plan"  # endorsements, sending back, implementation
    POST_PROGRESS = "post_progress"
    CORRECT_OWN_WORDS = "correct_own_words"  # delete one's comment, one's progress update
    CORRECT_ENDORSEMENT = "correct_endorsement"  # delete an endorsement recorded by mistake
    READ_SHARED = "read_shared"  # the read-only pages of a pair shared within its programme
    ANSWER_CHECK_IN = "answer_check_in"  # months after the pair completed
    # on a self-assessment round
    ANSWER_ROUND = "answer_round"
    REOPEN_ROUND = "reopen_round"
    # on a deliverable
    WORK_ON_DELIVERABLE = "work_on_deliverable"  # files, links, start, submit
    REVIEW_DELIVERABLE = "review_deliverable"  # approve, send back
    EDIT_DELIVERABLE = "edit_deliverable"  # what is owed, by whom, by when
    # on a notification
    READ_NOTIFICATION = "read_notification"
    # on a sign-in session
    END_SESSION = "end_session"
    # across the network
    USE_TRACKER = "use_tracker"  # every signed-in page that is about no one object
    ADMINISTER = "administer"  # users, organisations, audit log, outbox, scheduled jobs
    PAIR_CITIES = "pair_cities"
    LOAD_CATALOGUE = "load_catalogue"
    REGISTER_DELIVERABLES = "register_deliverables"
    READ_PROGRAMME_REPORT = "read_programme_report"
    RESTORE_FROM_BIN = "restore_from_bin"
    SET_UP_PROGRAMMES = "set_up_programmes"  # programmes, themes, context, deliverable templates
    # on a theme
    EDIT_BENCHMARK = "edit_benchmark"  # write its draft benchmark and publish it
    SET_PEER_READING = "set_peer_reading"
    COMPARE_CITIES = "compare_cities"  # the benchmark across every city that assessed itself


R = Relation
PAIR_PEOPLE = frozenset({R.COORDINATOR, R.IMPLEMENTING, R.MENTOR, R.EXPERT})
COORDINATORS = frozenset({R.COORDINATOR})

POLICY: dict[Need, frozenset[Relation]] = {
    Need.VIEW: PAIR_PEOPLE,
    Need.MANAGE_PAIR: COORDINATORS,
    Need.MANAGE_VISITS: frozenset({R.COORDINATOR, R.EXPERT}),
    Need.REPORT_VISIT: frozenset({R.COORDINATOR, R.EXPERT}),
    Need.ASSESS_OWN_CITY: frozenset({R.IMPLEMENTING, R.MENTOR}),
    Need.SET_TARGETS: frozenset({R.IMPLEMENTING}),
    Need.EDIT_PLAN: frozenset({R.IMPLEMENTING}),
    Need.COMMENT_PLAN: PAIR_PEOPLE,
    Need.ADVANCE_PLAN: frozenset({R.COORDINATOR, R.IMPLEMENTING}),
    Need.POST_PROGRESS: frozenset({R.IMPLEMENTING}),
    Need.CORRECT_OWN_WORDS: frozenset({R.AUTHOR}),
    Need.CORRECT_ENDORSEMENT: COORDINATORS,
    Need.ANSWER_CHECK_IN: frozenset({R.IMPLEMENTING}),
    Need.ANSWER_ROUND: frozenset({R.ASSESSED_CITY}),
    Need.REOPEN_ROUND: COORDINATORS,
    Need.WORK_ON_DELIVERABLE: frozenset({R.COORDINATOR, R.RESPONSIBLE}),
    Need.REVIEW_DELIVERABLE: COORDINATORS,
    Need.EDIT_DELIVERABLE: COORDINATORS,
    Need.READ_NOTIFICATION: frozenset({R.OWNER}),
    Need.END_SESSION: frozenset({R.OWNER}),
    Need.USE_TRACKER: frozenset({R.SIGNED_IN}),
    Need.ADMINISTER: COORDINATORS,
    Need.PAIR_CITIES: COORDINATORS,
    Need.LOAD_CATALOGUE: COORDINATORS,
    Need.REGISTER_DELIVERABLES: COORDINATORS,
    Need.READ_PROGRAMME_REPORT: COORDINATORS,
    Need.RESTORE_FROM_BIN: COORDINATORS,
    Need.SET_UP_PROGRAMMES: COORDINATORS,
    Need.EDIT_BENCHMARK: frozenset({R.COORDINATOR, R.EXPERT}),
    Need.READ_SHARED: PAIR_PEOPLE | {R.PEER},
    Need.SET_PEER_READING: COORDINATORS,
    Need.COMPARE_CITIES: frozenset({R.COORDINATOR, R.EXPERT}),
}

# Which need each status change of a plan requires: the city submits its plan for review;
# everything after (endorsements, sending back, implementation) is the plan's advancers'.
PLAN_STATUS_NEEDS: dict[PlanStatus, Need] = {
    status: Need.EDIT_PLAN if status is PlanStatus.UNDER_REVIEW else Need.ADVANCE_PLAN
    for status in PlanStatus
}


def deliverable_move_need(current: DeliverableStatus, target: DeliverableStatus) -> Need:
    """The need for moving a deliverable on: reviewing it (approving, sending back) or working
    on it (every other move)."""
    if (current, target) in REVIEW_MOVES:
        return Need.REVIEW_DELIVERABLE
    return Need.WORK_ON_DELIVERABLE


def relations(user: Any, subject: Any = None, *, pairs: list[Pair] | None = None) -> set[Relation]:
    """Every way the user relates to the subject (the network itself when None).

    A self-assessment round is seen through `pairs`, the pairs of its city and theme.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    found = {Relation.SIGNED_IN}
    if user.role is Role.COORDINATOR:
        found.add(Relation.COORDINATOR)
    pair = _pair_of(subject)
    if pair is not None:
        found |= _to_pair(user, pair)
    if isinstance(subject, Assessment):
        for each in pairs or []:
            found |= _to_pair(user, each)
        if user.role is Role.CITY and user.organisation_id == subject.city_id:
            found.add(Relation.ASSESSED_CITY)
    if isinstance(subject, Deliverable) and (
        user.organisation_id == subject.responsible_organisation_id
    ):
        found.add(Relation.RESPONSIBLE)
    if (
        isinstance(subject, Theme)
        and user.role is Role.EXPERT
        and user.organisation_id == subject.expert_organisation_id
    ):
        found.add(Relation.EXPERT)
    if isinstance(subject, Notification | UserSession) and subject.user_id == user.id:
        found.add(Relation.OWNER)
    if isinstance(subject, PlanComment | ProgressUpdate) and subject.author_id == user.id:
        found.add(Relation.AUTHOR)
    return found


# The way from an object to the pair it belongs to; visits, plans and deliverables have `pair`.
PATHS_TO_PAIR: dict[type, tuple[str, ...]] = {
    Action: ("plan", "pair"),
    PlanComment: ("plan", "pair"),
    Endorsement: ("plan", "pair"),
    ProgressUpdate: ("action", "plan", "pair"),
    VisitReport: ("visit", "pair"),
    Recommendation: ("report", "visit", "pair"),
    FollowUp: ("report", "visit", "pair"),
}


def _pair_of(subject: Any) -> Pair | None:
    """The pair an object is reached through (visits, reports, plans, actions, deliverables)."""
    if isinstance(subject, Pair):
        return subject
    if isinstance(subject, Attachment):
        return _pair_of(subject.progress_update or subject.visit_report)
    found = subject
    for step in PATHS_TO_PAIR.get(type(subject), ("pair",)):
        found = getattr(found, step, None)
    return found if isinstance(found, Pair) else None


def _to_pair(user: Any, pair: Pair) -> set[Relation]:
    if user.role is Role.CITY:
        if user.organisation_id == pair.implementing_city_id:
            return {Relation.IMPLEMENTING}
        if user.organisation_id == pair.mentor_city_id:
            return {Relation.MENTOR}
    if user.role is Role.EXPERT and user.organisation_id == pair.theme.expert_organisation_id:
        return {Relation.EXPERT}
    return set()


def can(user: Any, need: Need, subject: Any = None, *, pairs: list[Pair] | None = None) -> bool:
    """Whether the user may do what `need` names on the subject (the network when None)."""
    if not POLICY[need].isdisjoint(relations(user, subject, pairs=pairs)):
        return True
    return Relation.PEER in POLICY[need] and _reads_as_peer(user, subject)


def _reads_as_peer(user: Any, subject: Any) -> bool:
    """Whether the user reads the subject's pair as a peer (Relation.PEER). It asks the
    database, so `relations` leaves it out and `can` asks only for the needs it grants."""
    pair = _pair_of(subject)
    if pair is None or not getattr(user, "is_authenticated", False) or user.role is not Role.CITY:
        return False
    programmes = db.session.execute(peer_reading_programmes(user)).scalars()
    return pair.theme.programme_id in set(programmes)


def allowed(user: Any, needs: dict[Any, Need], subject: Any) -> list[Any]:
    """Of the keys of `needs` (statuses, moves), those whose need the user has on the subject."""
    return [key for key, need in needs.items() if can(user, need, subject)]
