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

from flask_babel import force_locale, gettext

from tracker.dates import long_date, long_datetime
from tracker.db import LabelledEnum


@dataclass(frozen=True)
class Message:
    """A sentence to translate when read: its message id (English) and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The sentence in the current language."""
        return translated(self.msgid, self.params)

    def english(self) -> str:
        """The sentence in English, as kept beside the message for search and exports."""
        with force_locale("en"):
            return self.text()

    def __str__(self) -> str:
        return self.text()


def N_(msgid: str, **params: Any) -> Message:  # noqa: N802 - the marker translators' tools know
    """A sentence to keep as a message id with parameters (see the module's docstring)."""
    return Message(msgid, {name: stored(value) for name, value in params.items()})


def stored(value: Any) -> Any:
    """A parameter as JSON keeps it, ready to be written in any language later."""
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": dict(value.params)}
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


def translated(msgid: str, params: Mapping[str, Any] | None) -> str:
    """A kept sentence written in the current language (its English words when it has no
    translation, and without placeholders filled when a parameter went missing)."""
    shown = {name: _shown(value) for name, value in (params or {}).items()}
    try:
        return gettext(msgid, **shown) if shown else gettext(msgid)
    except (KeyError, ValueError, TypeError):  # a translation naming a parameter not kept
        return msgid % shown if shown else msgid


def text_or(msgid: str | None, params: Mapping[str, Any] | None, fallback: str) -> str:
    """A row's sentence in the reader's language; rows kept before messages had ids (or not
    recognised when they were converted) show their text as it was written."""
    return translated(msgid, params) if msgid else fallback


def _shown(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return translated(value["msgid"], value.get("params"))
    if "enum" in value:
        member = _enum_member(value["enum"], value.get("value"))
        return str(member.label) if member is not None else str(value.get("value"))
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
