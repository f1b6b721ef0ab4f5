"""Forms for the action plan, its actions, progress, endorsements and comments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.files.forms import files_field
from tracker.forms import CheckboxListField, db_int, enum_choices, optional_int
from tracker.plans.models import ActionStatus, EndorsementLevel, PlanStatus

VERSION = {"widget": HiddenField.widget, "validators": [Optional()]}


class PlanForm(FlaskForm):
    objective = TextAreaField(
        _l("Objective"),
        validators=[Optional(), Length(max=5000)],
        description=_l("What the city wants to have achieved when the plan is carried out."),
    )
    period_start = DateField(_l("Plan starts"), validators=[Optional()])
    period_end = DateField(_l("Plan ends"), validators=[Optional()])
    version = IntegerField(**VERSION)


class ActionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("What will be done"), validators=[Optional(), Length(max=10000)])
    factor_ids = CheckboxListField(
        _l("Benchmark factors it works on"),
        coerce=db_int,
        validate_choice=False,
        description=_l("At least one."),
    )
    owner_user_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    owner_name = StringField(
        _l("Owner, if not a tracker user"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example a department or a partner organisation."),
    )
    partners = TextAreaField(_l("Partners"), validators=[Optional(), Length(max=2000)])
    starts_on = DateField(_l("Starts"), validators=[Optional()])
    ends_on = DateField(_l("Ends"), validators=[Optional()])
    resources = TextAreaField(_l("Resources"), validators=[Optional(), Length(max=2000)])
    indicator = StringField(_l("Indicator"), validators=[Optional(), Length(max=1000)])
    target = StringField(
        lazy_pgettext("target value of an action", "Target"),
        validators=[Optional(), Length(max=1000)],
    )
    example_id = SelectField(
        _l("Inspired by a good-practice example"), coerce=optional_int, validate_choice=False
    )
    recommendation_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    version = IntegerField(**VERSION)


class ProgressForm(FlaskForm):
    status = SelectField(_l("Status"), choices=enum_choices(ActionStatus))
    progress = IntegerField(
        _l("Progress (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)]
    )
    note = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=5000)])
    evidence_url = URLField(
        _l("Evidence link"),
        validators=[Optional(), URL(), Length(max=1000)],
        description=_l("Optional: a document, photo album or web page."),
    )
    files = files_field()


class PlanStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=enum_choices(PlanStatus))


class EndorsementForm(FlaskForm):
    level = SelectField(
        lazy_pgettext("endorsement level", "Level"), choices=enum_choices(EndorsementLevel)
    )
    body = StringField(
        _l("Decision"),
        validators=[DataRequired(), Length(max=300)],
        description=_l('For example "City Council decision 2018/45".'),
    )
    decided_on = DateField(_l("Decided on"), validators=[InputRequired()])
    endorsed_by = StringField(
        _l("Endorsed by"),
        validators=[Optional(), Length(max=200)],
        description=_l("The person or office that signed, if any."),
    )
    document_url = URLField(
        _l("Link to the decision"), validators=[Optional(), URL(), Length(max=1000)]
    )


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    action_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the update withdrawn?"),
        validators=[DataRequired(_l("Say why the update is withdrawn.")), Length(max=2000)],
        description=_l("For example: posted on the wrong action, or the figure was wrong."),
    )


class ProgressUploadForm(FlaskForm):
    file = FileField(
        _l("Filled-in progress sheet (.xlsx)"),
        validators=[
            FileRequired(_l("Choose the progress sheet to upload.")),
            FileAllowed(["xlsx"], _l("Upload the .xlsx sheet downloaded from this page.")),
        ],
    )
