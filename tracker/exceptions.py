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

    def __init__(self, message: Any, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


def show_on_form(form: Any, error: RuleViolation) -> None:
    """Attach a domain error to its field, or to the form as a whole.

    After a conflict the form takes the current version, so that saving it again, once the
    user has compared, is a deliberate choice rather than another refusal.
    """
    if isinstance(error, StaleObject) and getattr(form, "version", None) is not None:
        form.version.data = error.current_version
        form.version.raw_data = [str(error.current_version)]  # what the hidden input shows
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.type != "FieldList":
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
