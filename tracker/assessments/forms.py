"""Forms for starting a round, answering it, and setting target levels; the round and target
forms get one field per factor, question and context factor of the theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from tracker.assessments.carry_over import ANSWER, CONTEXT, RATING, still_carried_over
from tracker.assessments.models import Answer, Assessment, AssessmentRound, ContextEffect
from tracker.assessments.queries import RoundContent
from tracker.assessments.scale import level_choices
from tracker.assessments.service import AnswerInput, ContextInput, RatingInput
from tracker.catalogue.models import Factor
from tracker.content_languages import text_in_reader_language
from tracker.forms import enum_choices, optional_int

NOTE_LENGTH = 5000
OFF_SCALE = _l("Choose one of the levels from 0 to 4.")


class StartRoundForm(FlaskForm):
    round = RadioField(
        _l("Round"),
        choices=enum_choices(AssessmentRound),
        validators=[InputRequired(_l("Choose the round to start."))],
        invalid_choice_message=_l("Choose a baseline, mid-term or final round."),
    )
    assessed_on = DateField(
        _l("Date of the round"),
        validators=[InputRequired()],
        description=_l("The day your team takes stock, usually when it meets to agree the levels."),
    )


class RoundForm(FlaskForm):
    assessed_on = DateField(_l("Date of the round"), validators=[InputRequired()])
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    # Where the person was working (a factor's card), so that saving brings them back there.
    return_to = HiddenField()
    save = SubmitField(_l("Save draft"))
    confirm_all = SubmitField(_l("Confirm all carried-over answers"))
    complete = SubmitField(_l("Complete the round"))


class TargetsForm(FlaskForm):
    pass


def level_field(label: str, *, blank: str | None = None, field_class: Any = RadioField) -> Any:
    """A choice of a level on the 0-4 scale; a value off the scale is refused with a message."""
    blank_choice = [SelectChoice("", blank)] if blank else []
    return field_class(
        label,
        choices=[*blank_choice, *level_choices()],
        coerce=optional_int,
        validators=[Optional()],
        invalid_value_message=OFF_SCALE,
        invalid_choice_message=OFF_SCALE,
    )


def round_form(assessment: Assessment, content: RoundContent) -> RoundForm:
    """The round form with a rating, guide-question answers and context notes for the theme."""
    fields: dict[str, Any] = {}
    for factor in content.factors:
        fields[f"level_{factor.id}"] = level_field(
            _("Level of factor %(number)d", number=factor.position)
        )
        fields[f"evidence_{factor.id}"] = TextAreaField(
            _("Evidence for factor %(number)d", number=factor.position),
            validators=[Optional(), Length(max=NOTE_LENGTH)],
        )
        for question in factor.guide_questions:
            if question.is_open:  # answered in words alone
                fields[f"answer_note_{question.id}"] = TextAreaField(
                    f"{_question_number(factor, question)} {text_in_reader_language(question, 'text')}",
                    description=_("An open question: answer in your own words."),
                    validators=[Optional(), Length(max=NOTE_LENGTH)],
                )
                continue
            fields[f"answer_{question.id}"] = RadioField(
                f"{_question_number(factor, question)} {text_in_reader_language(question, 'text')}",
                choices=enum_choices(Answer),
                validators=[Optional()],
                invalid_choice_message=_l("Choose yes, partly, no or not applicable."),
            )
            fields[f"answer_note_{question.id}"] = TextAreaField(
                _("Note on question %(number)s", number=_question_number(factor, question)),
                validators=[Optional(), Length(max=NOTE_LENGTH)],
            )
        if content.has_carried_over(factor):
            fields[f"confirm_{factor.id}"] = BooleanField(
                _(
                    "Still true: confirm the carried-over answers of factor %(number)d",
                    number=factor.position,
                )
            )
    for context_factor in content.context_factors:
        fields[f"effect_{context_factor.id}"] = RadioField(
            context_factor.title,
            choices=enum_choices(ContextEffect),
            validators=[Optional()],
            invalid_choice_message=_l("Choose enabling, neutral or limiting."),
        )
        fields[f"effect_note_{context_factor.id}"] = TextAreaField(
            _("Note on %(title)s", title=context_factor.title),
            validators=[Optional(), Length(max=NOTE_LENGTH)],
        )
        if content.context_carried_over(context_factor):
            fields[f"confirm_context_{context_factor.id}"] = BooleanField(
                _(
                    "Still true: confirm the carried-over note on %(title)s",
                    title=context_factor.title,
                )
            )
    form_class = type("ThemeRoundForm", (RoundForm,), fields)
    if request.method != "GET":
        return form_class()
    data: dict[str, Any] = {"assessed_on": assessment.assessed_on, "version": assessment.version_id}
    for factor_id, rating in content.ratings.items():
        data[f"level_{factor_id}"] = rating.level
        data[f"evidence_{factor_id}"] = rating.evidence
    for question_id, answer in content.answers.items():
        data[f"answer_{question_id}"] = answer.answer.value if answer.answer else None
        data[f"answer_note_{question_id}"] = answer.note
    for context_id, note in content.notes.items():
        data[f"effect_{context_id}"] = note.effect.value if note.effect else None
        data[f"effect_note_{context_id}"] = note.note
    return form_class(data=data)


def round_inputs(form: RoundForm, content: RoundContent) -> dict[str, Any]:
    """The round form's content as plain values for `save_round`."""
    return {
        "assessed_on": form.assessed_on.data,
        "expected_version": form.version.data,
        "complete": bool(form.complete.data),
        "confirm_all": bool(form.confirm_all.data),
        "ratings": [
            RatingInput(
                factor.id,
                form[f"level_{factor.id}"].data,
                form[f"evidence_{factor.id}"].data or "",
                _confirmed(form, f"confirm_{factor.id}"),
            )
            for factor in content.factors
        ],
        "answers": [
            AnswerInput(
                question.id,
                None
                if question.is_open
                else _enum_or_none(Answer, form[f"answer_{question.id}"].data),
                form[f"answer_note_{question.id}"].data or "",
                _confirmed(form, f"confirm_{factor.id}"),
            )
            for factor in content.factors
            for question in factor.guide_questions
        ],
        "context": [
            ContextInput(
                context_factor.id,
                _enum_or_none(ContextEffect, form[f"effect_{context_factor.id}"].data),
                form[f"effect_note_{context_factor.id}"].data or "",
                _confirmed(form, f"confirm_context_{context_factor.id}"),
            )
            for context_factor in content.context_factors
        ],
    }


