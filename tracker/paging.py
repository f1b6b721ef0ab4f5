"""Pages of long lists, counted with a bound so that lists stay fast as the years add rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm.interfaces import LoaderOption

from tracker.db import among
from tracker.extensions import db

T = TypeVar("T")
# No list has a million pages; a page number from the address beyond that would only overflow
# the database's OFFSET before the count could bring it back to the last page.
LARGEST_PAGE = 1_000_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, which page it is, and how many there are in all (counted
    no further than `cap`, beyond which the page says "more than")."""

    items: list[T]
    number: int
    pages: int
    total: int
    cap: int | None = None

    @property
    def beyond_cap(self) -> bool:
        return self.cap is not None and self.total > self.cap


def paginate(
    query: sa.Select[Any],
    number: int,
    size: int,
    *,
    options: tuple[LoaderOption, ...] = (),
    max_pages: int | None = None,
    total: int | None = None,
    keys_first: bool = False,
    counted_with_keys: bool = False,
) -> Page[Any]:
    """Page `number` (from 1; out-of-range numbers give the nearest page) of the query's
    objects, in the query's order, loaded with `options`. With `max_pages`, counting stops
    after that many pages; `total` spares the count when the caller has it already. With
    `keys_first`, the page's primary keys are found first, in a subquery, and `options` joined
    to those rows only: PostgreSQL plans a many-table eager join over a whole table in ~20 ms,
    over a page's fifty rows in ~2 ms. With `counted_with_keys` (uncapped lists whose order
    reads every row anyway), the page's keys come with the count of all rows, in one
    reading."""
    number = min(max(number, 1), LARGEST_PAGE)
    if counted_with_keys and total is None and not max_pages:
        keys, counted = _keys_and_total(query, number, size)
        if keys or number == 1:
            pages = max(1, -(-counted // size))
            return _page_of_keys(query, keys, options, number, pages, counted)
    cap = size * max_pages if max_pages else None
    if total is None:
        counted = query.with_only_columns(sa.literal(1), maintain_column_froms=True).order_by(None)
        total = capped_count(counted, cap) if cap else _count(counted)
    pages = max(1, -(-min(total, cap or total) // size))
    number = min(number, pages)
    if counted_with_keys:
        keys, _total = _keys_and_total(query, number, size)
        return _page_of_keys(query, keys, options, number, pages, total)
    page_query = query.limit(size).offset((number - 1) * size)
    if keys_first:
        key = _primary_key(query)
        keys = page_query.with_only_columns(key, maintain_column_froms=True).subquery()
        page_query = query.join(keys, key == keys.c[key.name])
    items = db.session.execute(page_query.options(*options)).scalars().unique().all()
    return Page(list(items), number, pages, total, cap)


def _primary_key(query: sa.Select[Any]) -> sa.ColumnElement[Any]:
    (key,) = sa.inspect(query.column_descriptions[0]["entity"]).primary_key
    return key


def _keys_and_total(query: sa.Select[Any], number: int, size: int) -> tuple[list[Any], int]:
    """The keys of page `number` and the count of all rows (a window count), in one statement;
    no keys and a total of 0 when the page is past the end."""
    rows = db.session.execute(
        query.with_only_columns(
            _primary_key(query), sa.func.count().over(), maintain_column_froms=True
        )
        .limit(size)
        .offset((number - 1) * size)
    ).all()
    return [key for key, _total in rows], rows[0][1] if rows else 0


def _page_of_keys(
    query: sa.Select[Any],
    keys: list[Any],
    options: tuple[LoaderOption, ...],
    number: int,
    pages: int,
    total: int,
) -> Page[Any]:
    if not keys:
        return Page([], number, pages, total)
    loaded = query.where(among(_primary_key(query), keys)).options(*options)
    return Page(list(db.session.execute(loaded).scalars().unique().all()), number, pages, total)


def capped_count(query: sa.Select[Any], cap: int) -> int:
    """How many rows the query gives, counting no further than cap + 1, so that a count shown
    on every page stays as cheap with ten years of data as with one."""
    limited = query.limit(cap + 1).subquery()
    return db.session.execute(sa.select(sa.func.count()).select_from(limited)).scalar_one()


def _count(query: sa.Select[Any]) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
