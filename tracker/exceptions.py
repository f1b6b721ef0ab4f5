"""Domain errors that services raise and views turn into messages on the page."""

from __future__ import annotations

from typing import Any


class RuleViolation(Exception):
    """A change that breaks a rule of the domain; `field` names the form field to blame."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidTransition(RuleViolation):
    """A status change that the workflow does not allow from the current status."""


class StaleObject(RuleViolation):
    """Someone else saved the object after this form was loaded."""


def show_on_form(form: Any, error: RuleViolation) -> None:
    """Attach a domain error to its field, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.type != "FieldList":
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
