"""Time one full reminder run (every rule) at scale 1 and 10, on a copy of the data set.

The first run on a data set creates every reminder that is due; a second run finds them all
already sent and creates none. Both are timed.

    python -m bench.reminders
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa

from bench.common import backend, bench_app, copy_of, ensure_data
from tracker.db import utcnow
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.reminders.jobs import run_reminders


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
