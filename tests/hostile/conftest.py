"""Fixtures of the hostile-input tests: one world and one crawl of it per database backend.

Building the world and crawling every page as each role takes seconds, so both are done once
for the package, in a transaction of their own on the frozen day; each test then runs in a
savepoint of that transaction (this `session` replaces the one of tests/conftest.py), and each
hypothesis example in a savepoint of its own (`undone`), so every example starts from the same
world and nothing outlives the package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from freezegun import freeze_time

from tests.databases import session_in_transaction
from tests.factories import Factories
from tests.hostile.discover import Discovery, crawl
from tests.hostile.world import World, build_world
from tracker.extensions import db

FROZEN_AT = "2026-03-02 10:00:00"


@pytest.fixture(scope="package")
def shared(app: Flask) -> Iterator[tuple[Any, World]]:
    """The package's connection, in a transaction holding the world."""
    with freeze_time(FROZEN_AT), app.app_context(), session_in_transaction() as connection:
        yield connection, build_world(Factories(db.session), db.session)


@pytest.fixture
def session(shared: tuple[Any, World]) -> Iterator[Any]:
    """The test runs in a savepoint of the package's transaction, rolled back afterwards."""
    connection, _world = shared
    nested = connection.begin_nested()
    try:
        yield db.session
    finally:
        nested.rollback()
        db.session.expire_all()


@pytest.fixture
def world(shared: tuple[Any, World], session: Any) -> World:
    return shared[1]


@contextmanager
def rolled_back(connection: Any) -> Iterator[None]:
    nested = connection.begin_nested()
    try:
        yield
    finally:
        nested.rollback()
        db.session.expire_all()


@pytest.fixture
def undone(shared: tuple[Any, World], session: Any) -> Callable[[], Any]:
    """A context whose changes are rolled back at its end (one per hypothesis example)."""
    return lambda: rolled_back(shared[0])


@pytest.fixture(scope="package")
def discovery(app: Flask, shared: tuple[Any, World]) -> Discovery:
    connection, world = shared
    client = app.test_client()
    with freeze_time(FROZEN_AT), rolled_back(connection):
        return crawl(app, client, world)


@pytest.fixture
def row_counts(session: Any) -> Callable[[], dict[str, int]]:
    """The number of rows of every table, to show that a refused request changed nothing."""
    tables = sorted(db.metadata.tables.values(), key=lambda table: table.name)
    query = sa.select(
        *(
            sa.select(sa.func.count()).select_from(table).scalar_subquery().label(table.name)
            for table in tables
        )
    )
    return lambda: dict(session.connection().execute(query).one()._mapping)
