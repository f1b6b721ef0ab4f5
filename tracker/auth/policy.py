"""The authorization policy: who may do what, written once and used by every view.

A user relates to a pair in one way (coordinator, member of the implementing or the mentor
city, expert of the theme's facilitating organisation, or not at all); each need names the
relations that grant it. Objects outside a user's scope are reported as missing (404), objects
in scope but beyond the user's rights as forbidden (403).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import joinedload

from tracker.auth.models import Role, User
from tracker.catalogue.models import Theme
from tracker.deliverables.models import Deliverable
from tracker.extensions import db, login_manager
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan
from tracker.visits.models import Visit

F = TypeVar("F", bound=Callable[..., Any])


class Relation(enum.Enum):
    COORDINATOR = "coordinator"
    IMPLEMENTING = "implementing"
    MENTOR = "mentor"
    EXPERT = "expert"
    NONE = "none"


class Need(enum.Enum):
    VIEW = "view"
    MANAGE_PAIR = "manage_pair"
    MANAGE_VISITS = "manage_visits"
    REPORT_VISIT = "report_visit"
    ASSESS_OWN_CITY = "assess_own_city"
    EDIT_PLAN = "edit_plan"
    COMMENT_PLAN = "comment_plan"
    ADVANCE_PLAN = "advance_plan"
    POST_PROGRESS = "post_progress"


R = Relation
PAIR_POLICY: dict[Need, frozenset[Relation]] = {
    Need.VIEW: frozenset({R.COORDINATOR, R.IMPLEMENTING, R.MENTOR, R.EXPERT}),
    Need.MANAGE_PAIR: frozenset({R.COORDINATOR}),
    Need.MANAGE_VISITS: frozenset({R.COORDINATOR, R.EXPERT}),
    Need.REPORT_VISIT: frozenset({R.COORDINATOR, R.EXPERT}),
    Need.ASSESS_OWN_CITY: frozenset({R.IMPLEMENTING, R.MENTOR}),
    Need.EDIT_PLAN: frozenset({R.IMPLEMENTING}),
    Need.COMMENT_PLAN: frozenset({R.COORDINATOR, R.IMPLEMENTING, R.MENTOR, R.EXPERT}),
    # Record endorsements, return a plan for changes, start and complete implementation.
    Need.ADVANCE_PLAN: frozenset({R.COORDINATOR, R.IMPLEMENTING}),
    Need.POST_PROGRESS: frozenset({R.IMPLEMENTING}),
}


def relation_to_pair(user: Any, pair: Pair) -> Relation:
    """How the user stands towards the pair."""
    if not getattr(user, "is_authenticated", False):
        return Relation.NONE
    if user.role is Role.COORDINATOR:
        return Relation.COORDINATOR
    if user.role is Role.CITY:
        if user.organisation_id == pair.implementing_city_id:
            return Relation.IMPLEMENTING
        if user.organisation_id == pair.mentor_city_id:
            return Relation.MENTOR
    if user.role is Role.EXPERT and user.organisation_id == pair.theme.expert_organisation_id:
        return Relation.EXPERT
    return Relation.NONE


def can(user: Any, need: Need, pair: Pair) -> bool:
    """Whether the user may do what `need` names on this pair."""
    return relation_to_pair(user, pair) in PAIR_POLICY[need]


def pair_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on Pair that holds for exactly the pairs the user may see."""
    if user.role is Role.COORDINATOR:
        return sa.true()
    if user.role is Role.CITY:
        return sa.or_(
            Pair.mentor_city_id == user.organisation_id,
            Pair.implementing_city_id == user.organisation_id,
        )
    facilitated = sa.select(Theme.id).where(Theme.expert_organisation_id == user.organisation_id)
    return Pair.theme_id.in_(facilitated)


def visible_pairs(user: User) -> sa.Select[tuple[Pair]]:
    """The pairs the user may see, as a query to refine."""
    return sa.select(Pair).where(pair_scope(user))


def ensure(allowed: bool, *, visible: bool = True) -> None:
    """Stop the request unless allowed: 404 when the object is out of scope, else 403."""
    if not visible:
        abort(404)
    if not allowed:
        abort(403)


def require(*needs: Need, pair: Pair) -> None:
    """Stop the request unless the current user has one of `needs` on the pair (404 if the
    pair is out of their scope)."""
    relation = relation_to_pair(current_user, pair)
    ensure(
        any(relation in PAIR_POLICY[need] for need in needs),
        visible=relation in PAIR_POLICY[Need.VIEW],
    )


