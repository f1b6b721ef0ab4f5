"""Creating and editing organisations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional

from tracker.forms import enum_choices, timezone_choices
from tracker.organisations.models import OrganisationKind


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=enum_choices(OrganisationKind))
    country = StringField(
        _l("Country"),
        validators=[Optional(), Length(max=100)],
        description=_l("Required for a city."),
    )
    timezone = SelectField(_l("Time zone"), default="Europe/Brussels")
    website = URLField(_l("Website"), validators=[Optional(), URL(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == OrganisationKind.CITY.value and not (self.country.data or "").strip():
            self.country.errors = [*self.country.errors, _l("Give the country of the city.")]
            return False
        return valid