@dataclass(frozen=True)
class RoundProgress:
    """Where the form stands, as the page shows it: each factor done (rated, nothing left only
    carried over), to check (something still only carried over) or not rated yet, and the
    answers still only carried over (keys as carry_over.still_carried_over gives them)."""

    states: dict[int, str]  # by factor id: done, carried or unrated
    carried: set[str]

    @property
    def done(self) -> int:
        return sum(1 for state in self.states.values() if state == "done")


def round_progress(assessment: Assessment, form: RoundForm, content: RoundContent) -> RoundProgress:
    """The form's progress with what it holds now: the stored answers, or those just sent
    back by a save that was refused."""
    inputs = round_inputs(form, content)
    carried = still_carried_over(
        assessment,
        {RATING: inputs["ratings"], ANSWER: inputs["answers"], CONTEXT: inputs["context"]},
    )
    states = {}
    for factor in content.factors:
        keys = {f"rating-{factor.id}"} | {f"answer-{q.id}" for q in factor.guide_questions}
        if keys & carried:
            states[factor.id] = "carried"
        elif form[f"level_{factor.id}"].data is None:
            states[factor.id] = "unrated"
        else:
            states[factor.id] = "done"
    return RoundProgress(states, carried)


def return_anchor(form: RoundForm, content: RoundContent) -> str | None:
    """The part of the page the person was working in, if the form says one it has."""
    anchor = form.return_to.data
    return anchor if anchor in content.anchors else None


def targets_form(factors: list[Factor], targets: dict[int, int | None]) -> TargetsForm:
    """One choice of a target level per factor, prefilled with the targets already set."""
    fields = {
        f"target_{factor.id}": level_field(
            _("Target for factor %(number)d", number=factor.position),
            blank=_("No target"),
            field_class=SelectField,
        )
        for factor in factors
    }
    form_class = type("ThemeTargetsForm", (TargetsForm,), fields)
    if request.method != "GET":
        return form_class()
    return form_class(data={f"target_{factor_id}": level for factor_id, level in targets.items()})


def target_inputs(form: TargetsForm, factors: list[Factor]) -> dict[int, int | None]:
    """The chosen target level per factor id (None: no target)."""
    return {factor.id: form[f"target_{factor.id}"].data for factor in factors}


def _confirmed(form: RoundForm, name: str) -> bool:
    """Whether the person ticked a carried-over answer's confirmation (the box is there only
    while something is carried over)."""
    field = getattr(form, name, None)
    return bool(field is not None and field.data)


def _question_number(factor: Any, question: Any) -> str:
    return f"{factor.position}.{question.position}"


def _enum_or_none(enum_class: Any, value: str | None) -> Any:
    """The chosen member, or None when nothing was chosen (blank text included: WTForms'
    Optional lets it through as empty) or, on a form refused for it, no member was."""
    if not value or not value.strip():
        return None
    try:
        return enum_class(value)
    except ValueError:
        return None
