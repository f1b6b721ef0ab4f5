"""The check-in form: what became of each action, whether the plan is still endorsed, and one
sentence on what changed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.checkins.models import ActionOutcome
from tracker.forms import choices, enum_choices


class ActionAnswer(Form):
    outcome = RadioField(
        _l("What became of it"),
        choices=enum_choices(ActionOutcome),
        validators=[InputRequired(message=_l("Choose continued, finished or stopped."))],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CheckInForm(FlaskForm):
    actions = FieldList(FormField(ActionAnswer), min_entries=0)
    plan_still_endorsed = RadioField(
        _l("Is the action plan still endorsed?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(message=_l("Answer yes or no."))],
    )
    what_changed = StringField(
        _l("What changed since the programme, in one sentence"),
        validators=[DataRequired(message=_l("Write one sentence.")), Length(max=300)],
    )

    def for_actions(self, titles: list[str]) -> CheckInForm:
        """One row per action of the plan, each question named after its action (so the error
        summary says which action is missing an answer)."""
        while len(self.actions) < len(titles):
            self.actions.append_entry()
        while len(self.actions) > len(titles):
            self.actions.pop_entry()
        for entry, title in zip(self.actions, titles, strict=True):
            entry.form.outcome.label.text = title
            entry.form.note.label.text = _l("Note on “%(title)s”", title=title)
        return self
