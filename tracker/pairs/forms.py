"""Pairing forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.catalogue.queries import ThemeChoice
from tracker.forms import LongSelect, db_int, enum_choices, object_choices
from tracker.organisations.models import Organisation
from tracker.pairs.models import PairStatus


class PairForm(FlaskForm):
    # Choices are checked by the service, which explains what is wrong.
    theme_id = SelectField(_l("Theme"), coerce=db_int, validate_choice=False, widget=LongSelect())
    mentor_city_id = SelectField(
        _l("Mentor city"),
        coerce=db_int,
        validate_choice=False,
        widget=LongSelect(),
        description=_l("The city that already does well on the theme."),
    )
    implementing_city_id = SelectField(
        _l("Implementing city"),
        coerce=db_int,
        validate_choice=False,
        widget=LongSelect(),
        description=_l("The city that wants to change."),
    )
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def __init__(self, themes: list[ThemeChoice], cities: list[Organisation], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_id.choices = [
            SelectChoice(
                theme.id,
                f"{theme.label} — {theme.expert_partner or '—'}",
                optgroup=theme.programme,
            )
            for theme in themes
        ]
        self.mentor_city_id.choices = object_choices(cities)
        self.implementing_city_id.choices = object_choices(cities)


class PairStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=enum_choices(PairStatus))
