"""Status workflows: which status may follow which, checked in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from flask_babel import gettext as _

from tracker.db import LabelledEnum
from tracker.exceptions import InvalidTransition

S = TypeVar("S", bound=LabelledEnum)


def check_transition(transitions: Mapping[S, frozenset[S]], current: S, target: S) -> None:
    """Raise InvalidTransition unless `target` may follow `current`."""
    if target not in transitions.get(current, frozenset()):
        raise InvalidTransition(
            _(
                "The status cannot change from %(current)s to %(target)s.",
                current=current.label,
                target=target.label,
            ),
            field="status",
        )


def next_statuses(transitions: Mapping[S, frozenset[S]], current: S) -> list[S]:
    """The statuses that may follow `current`, in the enum's order."""
    allowed = transitions.get(current, frozenset())
    return [status for status in type(current) if status in allowed]
