"""Loading an object and checking the current user's right to it, in one step.

Each `get_<object>_or_404(id, need)` stops the request with 404 when the object does not exist
or is outside the user's scope (so its existence is not revealed), and with 403 when the user
sees it but lacks the need. Views call one of these first and never decide a permission
themselves.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from tracker.assessments.models import Assessment
from tracker.assessments.queries import assessment_pairs
from tracker.auth.models import User, UserSession
from tracker.auth.policy.rules import Need, can
from tracker.auth.policy.scopes import deliverable_scope
from tracker.bin.models import KIND_OF_TABLE, BinEntry, BinKind
from tracker.bin.queries import bin_entry_of
from tracker.catalogue.models import ContextFactor, Factor, Programme, Theme
from tracker.deliverables.models import Deliverable, DeliverableFile
from tracker.extensions import db
from tracker.files.models import Attachment
from tracker.notifications.models import Notification
from tracker.organisations.models import Organisation
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan, Endorsement, PlanComment, ProgressUpdate
from tracker.plans.queries import plan_for_pair
from tracker.programmes.models import DeliverableTemplate
from tracker.visits.models import FollowUp, Recommendation, Visit, VisitReport


def authorize(need: Need, subject: Any = None, *, visible: bool = True) -> None:
    """Stop the request unless the current user has `need` on the subject (the network when
    None): 404 when the subject is not visible to them, else 403."""
    if not visible:
        abort(404)
    if not can(current_user, need, subject):
        abort(403)


def authorize_on_pair(subject: Any, *needs: Need) -> None:
    """Stop the request unless the current user has one of `needs` on a pair or an object
    reached through one: 404 outside the pair's people, else 403."""
    if not can(current_user, Need.VIEW, subject):
        abort(404)
    if not any(can(current_user, need, subject) for need in needs):
        abort(403)


def _found(obj: Any) -> Any:
    if obj is None:
        abort(404)
    return obj


def _one(query: sa.Select[Any], in_bin: tuple[BinKind, int] | None = None) -> Any:
    """The one object the query finds; when there is none, 410 if it is in the bin (and the
    user may see what it belonged to), else 404."""
    found = db.session.execute(query).unique().scalar_one_or_none()
    if found is None and in_bin is not None:
        entry = bin_entry_of(*in_bin)
        if entry is not None and _may_see_pair_of(entry):
            abort(410)
    return _found(found)


def _may_see_pair_of(entry: BinEntry) -> bool:
    pair = db.session.get(Pair, entry.pair_id) if entry.pair_id else None
    return can(current_user, Need.VIEW, pair) if pair else can(current_user, Need.ADMINISTER)


def get_pair_or_404(pair_id: int, need: Need = Need.VIEW) -> Pair:
    """A pair, with its theme and cities."""
    pair = _one(
        sa.select(Pair).where(Pair.id == pair_id).options(*with_pair()),
        in_bin=(BinKind.PAIR, pair_id),
    )
    authorize_on_pair(pair, need)
    return pair


def get_shared_pair_or_404(pair_id: int, need: Need = Need.READ_SHARED) -> Pair:
    """A pair as shared within its programme, with its theme and cities: 404 for anyone who
    may not read it (its existence is not revealed beyond its readers)."""
    pair = _one(sa.select(Pair).where(Pair.id == pair_id).options(*with_pair()))
    if not can(current_user, need, pair):
        abort(404)
    return pair


def get_shared_visit_or_404(visit_id: int, need: Need = Need.READ_SHARED) -> Visit:
    """A visit as shared within its programme, with its pair and report (404 as above)."""
    visit = _one(
        sa.select(Visit)
        .where(Visit.id == visit_id)
        .options(*with_pair(Visit.pair), joinedload(Visit.host_city))
    )
    if not can(current_user, need, visit):
        abort(404)
    return visit


def get_visit_or_404(visit_id: int, need: Need = Need.VIEW) -> Visit:
    """A visit, with its pair."""
    visit = _one(
        sa.select(Visit).where(Visit.id == visit_id).options(*with_pair(Visit.pair)),
        in_bin=(BinKind.VISIT, visit_id),
    )
    authorize_on_pair(visit, need)
    return visit


def get_plan_or_404(pair_id: int, *needs: Need) -> ActionPlan:
    """The action plan of a pair (404 while the pair has none), with its pair, actions and
    endorsements; the user needs one of `needs` (to see it, when none is given)."""
    pair = _one(sa.select(Pair).where(Pair.id == pair_id).options(*with_pair()))
    authorize_on_pair(pair, *(needs or (Need.VIEW,)))
    return _found(plan_for_pair(pair))


