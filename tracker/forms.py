"""Form helpers shared by every area: choices for enums, time zones and objects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import available_timezones

from wtforms import SelectChoice

from tracker.db import LabelledEnum


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
