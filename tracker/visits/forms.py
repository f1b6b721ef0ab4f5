"""Forms for planning visits, changing their status, and writing their reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.forms import CheckboxListField, db_int, enum_choices, optional_int
from tracker.visits.models import ObservationKind, Priority, VisitKind, VisitStatus

BLANK_ROWS = 3


class VisitForm(FlaskForm):
    kind = RadioField(_l("Kind of visit"), choices=enum_choices(VisitKind), default="mentoring")
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(
        _l("Last day"), validators=[Optional()], description=_l("Leave empty for a one-day visit.")
    )
    already_held = BooleanField(
        _l("It has already taken place"),
        description=_l(
            "Records the visit as held, as it happened; its report can be written straight away."
        ),
    )
    starts_at_time = TimeField(
        _l("Starts at"),
        validators=[Optional()],
        description=_l("Local time at the host city. Leave empty for an all-day event."),
    )
    ends_at_time = TimeField(_l("Ends at"), validators=[Optional()])
    location = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=300)],
        description=_l("Address or meeting link."),
    )
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=20000)])
    participant_ids = CheckboxListField(_l("Participants"), coerce=db_int, validate_choice=False)
    guests = TextAreaField(
        _l("External guests"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line: name, then a comma and their organisation."),
    )
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class VisitStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=enum_choices(VisitStatus))
    reason = TextAreaField(
        _l("Reason (for a cancellation)"), validators=[Optional(), Length(max=2000)]
    )


class FocusForm(FlaskForm):
    factor_ids = CheckboxListField(_l("Factors in focus"), coerce=int)


class ObservationEntry(Form):
    row_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    factor_id = SelectField(_l("Factor"), coerce=optional_int, validate_choice=False)
    kind = SelectField(_l("Strength or gap"), choices=enum_choices(ObservationKind))
    text = TextAreaField(_l("Observation"), validators=[Optional(), Length(max=5000)])
    remove = BooleanField(_l("Remove"))


class RecommendationEntry(Form):
    row_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    factor_id = SelectField(_l("Factor"), coerce=optional_int, validate_choice=False)
    priority = SelectField(_l("Priority"), choices=enum_choices(Priority), default="medium")
    text = TextAreaField(_l("Recommendation"), validators=[Optional(), Length(max=5000)])
    remove = BooleanField(_l("Remove"))


class FollowUpEntry(Form):
    row_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    text = TextAreaField(_l("Follow-up"), validators=[Optional(), Length(max=2000)])
    owner = SelectField(_l("Owner"), validate_choice=False)
    due_on = DateField(_l("Due on"), validators=[Optional()])
    done = BooleanField(lazy_pgettext("follow-up", "Done"))
    remove = BooleanField(_l("Remove"))


class ReportForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(), Length(max=20000)],
        description=_l("What happened at the visit and what the mentor city and the expert saw."),
    )
    observations = FieldList(FormField(ObservationEntry), min_entries=0)
    recommendations = FieldList(FormField(RecommendationEntry), min_entries=0)
    follow_ups = FieldList(FormField(FollowUpEntry), min_entries=0)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])
