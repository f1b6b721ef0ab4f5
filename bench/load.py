"""A bounded load test on 127.0.0.1: gunicorn (4 workers) on PostgreSQL, on a copy of the
scale-1 data set, driven by signed-in users of all three roles.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/postgres python -m bench.load
    ... python -m bench.load --mode realistic --users 300 --seconds 120
    ... python -m bench.load --mode saturation --users 40 --seconds 30

Realistic: each person signs in (spread over a ramp-up), then reads and writes as their role
does, pausing 5-15 s between steps: coordinators read the dashboard, visits, deliverables and
notifications; experts their dashboard, visits and pairs; city officers their dashboard, plan,
pair and actions, post progress and comments, and download the plan as a spreadsheet.
Saturation: the same steps with no pause, then the floor page alone with no pause, so the mixed
workload's throughput is read against the stack's own in the same run.

Prints requests, requests per second, p50/p95/p99 latencies and errors (sign-ins apart), then
the same for each kind of request (ids in the address left out), the costliest first. Each HTTP
request counts: a form's post and the page its redirect leads to are two.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

import sqlalchemy as sa

from bench.common import DATA, copy_of, ensure_data
from bench.generate import BENCH_PASSWORD
from config import BASE_DIR

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
DIGITS = re.compile(r"\d+")
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
FLOOR = "/about"
REDIRECTS = (301, 302, 303, 307, 308)
THINK_SECONDS = (5.0, 15.0)
# Sign-ins are spread over this, as people arrive: five a second for 300 people. Each is an
# Argon2 hash of 64 MiB; crammed into 20 s they queued every request behind them for a minute.
RAMP_SECONDS = 60.0


@dataclass
class Tally:
    """What the users saw, shared by their threads (list.append is atomic in CPython)."""

    latencies: list[tuple[float, str]] = field(default_factory=list)  # seconds, kind of request
    sign_ins: list[tuple[float, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Person:
    role: str
    email: str
    pair_id: int
    action_ids: tuple[int, ...]
    visit_id: int


class Unfollowed(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers, so the page they lead to is requested (and timed) apart."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class VirtualUser(threading.Thread):
    """One person: signs in, then takes steps of their role until the deadline."""

    def __init__(self, person: Person, tally: Tally, plan: Plan, seed: int) -> None:
        super().__init__(daemon=True)
        self.person, self.tally, self.plan = person, tally, plan
        self.rng = random.Random(seed)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), Unfollowed()
        )

    def request(self, path: str, data: dict | None = None, into: list | None = None) -> str:
        """One HTTP request, timed and counted; a redirect is followed by a request of its own
        (a form's post and the page it leads to are two requests the server answers)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started, follow = time.perf_counter(), None
        try:
            with self.opener.open(BASE + path, data=body, timeout=30) as response:  # noqa: S310
                content = response.read()
        except urllib.error.HTTPError as error:
            if error.code not in REDIRECTS:
                self.tally.errors.append(f"{path}: {error}")
                return ""
            content, follow = error.read(), error.headers["Location"]
        except Exception as error:  # noqa: BLE001 - every failure counts as an error
            self.tally.errors.append(f"{path}: {error}")
            return ""
        kind = ("POST " if data is not None else "GET ") + DIGITS.sub("{id}", path)
        (self.tally.latencies if into is None else into).append(
            (time.perf_counter() - started, kind)
        )
        if follow:
            target = urllib.parse.urlsplit(urllib.parse.urljoin(BASE + path, follow))
            return self.request(
                target.path + (f"?{target.query}" if target.query else ""), into=into
            )
        return content.decode(errors="replace")

    def form(self, page: str, path: str, values: dict) -> None:
        token = TOKEN.search(page)
        if token:
            self.request(path, {"csrf_token": token.group(1), **values})

    def sign_in(self) -> None:
        page = self.request("/sign-in", into=self.tally.sign_ins)
        token = TOKEN.search(page)
        values = {"email": self.person.email, "password": BENCH_PASSWORD}
        values["csrf_token"] = token.group(1) if token else ""
        self.request("/sign-in", values, into=self.tally.sign_ins)

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.plan.ramp))
        self.sign_in()
        steps = self.plan.steps[self.person.role]
        while time.monotonic() < self.plan.deadline:
            self.rng.choice(steps)(self)
            if self.plan.think:
                time.sleep(self.rng.uniform(*self.plan.think))


