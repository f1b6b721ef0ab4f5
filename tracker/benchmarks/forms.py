"""The benchmark editor's forms: a factor with its guide questions and examples as rows, and the
draft's buttons (each carrying the draft's version, so a stale one is refused)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional

from tracker.benchmarks.content import FactorText
from tracker.benchmarks.service import ExampleInput, FactorInput, QuestionInput
from tracker.catalogue.models import QuestionKind
from tracker.extensions import db
from tracker.forms import (
    add_translations,
    choices,
    enum_choices,
    name_row,
    optional_int,
    translations_data,
    translations_of,
)
from tracker.organisations.models import Organisation, OrganisationKind

FACTOR_TRANSLATED = ("title", "statement", "rationale")
EXAMPLE_TRANSLATED = ("title", "summary")
BLANK_QUESTIONS = 2
BLANK_EXAMPLES = 1


class QuestionEntry(Form):
    row_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    text = TextAreaField(_l("Question"), validators=[Optional(), Length(max=2000)])
    kind = SelectField(_l("Answer"), choices=enum_choices(QuestionKind), default="scale")


class ExampleEntry(Form):
    row_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    city_id = SelectField(_l("City in the tracker"), coerce=optional_int, validate_choice=False)
    city = StringField(
        _l("Or another city"),
        validators=[Optional(), Length(max=200)],
        description=_l("Type the name of a city that is not in the tracker."),
    )
    country = StringField(
        _l("Country"),
        validators=[Optional(), Length(max=100)],
        description=_l("Left empty, a city of the tracker gives its own."),
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("What the city did"), validators=[Optional(), Length(max=5000)])
    url = URLField(_l("Link"), validators=[Optional(), Length(max=1000)])


class FactorForm(FlaskForm):
    key = StringField(
        _l("Key"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "A short name in small letters and dashes, made from the title if left empty. It "
            "stays when the wording changes, so rounds taken against different versions "
            "compare by it."
        ),
    )
    title = StringField(_l("Title"), validators=[Length(max=300)])
    statement = TextAreaField(
        _l("Statement"),
        validators=[Length(max=5000)],
        description=_l("What good looks like for this factor."),
    )
    rationale = TextAreaField(
        _l("Rationale"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Why the factor matters (optional)."),
    )
    questions = FieldList(FormField(QuestionEntry), min_entries=0)
    examples = FieldList(FormField(ExampleEntry), min_entries=0)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


add_translations(QuestionEntry, "text")
add_translations(ExampleEntry, *EXAMPLE_TRANSLATED)
add_translations(FactorForm, *FACTOR_TRANSLATED)


class PublishForm(FlaskForm):
    note = TextAreaField(
        _l("What changed, for the cities"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Sent with the notice to the members of the theme's pairs."),
    )
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class RetireForm(FlaskForm):
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


def retire_form(rounds_rating: bool) -> RetireForm:
    """Retiring a factor; while rounds in progress rate it, a box to tick first."""
    if not rounds_rating:
        return RetireForm()
    confirm = BooleanField(
        _l("Retire it anyway"),
        validators=[DataRequired(_l("Tick the box to retire the factor these rounds rate."))],
    )
    return type("ConfirmRetireForm", (RetireForm,), {"confirm": confirm})()


class DraftButtonForm(FlaskForm):
    """Moving a factor, discarding the draft: the draft's version is all they carry."""

    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


def factor_form(factor: FactorText | None, draft_version: int) -> FactorForm:
    """The factor's form: its questions and examples as rows, with blank rows to add more."""
    data: dict[str, Any] = {}
    if request.method == "GET":
        data = {
            "version": draft_version,
            "key": factor.key if factor else "",
            "title": factor.title if factor else "",
            "statement": factor.statement if factor else "",
            "rationale": factor.rationale if factor else "",
            **translations_data(factor, *FACTOR_TRANSLATED),
            "questions": [
                {"row_id": q.id, "text": q.text, "kind": q.kind, **translations_data(q, "text")}
                for q in (factor.guide_questions if factor else ())
            ]
            + [{}] * BLANK_QUESTIONS,
            "examples": [
                {
                    "row_id": e.id,
                    "city_id": e.city_id,
                    "city": "" if e.city_id else e.city,
                    "country": e.country or "",
                    "title": e.title,
                    "summary": e.summary,
                    "url": e.url or "",
                    **translations_data(e, *EXAMPLE_TRANSLATED),
                }
                for e in (factor.examples if factor else ())
            ]
            + [{}] * BLANK_EXAMPLES,
        }
    form = FactorForm(data=data) if data else FactorForm()
    cities = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.kind == OrganisationKind.CITY)
        .order_by(Organisation.name)
    ).all()
    city_choices = choices([("", "—"), *cities])
    for number, entry in enumerate(form.questions, 1):
        name_row(entry, _("Question %(number)d", number=number))
    for number, entry in enumerate(form.examples, 1):
        entry.city_id.choices = city_choices
        name_row(entry, _("Example %(number)d", number=number))
    return form


def factor_input(form: FactorForm) -> FactorInput:
    return FactorInput(
        key=form.key.data or "",
        title=form.title.data or "",
        statement=form.statement.data or "",
        rationale=form.rationale.data or "",
        translations=translations_of(form, *FACTOR_TRANSLATED),
        questions=[
            QuestionInput(
                text=entry.form.text.data or "",
                kind=entry.form.kind.data or QuestionKind.SCALE.value,
                id=entry.form.row_id.data,
                translations=translations_of(entry.form, "text"),
            )
            for entry in form.questions
        ],
        examples=[
            ExampleInput(
                city_id=entry.form.city_id.data,
                city=entry.form.city.data or "",
                country=entry.form.country.data or "",
                title=entry.form.title.data or "",
                summary=entry.form.summary.data or "",
                url=entry.form.url.data or "",
                id=entry.form.row_id.data,
                translations=translations_of(entry.form, *EXAMPLE_TRANSLATED),
            )
            for entry in form.examples
        ],
    )
