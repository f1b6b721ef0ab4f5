"""Plumbing shared by the benchmarks: where the data sets live, an app on them, timing."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask_migrate
import sqlalchemy as sa

from bench.generate import generate
from config import BASE_DIR, TestConfig
from tracker import create_app
from tracker.extensions import db

DATA = Path(__file__).resolve().parent / "data"


def database_url(scale: int) -> str:
    """The benchmark database of a scale: PostgreSQL when DATABASE_URL points there, else SQLite."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgresql"):
        return (
            sa.engine.make_url(base)
            .set(database=f"tracker_bench_s{scale}")
            .render_as_string(hide_password=False)
        )
    return f"sqlite:///{DATA / f's{scale}.sqlite'}"


def ensure_data(scale: int, regenerate: bool = False) -> str:
    """Generate the data set of the scale unless it exists already; return its URL."""
    url = database_url(scale)
    if url.startswith("sqlite"):
        path = DATA / f"s{scale}.sqlite"
        if regenerate:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        if path.exists():
            return migrated(url)
        DATA.mkdir(exist_ok=True)
    else:
        admin_url = sa.engine.make_url(url).set(database="postgres")
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        name = sa.engine.make_url(url).database
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if exists and not regenerate:
                admin.dispose()
                return migrated(url)
            if exists:
                connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    started = time.perf_counter()
    generate(url, scale)
    print(f"  generated scale {scale} in {time.perf_counter() - started:.1f} s ({backend(url)})")
    return url


@contextmanager
def copy_of(url: str) -> Iterator[str]:
    """A throw-away copy of a benchmark database (the run writes reminders into it)."""
    if url.startswith("sqlite"):
        source = sa.engine.make_url(url).database
        target = DATA / f"reminders-{uuid.uuid4().hex[:8]}.sqlite"
        with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        try:
            yield f"sqlite:///{target}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        return
    base = sa.engine.make_url(url)
    name = f"{base.database}_copy_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{base.database}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def migrated(url: str) -> str:
    """A data set made by an earlier version, brought to the current schema (its rows kept)."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        db.engine.dispose()
    return url


def backend(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def bench_app(url: str) -> Any:
    return create_app(
        TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "TESTING": False}
    )


class QueryCount:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: Any) -> None:
        self.count += 1

    def __enter__(self) -> QueryCount:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", self)


def measure(
    calls: list[tuple[str | None, Callable[[], Any]]], runs: int = 30, warmup: int = 3
) -> dict[str, dict[str, float]]:
    """Median and 95th percentile in milliseconds of each named call over `runs` rounds after
    `warmup` rounds, the calls taken in turns within each round so all see the same machine
    load (a page and the floor page, or a page at two scales). A call named None is made but
    not timed: it settles an app in before its timed calls, so that the first of them does not
    pay alone for the switch from another app."""
    for _ in range(warmup):
        for _name, call in calls:
            call()
    times: dict[str, list[float]] = {name: [] for name, _call in calls if name is not None}
    for _ in range(runs):
        for name, call in calls:
            started = time.perf_counter()
            call()
            if name is not None:
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: _summary(sorted(each)) for name, each in times.items()}


def _summary(ordered: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
    }
