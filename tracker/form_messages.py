"""Our own words for the form library's messages ("Invalid URL.", "Field must be between 10
and 1024 characters long."): WTForms asks its form's translations for each message, and every
form here gets ours, so a field without a message of its own still speaks as the tracker does."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

OWN_WORDS = {
    "This field is required.": _l("Fill this in."),
    "Invalid email address.": _l("Give an email address, such as name@city.eu."),
    "Invalid URL.": _l("Give a web address starting with https:// or http://."),
    "Not a valid choice.": _l("Choose one of the options."),
    "Invalid Choice: could not coerce.": _l("Choose one of the options."),
    "Not a valid integer value.": _l("Give a whole number."),
    "Not a valid decimal value.": _l("Give a number."),
    "Not a valid float value.": _l("Give a number."),
    "Not a valid date value.": _l("Give a date: day, month and year."),
    "Not a valid datetime value.": _l("Give a date and a time."),
    "Not a valid time value.": _l("Give a time, such as 09:30."),
    "Field must be equal to %(other_name)s.": _l("This must be the same as %(other_name)s."),
    "Number must be at least %(min)s.": _l("Give %(min)s or more."),
    "Number must be at most %(max)s.": _l("Give %(max)s or less."),
    "Number must be between %(min)s and %(max)s.": _l("Give a number from %(min)s to %(max)s."),
    "Date must be at least %(min)s.": _l("Give %(min)s or later."),
    "Date must be at most %(max)s.": _l("Give %(max)s or earlier."),
    "Date must be between %(min)s and %(max)s.": _l("Give a date from %(min)s to %(max)s."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Write between %(min)d and %(max)d characters."
    ),
}
OWN_PLURALS = {
    "Field must be at least %(min)d character long.": (
        "Write at least %(min)d character.",
        "Write at least %(min)d characters.",
    ),
    "Field cannot be longer than %(max)d character.": (
        "Write at most %(max)d character.",
        "Write at most %(max)d characters.",
    ),
    "Field must be exactly %(max)d character long.": (
        "Write exactly %(max)d character.",
        "Write exactly %(max)d characters.",
    ),
}


class OwnMessages:
    """The translations object WTForms reads its messages through (left unformatted: WTForms
    fills in the numbers)."""

    def gettext(self, string: str) -> str:
        own = OWN_WORDS.get(string)
        return str(own) if own is not None else string  # no values given: left unformatted

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # The plural forms are English, as the tracker's only language is so far; with a second
        # language they move into the message catalogue with the singular words above.
        own_singular, own_plural = OWN_PLURALS.get(singular, (singular, plural))
        return own_singular if n == 1 else own_plural


OWN_MESSAGES = OwnMessages()


def use_own_form_messages() -> None:
    """Make every form read the library's messages in our words."""

    def get_translations_of(_meta: Any, _form: Any) -> OwnMessages:
        return OWN_MESSAGES

    FlaskForm.Meta.get_translations = get_translations_of
