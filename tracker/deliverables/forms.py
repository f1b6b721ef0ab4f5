"""Forms for the deliverables register."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.deliverables.models import DeliverableKind, DeliverableStatus
from tracker.forms import db_int, enum_choices, optional_int


class DeliverableForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=enum_choices(DeliverableKind))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    theme_id = SelectField(
        _l("Theme"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Leave empty for a deliverable of the whole programme."),
    )
    pair_id = SelectField(
        _l("Pair"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("For a deliverable of one mentoring scheme, such as its action plan."),
    )
    responsible_organisation_id = SelectField(
        _l("Responsible organisation"), coerce=db_int, validate_choice=False
    )
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class DeliverableStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=enum_choices(DeliverableStatus))
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class FileUploadForm(FlaskForm):
    # The size and the kind of file are checked by content in storage.check_upload.
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])
    replaces_id = SelectField(
        _l("Replaces"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("The replaced file is kept as an older version."),
    )


class LinkForm(FlaskForm):
    url = StringField(
        _l("Web address"),
        validators=[DataRequired(_l("Give a web address.")), Length(max=1000)],
        render_kw={"placeholder": "https://", "type": "url"},
    )
    label = StringField(_l("Label"), validators=[Optional(), Length(max=200)])


class DeliverableFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form

    kind = SelectField(_l("Kind"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    organisation = SelectField(
        _l("Responsible organisation"), coerce=optional_int, validate_choice=False
    )