def get_action_or_404(action_id: int, need: Need = Need.VIEW) -> Action:
    """An action, with its plan and pair."""
    action = _one(
        sa.select(Action)
        .where(Action.id == action_id)
        .options(joinedload(Action.plan), *with_pair(Action.plan, ActionPlan.pair)),
        in_bin=(BinKind.ACTION, action_id),
    )
    authorize_on_pair(action, need)
    return action


def get_recommendation_or_404(recommendation_id: int, need: Need = Need.VIEW) -> Recommendation:
    """A recommendation of a visit report, with its report, visit and pair."""
    return _reached_through_pair(
        Recommendation,
        recommendation_id,
        need,
        joinedload(Recommendation.report).joinedload(VisitReport.visit),
        *with_pair(Recommendation.report, VisitReport.visit, Visit.pair),
    )


def get_follow_up_or_404(follow_up_id: int, need: Need = Need.VIEW) -> FollowUp:
    """A follow-up of a visit report, with its report, visit and pair."""
    return _reached_through_pair(
        FollowUp,
        follow_up_id,
        need,
        joinedload(FollowUp.report).joinedload(VisitReport.visit),
        *with_pair(FollowUp.report, VisitReport.visit, Visit.pair),
    )


def get_comment_or_404(comment_id: int, need: Need = Need.VIEW) -> PlanComment:
    """A comment on a plan, with its plan and pair."""
    return _reached_through_pair(
        PlanComment,
        comment_id,
        need,
        joinedload(PlanComment.plan),
        *with_pair(PlanComment.plan, ActionPlan.pair),
    )


def get_endorsement_or_404(endorsement_id: int, need: Need = Need.VIEW) -> Endorsement:
    """An endorsement record of a plan, with its plan and pair."""
    return _reached_through_pair(
        Endorsement,
        endorsement_id,
        need,
        joinedload(Endorsement.plan),
        *with_pair(Endorsement.plan, ActionPlan.pair),
    )


def get_progress_update_or_404(update_id: int, need: Need = Need.VIEW) -> ProgressUpdate:
    """A progress update, with its action, plan and pair."""
    return _reached_through_pair(
        ProgressUpdate,
        update_id,
        need,
        joinedload(ProgressUpdate.action).joinedload(Action.plan),
        *with_pair(ProgressUpdate.action, Action.plan, ActionPlan.pair),
    )


def get_attachment_or_404(attachment_id: int, need: Need = Need.VIEW) -> Attachment:
    """A file attached to a progress update or a visit report, with what it belongs to."""
    attachment = _found(db.session.get(Attachment, attachment_id))
    authorize_on_pair(attachment, need)
    return attachment


def get_bin_entry_or_404(entry_id: int, need: Need = Need.RESTORE_FROM_BIN) -> BinEntry:
    """An entry of the bin, for those who restore."""
    authorize(need)
    return _found(db.session.get(BinEntry, entry_id))


def _reached_through_pair(model: type, object_id: int, need: Need, *options: LoaderOption) -> Any:
    found = _one(
        sa.select(model).where(model.id == object_id).options(*options),
        in_bin=(KIND_OF_TABLE[model.__tablename__], object_id),
    )
    authorize_on_pair(found, need)
    return found


def get_assessment_or_404(assessment_id: int, need: Need = Need.VIEW) -> tuple[Assessment, Pair]:
    """A self-assessment round and the pair the user sees it through.

    A round belongs to a city and a theme; it is in scope through any pair of that theme the
    city is in (usually one), the implementing city's pair first.
    """
    assessment = _one(
        sa.select(Assessment)
        .where(Assessment.id == assessment_id)
        .options(
            joinedload(Assessment.city),
            joinedload(Assessment.theme).joinedload(Theme.programme),
            joinedload(Assessment.completed_by),
        )
    )
    pairs = [pair for pair in assessment_pairs(assessment) if can(current_user, Need.VIEW, pair)]
    if not pairs:
        abort(404)
    if not can(current_user, need, assessment, pairs=pairs):
        abort(403)
    return assessment, pairs[0]


