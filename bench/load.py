"""A bounded load test on 127.0.0.1: gunicorn with 4 workers on PostgreSQL, signed-in users
reading dashboards and plans and posting progress for 60 seconds.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/postgres python -m bench.load

Prints requests per second, the 50th/95th/99th percentile latencies and the number of errors.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import sqlalchemy as sa

from bench.common import DATA, copy_of, ensure_data
from bench.generate import BENCH_PASSWORD
from config import BASE_DIR

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class VirtualUser(threading.Thread):
    """Signs in, then reads and writes in a loop until the deadline."""

    def __init__(
        self,
        email: str,
        pair_id: int,
        action_ids: list[int],
        deadline: float,
        seed: int,
        results: list,
        errors: list,
    ) -> None:
        super().__init__(daemon=True)
        self.email, self.pair_id, self.action_ids = email, pair_id, action_ids
        self.deadline, self.rng = deadline, random.Random(seed)
        self.results, self.errors = results, errors
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(BASE + path, data=body, timeout=30) as response:
                text = response.read().decode()
                if response.status >= 400:
                    raise urllib.error.HTTPError(path, response.status, "error", None, None)
        except Exception as error:  # noqa: BLE001 - every failure counts as an error
            self.errors.append(f"{path}: {error}")
            return ""
        self.results.append(time.perf_counter() - started)
        return text

    def sign_in(self) -> None:
        page = self.request("/sign-in")
        token = TOKEN.search(page)
        self.request(
            "/sign-in",
            {
                "email": self.email,
                "password": BENCH_PASSWORD,
                "csrf_token": token.group(1) if token else "",
            },
        )

    def post_progress(self) -> None:
        action = self.rng.choice(self.action_ids)
        page = self.request(f"/actions/{action}")
        token = TOKEN.search(page)
        if token:
            progress = self.rng.randint(1, 99)
            self.request(
                f"/actions/{action}",
                {
                    "csrf_token": token.group(1),
                    "status": "on_track",
                    "progress": progress,
                    "note": "Load test",
                },
            )

    def run(self) -> None:
        self.sign_in()
        while time.monotonic() < self.deadline:
            choice = self.rng.random()
            if choice < 0.35:
                self.request("/")
            elif choice < 0.6:
                self.request(f"/pairs/{self.pair_id}/plan")
            elif choice < 0.8:
                self.request(f"/pairs/{self.pair_id}")
            else:
                self.post_progress()


def city_users(url: str, count: int) -> list[tuple[str, int, list[int]]]:
    """Officers of implementing cities, each with their pair and some of its actions."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                'SELECT u.email, p.id, MIN(a.id) FROM "user" u '
                "JOIN pair p ON p.implementing_city_id = u.organisation_id "
                "JOIN action_plan ap ON ap.pair_id = p.id JOIN action a ON a.plan_id = ap.id "
                "GROUP BY u.email, p.id ORDER BY p.id, u.email LIMIT :n"
            ),
            {"n": count},
        ).all()
    engine.dispose()
    return [(email, pair_id, list(range(first, first + 20))) for email, pair_id, first in rows]


def wait_until_up(process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            urllib.request.urlopen(BASE + "/sign-in", timeout=2).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def drive(url: str, count: int, seconds: int, server: subprocess.Popen):
    """Run the virtual users against the started server until the deadline."""
    wait_until_up(server)
    results: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    users = [
        VirtualUser(email, pair, actions, deadline, seed, results, errors)
        for seed, (email, pair, actions) in enumerate(city_users(url, count))
    ]
    started = time.monotonic()
    for user in users:
        user.start()
    for user in users:
        user.join(seconds + 60)
    return users, results, errors, time.monotonic() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (the load test runs there).")
    with copy_of(ensure_data(1)) as url:  # the posted progress must not change the data set
        run(url, args)


def run(url: str, args: argparse.Namespace) -> None:
    env = {
        **os.environ,
        "TRACKER_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test-secret-key-that-is-long-enough-0123456789",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
    }
    DATA.mkdir(exist_ok=True)
    with (DATA / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(args.workers),
                "--bind",
                f"{HOST}:{PORT}",
                "--no-control-socket",  # gunicorn 27 shares one per user otherwise
                "--access-logfile",
                "-",
                "wsgi:app",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            users, results, errors, elapsed = drive(url, args.users, args.seconds, server)
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies = sorted(results)

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    print(
        f"\nLoad test: {len(users)} signed-in users, gunicorn with {args.workers} workers on "
        f"PostgreSQL, {args.seconds} s on {HOST}"
    )
    print(f"  requests   {len(latencies):,} ({len(latencies) / elapsed:.1f} per second)")
    print(
        f"  latency    p50 {percentile(0.50):.0f} ms, p95 {percentile(0.95):.0f} ms, "
        f"p99 {percentile(0.99):.0f} ms (mean {statistics.mean(latencies) * 1000:.0f} ms)"
    )
    print(f"  errors     {len(errors)}")
    for error in errors[:10]:
        print(f"    {error}")


if __name__ == "__main__":
    main()
