"""Sentences kept in the database for later readers: a message id and its parameters, written
in each reader's language when read (audit entries, notifications, reminders).

`N_("Visit planned: %(pair)s", pair=pair.label)` marks the sentence for translators (`make
messages` extracts N_ like `_`) and keeps it untranslated until someone reads it. Parameters
are kept as plain values: an enum member by its code (its label is translated when read), a
date as ISO text (written in the reader's way), a message within a message by its id.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, get_locale, gettext, ngettext

from tracker.dates import long_date, long_datetime
from tracker.db import LabelledEnum
from tracker.numbers import percent

CAPITALISING = {"de"}  # languages whose nouns keep their capital within a sentence


@dataclass(frozen=True)
class Message:
    """A sentence to translate when read: its message id (English) and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None  # with a plural form, `params["num"]` chooses between them

    def with_params(self, **params: Any) -> Message:
        """The same sentence with (more) parameters: a text chosen first, filled in later."""
        return Message(self.msgid, {**self.params, **_kept(params)}, self.plural)

    def text(self) -> str:
        """The sentence in the current language."""
        return translated(self.msgid, self.params, self.plural)

    def english(self) -> str:
        """The sentence in English, as kept beside the message for search and exports."""
        with force_locale("en"):
            return self.text()

    def __str__(self) -> str:
        return self.text()


def N_(msgid: str, **params: Any) -> Message:  # noqa: N802 - the marker translators' tools know
    """A sentence to keep as a message id with parameters (see the module's docstring)."""
    return Message(msgid, _kept(params))


@dataclass(frozen=True)
class InSentence:
    """An enum's label within a sentence: in lower case, except in German, which writes its
    nouns with a capital ("the baseline round", "die Baseline-Runde")."""

    member: LabelledEnum


def in_sentence(member: LabelledEnum) -> InSentence:
    return InSentence(member)


@dataclass(frozen=True)
class Percent:
    """A share out of 100, written the reader's way ("42%", "42 %")."""

    value: float


def NP_(singular: str, plural: str, num: int, **params: Any) -> Message:  # noqa: N802
    """A part of a sentence with a singular and a plural form, chosen by `num` when read."""
    return Message(singular, {"num": num, **_kept(params)}, plural)


def _kept(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: stored(value) for name, value in params.items()}


def stored(value: Any) -> Any:
    """A parameter as JSON keeps it, ready to be written in any language later."""
    if isinstance(value, Percent):
        return {"percent": value.value}
    if isinstance(value, InSentence):
        return {**stored(value.member), "in_sentence": True}
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": dict(value.params), "plural": value.plural}
    if isinstance(value, (list, tuple)):
        return [stored(item) for item in value]
    if isinstance(value, LabelledEnum):
        return {"enum": type(value).__name__, "value": value.value}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def translated(msgid: str, params: Mapping[str, Any] | None, plural: str | None = None) -> str:
    """A kept sentence written in the current language (its English words when it has no
    translation or the translation names a parameter that was not kept)."""
    shown = {name: _shown(value) for name, value in (params or {}).items()}
    try:
        if plural is not None:
            return ngettext(msgid, plural, shown.get("num", 1), **shown)
        return gettext(msgid, **shown) if shown else gettext(msgid)
    except (KeyError, ValueError, TypeError):
        english = plural if plural is not None and shown.get("num") != 1 else msgid
        try:
            return english % shown if shown else english
        except (KeyError, ValueError, TypeError):  # a row whose parameters went missing
            return english


def text_or(msgid: str | None, params: Mapping[str, Any] | None, fallback: str) -> str:
    """A row's sentence in the reader's language; rows kept before messages had ids (or not
    recognised when they were converted) show their text as it was written."""
    return translated(msgid, params) if msgid else fallback


def _shown(value: Any) -> Any:
    if isinstance(value, list):  # parts of a sentence, e.g. "1 factor added, 2 reworded"
        return ", ".join(str(_shown(item)) for item in value)
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return translated(value["msgid"], value.get("params"), value.get("plural"))
    if "enum" in value:
        member = _enum_member(value["enum"], value.get("value"))
        label = str(member.label) if member is not None else str(value.get("value"))
        if value.get("in_sentence") and str(get_locale() or "en").split("_")[0] not in CAPITALISING:
            return label.lower()
        return label
    if "percent" in value:
        return percent(value["percent"])
    if "datetime" in value:
        return long_datetime(datetime.fromisoformat(value["datetime"]))
    if "date" in value:
        return long_date(date.fromisoformat(value["date"]))
    return str(value)


def _enum_member(name: str, value: Any) -> LabelledEnum | None:
    for enum_class in _labelled_enums():
        if enum_class.__name__ == name:
            try:
                return enum_class(value)
            except ValueError:
                return None
    return None


def _labelled_enums() -> list[type[LabelledEnum]]:
    found, pending = [], list(LabelledEnum.__subclasses__())
    while pending:
        enum_class = pending.pop()
        found.append(enum_class)
        pending.extend(enum_class.__subclasses__())
    return found
