"""Time one full reminder run (every rule) at scale 1 and 10, on a copy of the data set.

The first run on a data set creates every reminder that is due; a second run finds them all
already sent and creates none. Both are timed.

    python -m bench.reminders
"""

from __future__ import annotations

import argparse
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bench.common import DATA, backend, bench_app, ensure_data
from tracker.db import utcnow
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.reminders.jobs import run_reminders


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


def time_runs(url: str) -> list[tuple[float, int]]:
    app = bench_app(url)
    timings = []
    with app.test_request_context(method="POST"):
        for _ in range(2):
            started = time.perf_counter()
            created = sum(run_reminders(utcnow()).values())
            timings.append((time.perf_counter() - started, created))
        total = db.session.execute(sa.select(sa.func.count(Notification.id))).scalar_one()
        db.session.remove()
        db.engine.dispose()
    print(f"    notifications now in the database: {total:,}")
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args(argv)
    rows = []
    for scale in args.scales:
        url = ensure_data(scale)
        with copy_of(url) as copy:
            print(f"  scale {scale} ({backend(url)}):")
            (first, created), (second, again) = time_runs(copy)
        rows.append((scale, backend(url), first, created, second, again))
    print(
        f"\n{'scale':>6} {'database':<11} {'first run':>10} {'created':>9} {'second run':>11} {'created':>8}"
    )
    for scale, engine, first, created, second, again in rows:
        print(f"{scale:>6} {engine:<11} {first:>9.2f}s {created:>9,} {second:>10.2f}s {again:>8,}")


if __name__ == "__main__":
    main()
