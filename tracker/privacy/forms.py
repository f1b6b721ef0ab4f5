"""The confirmation asked before erasing a person."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )
