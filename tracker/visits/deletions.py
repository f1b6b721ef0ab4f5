"""Correcting visits: deleting a visit, a recommendation or a follow-up made by mistake (to the
bin), never one a plan's action came from."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.bin.models import BinKind
from tracker.bin.service import Deletion
from tracker.dates import long_date
from tracker.extensions import db
from tracker.plans.models import Action
from tracker.visits.models import FollowUp, Recommendation, Visit
from tracker.wording import one_line


def visit_deletion(visit: Visit) -> Deletion:
    """Deleting a visit takes its participants and its report (observations, recommendations,
    follow-ups) with it; refused while one of its recommendations is a plan's action."""
    report = visit.report
    went = []
    refusal = None
    if report is not None:
        recommendations = [item.id for item in report.recommendations]
        taken_up = _actions_from(recommendations)
        went.append(
            ngettext(
                "a report with %(num)d recommendation",
                "a report with %(num)d recommendations",
                len(recommendations),
            )
            + (
                ngettext(
                    ", %(num)d of them taken up as an action",
                    ", %(num)d of them taken up as actions",
                    len(taken_up),
                )
                if taken_up
                else ""
            )
        )
        if report.follow_ups:
            went.append(ngettext("%(num)d follow-up", "%(num)d follow-ups", len(report.follow_ups)))
        refusal = _refusal_for(taken_up)
    return Deletion(
        BinKind.VISIT,
        visit,
        _(
            "%(kind)s of %(pair)s on %(date)s",
            kind=visit.kind.label,
            pair=visit.pair.label,
            date=long_date(visit.starts_on),
        ),
        visit.pair_id,
        went,
        refusal=refusal,
    )


def recommendation_deletion(recommendation: Recommendation) -> Deletion:
    """Deleting one recommendation of a report; refused while it is a plan's action."""
    visit = recommendation.report.visit
    return Deletion(
        BinKind.RECOMMENDATION,
        recommendation,
        _(
            "A recommendation of the visit of %(pair)s on %(date)s: “%(start)s”",
            pair=visit.pair.label,
            date=long_date(visit.starts_on),
            start=one_line(recommendation.text, 60),
        ),
        visit.pair_id,
        refusal=_refusal_for(_actions_from([recommendation.id])),
    )


def follow_up_deletion(follow_up: FollowUp) -> Deletion:
    """Deleting one follow-up of a report."""
    visit = follow_up.report.visit
    return Deletion(
        BinKind.FOLLOW_UP,
        follow_up,
        _(
            "A follow-up of the visit of %(pair)s: “%(start)s”",
            pair=visit.pair.label,
            start=one_line(follow_up.text, 60),
        ),
        visit.pair_id,
    )


def _actions_from(recommendation_ids: list[int]) -> list[str]:
    """The titles of the actions that took up these recommendations."""
    if not recommendation_ids:
        return []
    return list(
        db.session.execute(
            sa.select(Action.title)
            .where(Action.recommendation_id.in_(recommendation_ids))
            .order_by(Action.id)
        ).scalars()
    )


def _refusal_for(action_titles: list[str]) -> str | None:
    if not action_titles:
        return None
    return ngettext(
        "A recommendation of it became the action '%(titles)s': delete that action first.",
        "Recommendations of it became the actions '%(titles)s': delete those actions first.",
        len(action_titles),
        titles="', '".join(action_titles),
    )
