"""Form helpers shared by every area: choices for enums, time zones and objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar
from zoneinfo import available_timezones

from flask import flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.db import LabelledEnum
from tracker.exceptions import RuleViolation, show_on_form
from tracker.extensions import db

T = TypeVar("T")
# The largest value of an integer column (PostgreSQL's `integer`): ids and numbers from forms
# and query strings beyond it are refused as malformed, rather than overflowing the driver.
DB_INT_MAX = 2**31 - 1


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


def db_int(value: Any) -> int:
    """An integer a database column can hold, from a form or the query string (ValueError if
    malformed or out of range, which forms and `request.args.get(type=...)` treat as invalid)."""
    number = int(value)
    if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
        raise ValueError(f"{number} is out of range")
    return number


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to int, keeping the empty choice as None."""
    if value in ("", None, "None"):
        return None
    return db_int(value)


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
        result = _commit(action)
    except RuleViolation as error:
        show_on_form(form, error)
        return False
    return True if result is None else result


def save_or_flash_errors(action: Callable[[], T]) -> T | bool:
    """Like save_or_show_errors, for buttons without a form page: a refusal becomes a flash."""
    try:
        result = _commit(action)
    except RuleViolation as error:
        flash(str(error.message), "danger")
        return False
    return True if result is None else result


def _commit(action: Callable[[], T]) -> T:
    """Run the action and commit, rolling back on a refusal. A row that another request
    changed between our read and our write (its version moved on) is a refusal too: the
    user is told to look again, rather than shown a server error."""
    try:
        result = action()
        db.session.commit()
    except RuleViolation:
        db.session.rollback()
        raise
    except StaleDataError as error:
        db.session.rollback()
        raise RuleViolation(
            _(
                "Someone else saved a change here at the same moment, so yours was not saved. "
                "Reload the page to see it, then make your change again."
            )
        ) from error
    return result


def refuse_nul_characters() -> Any:
    """Answer 400 to a request whose URL, query or form text holds a NUL character, which no
    text column can store (PostgreSQL refuses it) and no one types: said plainly, not a 500."""
    texts = [
        *(request.view_args or {}).values(),
        *(item for pair in request.args.items(multi=True) for item in pair),
        *(item for pair in request.form.items(multi=True) for item in pair),
    ]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        message = _(
            "The text sent contains a NUL character (\\0), which the tracker cannot store. "
            "Remove it and try again."
        )
        return render_template("error.html", code=400, title=_("Bad request"), message=message), 400
    return None
