"""The plan page's rows (its table of actions, its recommendations), their words written once
in Python: a hundred rows of Jinja loops, filters and badge calls took a third of the page's
time, much of it writing the same few badges and words again on every row."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.dates import long_date
from tracker.numbers import percent
from tracker.plans.models import Action, ActionStatus
from tracker.templating import status_badge
from tracker.visits.models import Priority


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: int
    title: str
    from_recommendation: bool
    factors: list[str]  # "3. Title", in the factors' order
    owner: str
    ends: str
    status: Markup
    late: bool
    progress: str


def action_rows(
    actions: list[Action], factors: dict[int, list[tuple[int, str]]], late: set[int]
) -> list[ActionRow]:
    """The table's rows, for actions loaded with their owners, with their factors' positions
    and titles by action id (`factor_names`)."""
    badges: dict[ActionStatus, Markup] = {}  # the same few on every row, each written once
    rows = []
    for action in actions:
        status = action.status
        if status not in badges:
            badges[status] = status_badge(status)
        owner = action.owner_user
        rows.append(
            ActionRow(
                id=action.id,
                title=action.title,
                from_recommendation=bool(action.recommendation_id),
                factors=[f"{position}. {title}" for position, title in factors.get(action.id, ())],
                owner=owner.name if owner else (action.owner_name or "—"),
                ends=long_date(action.ends_on) or "—",
                status=badges[status],
                late=action.id in late,
                progress=percent(action.progress),
            )
        )
    return rows


def priority_words() -> dict[Priority, Markup]:
    """The words "High priority" and the others, once for the list that writes one on every
    recommendation; as the template's `_()` writes them: the sentence as markup, the label
    escaped."""
    sentence = Markup(_("%(priority)s priority"))  # noqa: S704 - the catalogue's words
    return {priority: sentence % {"priority": priority.label} for priority in Priority}
