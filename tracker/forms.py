"""Form helpers shared by every area: choices for enums, time zones and objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar
from zoneinfo import available_timezones

from flask import flash, request
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.db import LabelledEnum
from tracker.exceptions import RuleViolation, show_on_form
from tracker.extensions import db

T = TypeVar("T")


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def enum_choices(enum_class: type[LabelledEnum]) -> list[SelectChoice]:
    """Options for a select of an enum's values, labelled for people."""
    return [SelectChoice(member.value, str(member.label)) for member in enum_class]


def object_choices(objects: Iterable[Any], label: str = "name") -> list[SelectChoice]:
    """Options for a select of objects by id."""
    return [SelectChoice(obj.id, str(getattr(obj, label))) for obj in objects]


def timezone_choices() -> list[SelectChoice]:
    """European time zones (and UTC), the ones our users work in."""
    names = sorted(
        name
        for name in available_timezones()
        if name.startswith("Europe/") or name == "Asia/Nicosia"
    )
    return [SelectChoice(name) for name in [*names, "UTC"]]


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Options from (value, label) pairs."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to int, keeping the empty choice as None."""
    if value in ("", None, "None"):
        return None
    return int(value)


def date_arg(name: str) -> date | None:
    """A date given in the query string (YYYY-MM-DD), or None if absent or malformed."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def save_or_show_errors(form: Any, action: Callable[[], T]) -> T | bool:
    """Run a service call for a validated form and commit; on a rule violation, roll back and
    show the message on the form instead. Returns the action's result (True if it returns
    nothing), or False if refused."""
    try:
        result = action()
    except RuleViolation as error:
        db.session.rollback()
        show_on_form(form, error)
        return False
    db.session.commit()
    return True if result is None else result


def save_or_flash_errors(action: Callable[[], T]) -> T | bool:
    """Like save_or_show_errors, for buttons without a form page: a refusal becomes a flash."""
    try:
        result = action()
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return False
    db.session.commit()
    return True if result is None else result
