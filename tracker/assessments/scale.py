"""The rating scale of a self-assessment: one label per level, written once and reused."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from tracker.assessments.models import RATING_MAX, RATING_MIN

LEVEL_LABELS = {
    0: _l("Not in place"),
    1: _l("Being discussed or planned"),
    2: _l("Partly in place"),
    3: _l("Largely in place"),
    4: _l("Fully in place"),
}


def is_on_scale(level: int | None) -> bool:
    """Whether a level is one of the scale's."""
    return level is not None and RATING_MIN <= level <= RATING_MAX


def level_choices() -> list[SelectChoice]:
    """Options for choosing a level: its number and its label."""
    return [SelectChoice(level, f"{level} — {label}") for level, label in LEVEL_LABELS.items()]
