"""Creating and editing users."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.auth.models import Role
from tracker.auth.passwords import MIN_PASSWORD_LENGTH
from tracker.forms import enum_choices, language_options, object_choices, timezone_choices


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(), Length(max=254)])
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=enum_choices(Role))
    organisation_id = SelectField(
        _l("Organisation"),
        coerce=int,
        description=_l(
            "Coordinators belong to the network, city members to a city, "
            "experts to an expert partner."
        ),
    )
    timezone = SelectField(_l("Time zone"), default="Europe/Brussels")
    language = SelectField(
        _l("Language"),
        default="",
        description=_l(
            "The language of the person's pages and emails; they can change it themselves."
        ),
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
        description=_l(
            "Optional. At least %(count)d characters, hard to guess, and not built on the "
            "person's name or email address; they can change it later.",
            count=MIN_PASSWORD_LENGTH,
        ),
    )
    active = BooleanField(_l("Account active"), default=True)

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = object_choices(organisations)
        self.timezone.choices = timezone_choices()
        self.language.choices = language_options()
        if self.language.data is None:  # an account without one follows its browser
            self.language.data = ""


class TableUploadForm(FlaskForm):
    file = FileField(
        _l("Filled-in file (.xlsx or .csv)"),
        validators=[
            FileRequired(_l("Choose the file to upload.")),
            FileAllowed(
                ["xlsx", "csv"], _l("Upload an .xlsx or .csv file made from the template.")
            ),
        ],
    )