@dataclass
class Plan:
    """How the crowd behaves: until when, arriving over how long, pausing how long, doing what."""

    deadline: float
    ramp: float
    think: tuple[float, float] | None
    steps: dict[str, list[Callable[[VirtualUser], None]]]


def post_progress(user: VirtualUser) -> None:
    action = user.rng.choice(user.person.action_ids)
    page = user.request(f"/actions/{action}")
    values = {"status": "on_track", "progress": user.rng.randint(1, 99), "note": "Load test"}
    user.form(page, f"/actions/{action}", values)


def post_comment(user: VirtualUser) -> None:
    pair = user.person.pair_id
    page = user.request(f"/pairs/{pair}/plan")
    user.form(page, f"/pairs/{pair}/plan/comments", {"body": "Seen in the load test, thanks."})


def reader(path: str) -> Callable[[VirtualUser], None]:
    def read(user: VirtualUser) -> None:
        person = user.person
        user.request(path.format(pair=person.pair_id, visit=person.visit_id))

    return read


# Each role's steps, repeated where a step is commoner.
STEPS: dict[str, list[Callable[[VirtualUser], None]]] = {
    "coordinator": [
        reader("/?programme=programme-1"),
        reader("/?programme=programme-1"),
        reader("/visits/"),
        reader("/programmes/programme-1/deliverables"),
        reader("/notifications/"),
        reader("/pairs/{pair}"),
    ],
    "expert": [
        reader("/"),
        reader("/"),
        reader("/visits/"),
        reader("/visits/{visit}"),
        reader("/pairs/{pair}"),
        reader("/pairs/{pair}/plan"),
    ],
    "city": [
        reader("/"),
        reader("/"),
        reader("/pairs/{pair}/plan"),
        reader("/pairs/{pair}/plan"),
        reader("/pairs/{pair}"),
        post_progress,
        post_progress,
        post_comment,
        reader("/pairs/{pair}/plan/export.xlsx"),
    ],
}


