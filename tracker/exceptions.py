"""Domain errors that services raise and views turn into messages on the page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Where a problem belongs: a form field by name, a field of the n-th row of a list of rows
# (row_field), or None for the form as a whole.
Place = str | tuple[str, int, str] | None


class RuleViolation(Exception):
    """A change that breaks a rule of the domain; `field` names the form field to blame.

    A service that checks many things (the rows of a visit report) reports every problem at once
    in `problems`: (field, message) pairs, the field None for a problem of the whole form; the
    message then says what went wrong overall, for places that show a single line.
    """

    def __init__(
        self,
        message: Any,
        field: str | None = None,
        problems: Iterable[tuple[Place, Any]] = (),
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.problems = list(problems) or [(field, message)]


class InvalidTransition(RuleViolation):
    """A status change that the workflow does not allow from the current status."""


class StaleObject(RuleViolation):
    """Someone else saved the object after this form was loaded."""

    def __init__(self, message: Any, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


def row_field(rows: str, index: int, name: str) -> tuple[str, int, str]:
    """Where a problem of one row belongs: field `name` of the row at `index` (from 0) of the
    list of rows `rows`, as the service received them."""
    return rows, index, name


def show_on_form(form: Any, error: RuleViolation) -> None:
    """Attach a domain error's problems to their fields, or to the form as a whole. A field
    already marked wrong by the form's own checks keeps its own message alone.

    After a conflict the form takes the current version, so that saving it again, once the
    user has compared, is a deliberate choice rather than another refusal.
    """
    if isinstance(error, StaleObject) and getattr(form, "version", None) is not None:
        form.version.data = error.current_version
        form.version.raw_data = [str(error.current_version)]  # what the hidden input shows
    for place, message in error.problems:
        field = _field_at(form, place)
        if field is None:
            form.form_errors.append(message)
        elif not field.errors:
            field.errors = [message]


def _field_at(form: Any, place: Place) -> Any:
    """The form's field a problem belongs to, or None (the form as a whole)."""
    if isinstance(place, tuple):
        rows, index, name = place
        entries = getattr(getattr(form, rows, None), "entries", [])
        return getattr(entries[index].form, name, None) if index < len(entries) else None
    field = getattr(form, place, None) if place else None
    return field if field is not None and field.type not in ("FieldList", "FormField") else None
