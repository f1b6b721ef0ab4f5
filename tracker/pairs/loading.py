"""What every page naming a pair needs loaded with it: its theme (with programme and
facilitating organisation) and both cities, in the same query."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import LoaderOption

from tracker.catalogue.models import Theme
from tracker.pairs.models import Pair


def with_pair(*path: Any) -> list[LoaderOption]:
    """Eager loads of a pair's theme and cities, from a pair (no path) or along the
    relationships in `path` that lead to one (for example Visit.pair)."""
    start = None
    for step in path:
        start = start.joinedload(step) if start is not None else joinedload(step)

    def chain(attribute: Any) -> LoaderOption:
        return start.joinedload(attribute) if start is not None else joinedload(attribute)

    return [
        chain(Pair.theme).joinedload(Theme.programme),
        chain(Pair.theme).joinedload(Theme.expert_organisation),
        chain(Pair.mentor_city),
        chain(Pair.implementing_city),
    ]