def people(url: str, count: int) -> list[Person]:
    """All coordinators and experts, then officers of implementing cities with a plan (each with
    their pair, some of its actions and one of its visits), `count` in all."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        staff = connection.execute(
            sa.text(
                'SELECT u.role, u.email, MIN(p.id), MIN(v.id) FROM "user" u '
                "JOIN theme t ON (u.role = 'expert' AND t.expert_organisation_id = u.organisation_id)"
                " OR u.role = 'coordinator' "
                "JOIN pair p ON p.theme_id = t.id JOIN visit v ON v.pair_id = p.id "
                "WHERE u.role IN ('coordinator', 'expert') GROUP BY u.role, u.email ORDER BY u.email"
            )
        ).all()
        cities = connection.execute(
            sa.text(
                'SELECT u.email, p.id, MIN(a.id), MIN(v.id) FROM "user" u '
                "JOIN pair p ON p.implementing_city_id = u.organisation_id "
                "JOIN action_plan ap ON ap.pair_id = p.id JOIN action a ON a.plan_id = ap.id "
                "JOIN visit v ON v.pair_id = p.id "
                "GROUP BY u.email, p.id ORDER BY p.id, u.email LIMIT :n"
            ),
            {"n": max(count - len(staff), 0)},
        ).all()
    engine.dispose()
    chosen = [Person(role, email, pair, (), visit) for role, email, pair, visit in staff]
    chosen += [
        Person("city", email, pair, tuple(range(first, first + 20)), visit)
        for email, pair, first, visit in cities
    ]
    return chosen[:count]


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


def drive(crowd: list[Person], plan: Plan, seed: int) -> tuple[Tally, float]:
    """Run the people until the plan's deadline; the tally and the seconds measured (after
    the ramp-up, when everyone has arrived)."""
    tally = Tally()
    users = [VirtualUser(person, tally, plan, seed + n) for n, person in enumerate(crowd)]
    for user in users:
        user.start()
    time.sleep(plan.ramp)
    measured_from, before = time.monotonic(), len(tally.latencies)
    for user in users:
        user.join(max(plan.deadline - time.monotonic(), 0) + 60)
    del tally.latencies[:before]  # the ramp-up's requests: the crowd was not all there yet
    # Until the deadline: the last pauses after it are nobody's requests.
    return tally, plan.deadline - measured_from


def floor_only(crowd: list[Person], seconds: float) -> tuple[Tally, float]:
    """The floor page alone, by as many signed-in people with no pause."""
    steps = {role: [reader(FLOOR)] for role in STEPS}
    return drive(crowd, Plan(time.monotonic() + 5 + seconds, 5, None, steps), seed=10_000)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["realistic", "saturation"], default="realistic")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--users", type=int, default=None)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ramp", type=float, default=RAMP_SECONDS, help="seconds of arrivals")
    args = parser.parse_args(argv)
    realistic = args.mode == "realistic"
    args.users = args.users or (300 if realistic else 40)
    args.seconds = args.seconds or (120 if realistic else 30)
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (the load test runs there).")
    # On a copy: the posted progress must not change the data set.
    with copy_of(ensure_data(1)) as url, served(url, args.workers):
        crowd = people(url, args.users)
        if realistic:
            ramp = args.ramp
            plan = Plan(time.monotonic() + ramp + args.seconds, ramp, THINK_SECONDS, STEPS)
            tally, elapsed = drive(crowd, plan, seed=1)
            print_figures(f"Realistic, {len(crowd)} people", tally, elapsed, args)
        else:
            plan = Plan(time.monotonic() + 5 + args.seconds, 5, None, STEPS)
            mixed, mixed_seconds = drive(crowd, plan, seed=1)
            floor, floor_seconds = floor_only(crowd, args.seconds)
            print_figures(f"Saturation, {len(crowd)} people", mixed, mixed_seconds, args)
            print_figures(f"Floor page {FLOOR} alone", floor, floor_seconds, args)
            ratio = (len(mixed.latencies) / mixed_seconds) / (len(floor.latencies) / floor_seconds)
            print(f"\n  mixed workload / floor page throughput: {ratio:.2f}")


@contextmanager
def served(url: str, workers: int) -> Iterator[None]:
    """gunicorn in production mode on the database, for the length of the block."""
    env = {
        **os.environ,
        "TRACKER_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test-secret-key-that-is-long-enough-0123456789",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
    }
    DATA.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               f"{HOST}:{PORT}", "--no-control-socket", "wsgi:app"]  # fmt: skip
    with (DATA / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(server)
            yield
        finally:
            server.terminate()
            server.wait(timeout=30)


def print_figures(title: str, tally: Tally, seconds: float, args: argparse.Namespace) -> None:
    if not tally.latencies:
        print(f"\n{title}: no request answered; errors {len(tally.errors)}")
        return
    latencies = sorted(elapsed for elapsed, _kind in tally.latencies)
    print(
        f"\n{title}: gunicorn with {args.workers} workers on PostgreSQL, "
        f"{seconds:.0f} s measured on {HOST}"
    )
    print(f"  requests   {len(latencies):,} ({len(latencies) / seconds:.1f} per second)")
    print(
        f"  latency    p50 {percentile(latencies, 0.50):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms"
    )
    if tally.sign_ins:
        signs = sorted(elapsed for elapsed, _kind in tally.sign_ins)
        posted = sum(1 for _elapsed, kind in tally.sign_ins if kind.startswith("POST"))
        print(f"  sign-ins   {posted}, p95 {percentile(signs, 0.95):.0f} ms")
    print(f"  errors     {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"    {error}")
    by_kind: dict[str, list[float]] = {}
    for elapsed, kind in tally.latencies:
        by_kind.setdefault(kind, []).append(elapsed)
    print(f"\n  {'request':<44}{'count':>7}{'p50 ms':>8}{'p95 ms':>8}{'share of time':>15}")
    total = sum(latencies)
    for kind, times in sorted(by_kind.items(), key=lambda item: -sum(item[1])):
        times.sort()
        print(
            f"  {kind:<44}{len(times):>7}{percentile(times, 0.50):>8.0f}"
            f"{percentile(times, 0.95):>8.0f}{sum(times) / total:>15.0%}"
        )


def percentile(ordered: list[float], share: float) -> float:
    """In milliseconds, from seconds in ascending order."""
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


if __name__ == "__main__":
    main()
