"""The email preferences form: one switch per kind of notification, and the frequency."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField

from tracker.auth.models import EmailFrequency
from tracker.forms import enum_choices
from tracker.notifications.kinds import KINDS


class PreferencesForm(FlaskForm):
    frequency = RadioField(_l("How often to send email"), choices=enum_choices(EmailFrequency))


def preferences_form(user: Any, opted_out: set[str]) -> PreferencesForm:
    fields = {f"kind_{kind}": BooleanField(label) for kind, label in KINDS.items()}
    form_class = type("KindPreferencesForm", (PreferencesForm,), fields)
    # Submitted values take precedence over these stored ones.
    return form_class(
        data={
            "frequency": user.email_frequency.value,
            **{f"kind_{kind}": kind not in opted_out for kind in KINDS},
        }
    )
