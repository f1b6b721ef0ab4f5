"""Programme set-up forms. The rules (unique keys and codes, an expert partner, the period,
colours, months) are checked by the service, which names every problem beside its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.deliverables.models import DeliverableKind
from tracker.forms import add_translations, enum_choices, object_choices, optional_int
from tracker.organisations.models import Organisation
from tracker.programmes.models import PROGRAMME_COLOURS, ResponsibleParty


def _colour(label, description):
    return StringField(
        label,
        validators=[Optional(), Length(max=20)],
        description=description,
        render_kw={
            "placeholder": "#rrggbb",
            "pattern": "#[0-9a-fA-F]{6}",
            "spellcheck": "false",
            "autocomplete": "off",
        },
    )


class ProgrammeForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the programme a name.")), Length(max=200)]
    )
    key = StringField(
        _l("Key"),
        validators=[DataRequired(_l("Give the programme a key.")), Length(max=60)],
        description=_l(
            "Small letters, digits and hyphens, for example cities-grow. Web addresses and "
            "catalogue files find the programme by it: change it only with them."
        ),
        render_kw={
            "pattern": "[a-z0-9]+(-[a-z0-9]+)*",
            "spellcheck": "false",
            "autocomplete": "off",
        },
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=300)])
    period_start = DateField(_l("Starts on"), validators=[Optional()])
    period_end = DateField(_l("Ends on"), validators=[Optional()])
    funder = StringField(_l("Funder"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    primary_colour = _colour(
        _l("Primary colour"), _l("Headings and key figures. Empty: the network's setting.")
    )
    accent_colour = _colour(
        _l("Accent colour"), _l("The latest levels and progress. Empty: the network's setting.")
    )
    highlight_colour = _colour(
        _l("Highlight colour"), _l("Thin highlights. Empty: the network's setting.")
    )

    def colours(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in PROGRAMME_COLOURS}


class ThemeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Give the theme a code.")), Length(max=20)],
        description=_l(
            "Up to 10 letters or digits, unique in the programme, for example D. Catalogue "
            "files find the theme by it."
        ),
        render_kw={"pattern": "[A-Za-z0-9]{1,10}", "spellcheck": "false", "autocomplete": "off"},
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the theme a title.")), Length(max=300)]
    )
    standard = TextAreaField(
        _l("Integrating Cities standard"), validators=[Optional(), Length(max=10000)]
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=10000)])
    expert_organisation_id = SelectField(
        _l("Facilitating expert organisation"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Its staff facilitate the theme's pairs and visits."),
    )

    def __init__(self, experts: list[Organisation], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.expert_organisation_id.choices = [("", _l("None yet")), *object_choices(experts)]


add_translations(ThemeForm, "standard")


class ContextFactorForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the context factor a title.")), Length(max=200)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class DeliverableTemplateForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=enum_choices(DeliverableKind))
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the deliverable a title.")), Length(max=250)],
        description=_l("Each pair's deliverable is called this, followed by the pair's cities."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    months_after_start = StringField(
        _l("Due, in months after the pair starts"),
        validators=[DataRequired(_l("Give the number of months.")), Length(max=20)],
        description=_l(
            "A whole number from 1. Until a pair has a start date, the months count from the day "
            "it is paired; the due date moves when the start is set or changed."
        ),
        render_kw={"type": "number", "min": 1, "max": 120, "step": 1, "autocomplete": "off"},
    )
    responsible = SelectField(_l("Owed by"), choices=enum_choices(ResponsibleParty))
    responsible_organisation_id = SelectField(
        _l("Named organisation"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Only when it is owed by a named organisation, such as the network."),
    )

    def __init__(self, organisations: list[Organisation], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responsible_organisation_id.choices = [
            ("", _l("None")),
            *object_choices(organisations),
        ]
        if isinstance(self.months_after_start.data, int):  # from the template being edited
            self.months_after_start.data = str(self.months_after_start.data)

    def months(self) -> int | None:
        """The months as typed, if a whole number (the service explains any other answer)."""
        text = (self.months_after_start.data or "").strip()
        return int(text) if text.isascii() and text.isdigit() else None
