"""Our own words for the form library's messages ("Invalid URL.", "Field must be between 10
and 1024 characters long."): WTForms asks its form's translations for each message, and every
form here gets ours, so a field without a message of its own still speaks as the tracker does,
in the reader's language (WTForms' own translation for a message we have no words for)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.i18n import get_translations as wtforms_translations

from tracker.content_languages import reader_language

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


def own_plural(singular: str, count: int) -> str | None:
    """Our words for one of the library's plural messages, in the reader's language (left
    unformatted, as WTForms formats it), or None for a message we have no words for."""
    translations = get_translations()
    if singular == "Field must be at least %(min)d character long.":
        return translations.ungettext(
            "Write at least %(min)d character.", "Write at least %(min)d characters.", count
        )
    if singular == "Field cannot be longer than %(max)d character.":
        return translations.ungettext(
            "Write at most %(max)d character.", "Write at most %(max)d characters.", count
        )
    if singular == "Field must be exactly %(max)d character long.":
        return translations.ungettext(
            "Write exactly %(max)d character.", "Write exactly %(max)d characters.", count
        )
    return None


@dataclass(frozen=True)
class LibraryMessages:
    """WTForms' own translations of its messages into one language."""

    singular: Callable[[str], str]
    plural: Callable[[str, str, int], str]


@cache
def library_messages(language: str) -> LibraryMessages:
    """WTForms' own translations, for the messages we have no words of our own for."""
    translations = wtforms_translations([language])
    return LibraryMessages(translations.gettext, translations.ngettext)


class OwnMessages:
    """The translations object WTForms reads its messages through: our words where we have
    them, the library's own translation otherwise, in the reader's language (left
    unformatted: WTForms fills in the numbers)."""

    def gettext(self, string: str) -> str:
        own = OWN_WORDS.get(string)
        if own is not None:
            return str(own)  # no values given: left unformatted
        return library_messages(reader_language()).singular(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        own = own_plural(singular, n)
        if own is not None:
            return own
        return library_messages(reader_language()).plural(singular, plural, n)


OWN_MESSAGES = OwnMessages()


def use_own_form_messages() -> None:
    """Make every form read the library's messages in our words."""

    def get_translations_of(_meta: Any, _form: Any) -> OwnMessages:
        return OWN_MESSAGES

    FlaskForm.Meta.get_translations = get_translations_of
