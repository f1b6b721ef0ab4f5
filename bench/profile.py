"""Where one key page spends its time: SQL (each query's time), and the Python functions under
the request (cProfile), at one scale, on SQLite or (with DATABASE_URL) PostgreSQL.

    python -m bench.profile "coordinator dashboard" --scale 10
    python -m bench.profile "plan page" --runs 50 --top 30

The page is any name of bench.pages (a prefix is enough).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from bench.common import bench_app, ensure_data
from bench.pages import PAGES, people, signed_in


class QueryTimes:
    """Time spent in each SQL statement, summed over the runs."""

    def __init__(self) -> None:
        self.times: dict[str, float] = defaultdict(float)
        self.started: list[float] = []

    def before(self, *args: Any) -> None:
        self.started.append(time.perf_counter())

    def after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.times[" ".join(statement.split())] += time.perf_counter() - self.started.pop()

    def __enter__(self) -> QueryTimes:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self.before)
        sa.event.listen(sa.engine.Engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", self.before)
        sa.event.remove(sa.engine.Engine, "after_cursor_execute", self.after)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a page of bench.pages, or the start of its name")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=25, help="how many functions to list")
    parser.add_argument("--sort", default="cumulative", help="cumulative, or tottime: own time")
    args = parser.parse_args(argv)
    name, role, path = next(page for page in PAGES if page[0].startswith(args.page))
    app = bench_app(ensure_data(args.scale))
    who = people(app)
    client, target = signed_in(app, who[role]), path.format(**who["places"])
    for _ in range(3):
        client.get(target).close()
    profile = cProfile.Profile()
    with QueryTimes() as queries:
        started = time.perf_counter()
        profile.enable()
        for _ in range(args.runs):
            response = client.get(target)
            assert response.status_code == 200, response.status_code
            response.close()
        profile.disable()
        total = (time.perf_counter() - started) / args.runs * 1000
    sql = sum(queries.times.values()) / args.runs * 1000
    print(f"\n{name} at scale {args.scale}: {total:.1f} ms a request under the profiler, "
          f"{sql:.1f} ms of it in SQL\n")  # fmt: skip
    for statement, spent in sorted(queries.times.items(), key=lambda item: -item[1]):
        print(f"{spent / args.runs * 1000:7.2f} ms  {statement[:150]}")
    print()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