def get_deliverable_or_404(deliverable_id: int, need: Need = Need.VIEW) -> Deliverable:
    """A deliverable the user may see (see `deliverable_scope`), with its programme, theme,
    responsible organisation and pair."""
    deliverable = _one(
        sa.select(Deliverable)
        .where(Deliverable.id == deliverable_id, deliverable_scope(current_user))
        .options(
            joinedload(Deliverable.programme),
            joinedload(Deliverable.theme),
            joinedload(Deliverable.responsible_organisation),
            *with_pair(Deliverable.pair),
        ),
        in_bin=(BinKind.DELIVERABLE, deliverable_id),
    )
    if need is not Need.VIEW:
        authorize(need, deliverable)
    return deliverable


def get_file_or_404(file_id: int, need: Need = Need.VIEW) -> DeliverableFile:
    """A file of a deliverable the user may see."""
    stored = _found(db.session.get(DeliverableFile, file_id))
    get_deliverable_or_404(stored.deliverable_id, need)
    return stored


def get_notification_or_404(notification_id: int) -> Notification:
    """One of the current user's own notifications (anyone else's is not found)."""
    notification = _found(db.session.get(Notification, notification_id))
    if not can(current_user, Need.READ_NOTIFICATION, notification):
        abort(404)
    return notification


def get_session_or_404(session_id: int, need: Need = Need.END_SESSION) -> UserSession:
    """One of the current user's own sign-in sessions (anyone else's is not found)."""
    found = _found(db.session.get(UserSession, session_id))
    if not can(current_user, need, found):
        abort(404)
    return found


def get_user_or_404(user_id: int, need: Need = Need.ADMINISTER) -> User:
    """A user account, for the people who administer accounts."""
    authorize(need)
    return _found(db.session.get(User, user_id))


def get_organisation_or_404(organisation_id: int, need: Need = Need.ADMINISTER) -> Organisation:
    """An organisation, for the people who administer them."""
    authorize(need)
    return _found(db.session.get(Organisation, organisation_id))


def get_programme_or_404(
    key: str, need: Need = Need.USE_TRACKER, *options: LoaderOption
) -> Programme:
    """A programme by its key, with the loads the page asks for."""
    authorize(need)
    return _one(sa.select(Programme).where(Programme.key == key).options(*options))


def programme_with_benchmarks() -> list[LoaderOption]:
    """What the programme page of the benchmark browser shows: themes, factors, context."""
    return [
        selectinload(Programme.themes).selectinload(Theme.factors),
        selectinload(Programme.themes).joinedload(Theme.expert_organisation),
        selectinload(Programme.context_factors),
    ]


def get_theme_to_edit_or_404(programme_key: str, code: str) -> Theme:
    """A theme whose benchmark the user writes: coordinators, and the staff of the expert
    organisation facilitating it (others see the theme, so they get 403)."""
    return get_theme_for_or_404(programme_key, code, Need.EDIT_BENCHMARK)


def get_theme_for_or_404(programme_key: str, code: str, need: Need) -> Theme:
    """A theme the need is checked on (the theme's experts relate to it): others see the
    theme, so they get 403."""
    theme = _one(
        sa.select(Theme)
        .join(Theme.programme)
        .where(Programme.key == programme_key, Theme.code == code)
        .options(joinedload(Theme.programme))
    )
    authorize(need, theme)
    return theme


def get_theme_or_404(programme_key: str, code: str, need: Need = Need.USE_TRACKER) -> Theme:
    """A theme by programme key and code, with its benchmark (factors, questions, examples)."""
    authorize(need)
    return _one(
        sa.select(Theme)
        .join(Theme.programme)
        .where(Programme.key == programme_key, Theme.code == code)
        .options(
            joinedload(Theme.programme),
            joinedload(Theme.expert_organisation),
            selectinload(Theme.factors).selectinload(Factor.guide_questions),
            selectinload(Theme.factors).selectinload(Factor.examples),
        )
    )


def get_context_factor_or_404(
    programme_key: str, factor_id: int, need: Need = Need.SET_UP_PROGRAMMES
) -> ContextFactor:
    """A context factor of the programme with that key."""
    authorize(need)
    return _one(
        sa.select(ContextFactor)
        .join(ContextFactor.programme)
        .where(Programme.key == programme_key, ContextFactor.id == factor_id)
        .options(joinedload(ContextFactor.programme))
    )


def get_deliverable_template_or_404(
    programme_key: str, template_id: int, need: Need = Need.SET_UP_PROGRAMMES
) -> DeliverableTemplate:
    """A deliverable template of the programme with that key."""
    authorize(need)
    return _one(
        sa.select(DeliverableTemplate)
        .join(DeliverableTemplate.programme)
        .where(Programme.key == programme_key, DeliverableTemplate.id == template_id)
        .options(joinedload(DeliverableTemplate.programme))
    )
