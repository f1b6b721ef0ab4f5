"""What a person's calendar feed shows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from tracker.calendars.queries import FeedKind
from tracker.forms import CheckboxListField, enum_choices


class FeedKindsForm(FlaskForm):
    kinds = CheckboxListField(
        _l("What your feed shows"),
        choices=enum_choices(FeedKind),
        description=_l("Dates without a time show as all-day events that keep you free."),
    )