def _pair_loading(*path: Any) -> list[Any]:
    """Eager loads of a pair's theme and cities, from a pair or along relationships to one."""
    start = None
    for step in path:
        start = start.joinedload(step) if start is not None else joinedload(step)

    def chain(attribute: Any) -> Any:
        return start.joinedload(attribute) if start is not None else joinedload(attribute)

    return [
        chain(Pair.theme).joinedload(Theme.programme),
        chain(Pair.theme).joinedload(Theme.expert_organisation),
        chain(Pair.mentor_city),
        chain(Pair.implementing_city),
    ]


def get_pair_or_404(pair_id: int, need: Need = Need.VIEW) -> Pair:
    """Load a pair the current user has `need` on, or stop with 404/403."""
    pair = db.session.execute(
        sa.select(Pair).where(Pair.id == pair_id).options(*_pair_loading())
    ).scalar_one_or_none()
    if pair is None:
        abort(404)
    require(need, pair=pair)
    return pair


def get_visit_or_404(visit_id: int, need: Need = Need.VIEW) -> Visit:
    """Load a visit whose pair the current user has `need` on, or stop with 404/403."""
    visit = db.session.execute(
        sa.select(Visit).where(Visit.id == visit_id).options(*_pair_loading(Visit.pair))
    ).scalar_one_or_none()
    if visit is None:
        abort(404)
    require(need, pair=visit.pair)
    return visit


def get_action_or_404(action_id: int, need: Need = Need.VIEW) -> Action:
    """Load an action whose pair the current user has `need` on, or stop with 404/403."""
    action = db.session.execute(
        sa.select(Action)
        .where(Action.id == action_id)
        .options(joinedload(Action.plan), *_pair_loading(Action.plan, ActionPlan.pair))
    ).scalar_one_or_none()
    if action is None:
        abort(404)
    require(need, pair=action.plan.pair)
    return action


class DeliverableNeed(enum.Enum):
    VIEW = "view"
    WORK = "work"  # attach files and links, start, submit: the responsible organisation
    REVIEW = "review"  # approve or send back: coordinators


def deliverable_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on Deliverable for the ones the user may see: programme-wide ones, those
    of the pairs and themes they work on, and those their organisation is responsible for."""
    if user.role is Role.COORDINATOR:
        return sa.true()
    if user.role is Role.EXPERT:
        in_my_themes = Deliverable.theme_id.in_(
            sa.select(Theme.id).where(Theme.expert_organisation_id == user.organisation_id)
        )
    else:
        in_my_themes = sa.or_(
            Deliverable.pair_id.in_(visible_pairs(user).with_only_columns(Pair.id)),
            sa.and_(
                Deliverable.pair_id.is_(None),
                Deliverable.theme_id.in_(visible_pairs(user).with_only_columns(Pair.theme_id)),
            ),
        )
    return sa.or_(
        Deliverable.theme_id.is_(None),
        Deliverable.responsible_organisation_id == user.organisation_id,
        in_my_themes,
    )


def can_on_deliverable(user: Any, need: DeliverableNeed, deliverable: Deliverable) -> bool:
    """Whether the user may do what `need` names on an already visible deliverable."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.COORDINATOR or need is DeliverableNeed.VIEW:
        return True
    return need is DeliverableNeed.WORK and (
        user.organisation_id == deliverable.responsible_organisation_id
    )


def get_deliverable_or_404(
    deliverable_id: int, need: DeliverableNeed = DeliverableNeed.VIEW
) -> Deliverable:
    """Load a deliverable the current user may see and has `need` on, or stop with 404/403."""
    deliverable = db.session.execute(
        sa.select(Deliverable)
        .where(Deliverable.id == deliverable_id, deliverable_scope(current_user))
        .options(
            joinedload(Deliverable.programme),
            joinedload(Deliverable.theme),
            joinedload(Deliverable.responsible_organisation),
            *_pair_loading(Deliverable.pair),
        )
    ).scalar_one_or_none()
    if deliverable is None:
        abort(404)
    ensure(can_on_deliverable(current_user, need, deliverable))
    return deliverable


def require_coordinator() -> ResponseReturnValue | None:
    """A blueprint guard: the area is for coordinators only."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role is not Role.COORDINATOR:
        abort(403)
    return None


def require_sign_in_unless_public() -> ResponseReturnValue | None:
    """The application-wide guard: every page needs a signed-in user unless marked public."""
    if current_user.is_authenticated or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False) or request.endpoint.endswith("static"):
        return None
    return login_manager.unauthorized()


def public(view: F) -> F:
    """Mark a view as reachable without signing in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view
