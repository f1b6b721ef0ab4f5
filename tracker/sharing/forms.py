"""The peer-reading switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker.forms import choices


class PeerReadingForm(FlaskForm):
    peer_reading = RadioField(
        _l("Peer reading"),
        choices=choices(
            [
                ("on", _l("On: the cities read each other's plans, reports and results")),
                ("off", _l("Off: each pair's work is seen by its own people only")),
            ]
        ),
        validators=[InputRequired(message=_l("Choose on or off."))],
    )
