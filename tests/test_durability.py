"""No write is lost: progress posted over real HTTP to gunicorn is stored, every acknowledged post,
under concurrent writers and across a SIGKILL of the whole server.

The database is built once per backend by the real migrations, with the bundled catalogue, the
demo (whose Dresden plan is being implemented) and Dresden officers who post progress; each test
works on its own copy. The server runs the production profile; the tests read the database
directly to judge what it stored.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import random
import sqlite3
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from http.client import HTTPException
from pathlib import Path
from typing import Any, NamedTuple

import flask_migrate
import pytest
import sqlalchemy as sa

from config import BASE_DIR, TestConfig
from tests.databases import empty_database
from tests.servers import Browser, Server
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.auth.passwords import hash_password
from tracker.catalogue.loader import bundled_files, load_files
from tracker.demo import seed_demo
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair
from tracker.plans.models import ActionPlan, PlanStatus

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gunicorn") is None or sys.platform != "linux",
    reason="needs gunicorn, and Linux /proc to check that its processes are gone",
)
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
        ),
    ),
]
PASSWORD = "durable-writes-2026"  # noqa: S105 - test accounts on a throw-away database
WRITERS = 12
POSTS_PER_WRITER = 12
WORKERS = {"sqlite": 3, "postgresql": 4}  # processes writing the same database at once
SAME_ACTION_WRITERS = 6  # these all post to the plan's first action: contention on one row
WRITERS_SECONDS = 90  # a bound, far above the few seconds the writers take
STATUSES = ("on_track", "at_risk", "delayed")
# What posting progress may change besides adding its update (and signing in: last_sign_in_at,
# a session row, its last use).
MAY_CHANGE = {
    "action": {"status", "progress", "version_id", "updated_at"},
    # The plan's figures over its actions, counted again by the database (plans/figures.py).
    "action_plan": {
        "last_progress_at",
        "version_id",
        "updated_at",
        "actions_counted",
        "progress_total",
        "recommendations_taken_up",
    },
    "user": {"last_sign_in_at", "updated_at"},
    "user_session": {"last_seen_at"},
}
MAY_GROW = {"progress_update", "audit_entry", "notification", "user_session"}


@dataclass
class Scheme:
    """The seeded database: Dresden's plan in implementation and its officers."""

    backend: str
    url: str
    tmp_path: Path
    pair_id: int
    plan_id: int
    action_ids: list[int]
    emails: list[str]

    def server(self, workers: int) -> Server:
        return Server(self.url, self.tmp_path / "gunicorn.log", workers=workers)

    def browser(self, server: Server, email: str) -> Browser:
        browser = Browser(server.base_url)
        browser.sign_in(email, PASSWORD)
        return browser


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scheme]:
    """The database seeded once per backend; each test works on a copy of it."""
    tmp_path = tmp_path_factory.mktemp("seeded")
    with empty_database(request.param, tmp_path, "durable") as url:
        yield seed(request.param, url, tmp_path)


@pytest.fixture
def scheme(seeded: Scheme, tmp_path: Path) -> Iterator[Scheme]:
    with copy_of(seeded.url, tmp_path) as url:
        yield replace(seeded, url=url, tmp_path=tmp_path)


@contextmanager
def copy_of(url: str, tmp_path: Path) -> Iterator[str]:
    """A copy of a database that nobody is connected to, dropped afterwards."""
    if url.startswith("sqlite"):
        target = tmp_path / "durable.sqlite"
        source_path = sa.engine.make_url(url).database
        with (
            closing(sqlite3.connect(source_path)) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)  # SQLite's online backup API, never a file copy
        yield f"sqlite:///{target}"
        return
    # Connected to the server's test database, as tests/databases.py does; never to the source.
    admin = sa.create_engine(os.environ["TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    source = sa.engine.make_url(url)
    name = f"{source.database}_{uuid.uuid4().hex[:6]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"')
        try:
            yield source.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def seed(backend: str, url: str, tmp_path: Path) -> Scheme:
    """Migrate, load the catalogue and the demo, and add Dresden officers with known passwords."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        load_files(bundled_files())
        seed_demo()
        dresden = db.session.execute(
            sa.select(Organisation).where(Organisation.name == "Dresden")
        ).scalar_one()
        password_hash = hash_password(PASSWORD)  # cheap Argon2 settings of TestConfig
        emails = [f"officer{number}@dresden.test" for number in range(WRITERS)]
        db.session.add_all(
            User(
                email=email,
                name=f"Dresden officer {number}",
                role=Role.CITY,
                organisation=dresden,
                password_hash=password_hash,
            )
            for number, email in enumerate(emails)
        )
        plan = db.session.execute(
            sa.select(ActionPlan).join(Pair).where(Pair.implementing_city_id == dresden.id)
        ).scalar_one()
        assert plan.status is PlanStatus.IN_IMPLEMENTATION
        scheme = Scheme(
            backend, url, tmp_path, plan.pair_id, plan.id, [a.id for a in plan.actions], emails
        )
        db.session.commit()
        db.engine.dispose()
    assert len(scheme.action_ids) >= 3
    return scheme


@dataclass
class Post:
    action_id: int
    status: str
    progress: int
    note: str
    outcome: int | str = "not sent"  # the HTTP status, or the error that stopped the request

    @property
    def acknowledged(self) -> bool:
        return self.outcome == 302

    def send(self, browser: Browser) -> None:
        """POST the progress form as a person would; a 302 is the app's 'saved'."""
        self.outcome = "in flight"
        response = browser.request(
            f"/actions/{self.action_id}",
            {"status": self.status, "progress": self.progress, "note": self.note},
        )
        self.outcome = response.status
        if response.status == 302 and response.location != f"/actions/{self.action_id}":
            self.outcome = f"302 to {response.location}"


def new_post(rng: random.Random, action_id: int, note: str) -> Post:
    return Post(action_id, rng.choice(STATUSES), rng.randint(0, 99), note)


# ---------------------------------------------------------------------------------------------
# Reading the database directly


@contextmanager
def connected(url: str) -> Iterator[sa.Connection]:
    """A connection of its own, closed, engine and all, afterwards."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


Rows = dict[str, dict[tuple, dict[str, Any]]]  # table name -> primary key -> column -> value


def snapshot(url: str) -> Rows:
    """Every row of every table, by primary key."""
    rows: Rows = {}
    with connected(url) as connection:
        for table in db.metadata.sorted_tables:
            key = [column.name for column in table.primary_key.columns]
            rows[table.name] = {
                tuple(row[name] for name in key): dict(row)
                for row in connection.execute(sa.select(table)).mappings()
            }
    return rows


def differences(before: Rows, after: Rows) -> dict[str, dict[str, Any]]:
    """Per table: keys of added and removed rows, and the changed columns of changed rows."""
    found = {}
    for table, old in before.items():
        new = after[table]
        changed = {
            key: {name for name, value in row.items() if old[key][name] != value}
            for key, row in new.items()
            if key in old and row != old[key]
        }
        added, removed = new.keys() - old.keys(), old.keys() - new.keys()
        if added or removed or changed:
            found[table] = {"added": added, "removed": removed, "changed": changed}
    return found


def new_updates(url: str, plan_id: int, after_id: int) -> dict[str, tuple[int, str, int]]:
    """The plan's progress updates added after the given id, by note: (action, status, %)."""
    with connected(url) as connection:
        rows = connection.execute(
            sa.text(
                "SELECT pu.note, pu.action_id, pu.status, pu.progress FROM progress_update pu "
                "JOIN action a ON a.id = pu.action_id WHERE a.plan_id = :plan AND pu.id > :id"
            ),
            {"plan": plan_id, "id": after_id},
        ).all()
    twice = [note for note, count in Counter(note for note, *_ in rows).items() if count > 1]
    assert twice == [], "posts stored twice"
    return {note: (action_id, status, progress) for note, action_id, status, progress in rows}


class Marks(NamedTuple):
    """The last progress update and audit entry before the test wrote anything."""

    update_id: int
    audit_id: int


def high_water(url: str) -> Marks:
    with connected(url) as connection:
        return Marks(
            *(
                connection.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar_one()  # noqa: S608
                for table in ("progress_update", "audit_entry")
            )
        )


def consistency_problems(url: str, plan_id: int, marks: Marks) -> list[str]:
    """What is inconsistent: broken pages or keys, an update without its action, an action (or
    the plan, or its figures) not showing its newest update, a new update without its audit
    entry."""
    problems = []
    with connected(url) as connection:

        def query(sql: str) -> sa.CursorResult:
            parameters = {"plan": plan_id, "update": marks.update_id, "audit": marks.audit_id}
            return connection.execute(sa.text(sql), parameters)

        if connection.dialect.name == "sqlite":
            integrity = [row[0] for row in query("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                problems.append(f"integrity_check: {integrity}")
            if foreign := query("PRAGMA foreign_key_check").all():
                problems.append(f"foreign_key_check: {foreign}")
        if orphans := query(
            "SELECT pu.id FROM progress_update pu LEFT JOIN action a ON a.id = pu.action_id "
            "WHERE a.id IS NULL"
        ).all():
            problems.append(f"updates without their action: {orphans}")
        newest = query(
            "SELECT a.id, a.status, a.progress, pu.status, pu.progress, pu.created_at "
            "FROM action a JOIN progress_update pu ON pu.action_id = a.id "
            "WHERE a.plan_id = :plan AND NOT EXISTS (SELECT 1 FROM progress_update later "
            "WHERE later.action_id = a.id AND (later.created_at > pu.created_at "
            "OR (later.created_at = pu.created_at AND later.id > pu.id)))"
        ).all()
        for action_id, status, progress, update_status, update_progress, _at in newest:
            if (status, progress) != (update_status, update_progress):
                problems.append(
                    f"action {action_id} shows {status} {progress}%, "
                    f"its newest update says {update_status} {update_progress}%"
                )
        last_progress_at = query(
            "SELECT last_progress_at FROM action_plan WHERE id = :plan"
        ).scalar_one()
        newest_at = max((row[-1] for row in newest), default=None)
        if last_progress_at != newest_at:
            problems.append(f"plan says last progress at {last_progress_at}, newest {newest_at}")
        kept = query(
            "SELECT actions_counted, progress_total FROM action_plan WHERE id = :plan"
        ).one()
        counted = query(
            "SELECT count(*), coalesce(sum(progress), 0) FROM action "
            "WHERE plan_id = :plan AND status <> 'dropped'"
        ).one()
        if tuple(kept) != tuple(counted):
            problems.append(f"plan's figures {tuple(kept)}, its actions {tuple(counted)}")
        updates = query(
            "SELECT COUNT(*) FROM progress_update pu JOIN action a ON a.id = pu.action_id "
            "WHERE a.plan_id = :plan AND pu.id > :update"
        ).scalar_one()
        audited = query(
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'action.progress' "
            "AND subject_type = 'Action' AND id > :audit "
            "AND subject_id IN (SELECT id FROM action WHERE plan_id = :plan)"
        ).scalar_one()
        if updates != audited:
            problems.append(f"{updates} new progress updates but {audited} audit entries")
    return problems


# ---------------------------------------------------------------------------------------------
# Many writers at once


class Writer(threading.Thread):
    """One officer, signed in over HTTP, posting progress as fast as the server takes it."""

    def __init__(self, number: int, scheme: Scheme, server: Server, start: threading.Barrier):
        super().__init__(name=f"writer-{number}", daemon=True)
        self.number, self.scheme, self.server, self.start_line = number, scheme, server, start
        rng = random.Random(number)
        actions = scheme.action_ids
        self.posts = [
            new_post(
                rng,
                actions[0]
                if number < SAME_ACTION_WRITERS
                else actions[(number + i) % len(actions)],
                f"writer {number} post {i} {uuid.uuid4().hex[:8]}",
            )
            for i in range(POSTS_PER_WRITER)
        ]
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            browser = self.scheme.browser(self.server, self.scheme.emails[self.number])
            form = browser.request(f"/actions/{self.posts[0].action_id}")
            assert form.status == 200 and 'name="progress"' in form.body, "no progress form"
            self.start_line.wait(timeout=60)
            for post in self.posts:
                post.send(browser)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error
            self.start_line.abort()


def test_concurrent_progress_posts_are_all_stored(scheme: Scheme):
    before, marks = snapshot(scheme.url), high_water(scheme.url)
    start_line = threading.Barrier(WRITERS)
    with scheme.server(WORKERS[scheme.backend]) as server:
        writers = [Writer(number, scheme, server, start_line) for number in range(WRITERS)]
        started = time.monotonic()
        for writer in writers:
            writer.start()
        deadline = started + WRITERS_SECONDS
        for writer in writers:
            writer.join(timeout=max(0, deadline - time.monotonic()))
        elapsed = time.monotonic() - started
        log = server.log()
    assert not any(writer.is_alive() for writer in writers), "a writer hung"
    assert [w.error for w in writers if w.error] == [], log
    posts = [post for writer in writers for post in writer.posts]
    refused = [(post.action_id, post.note, post.outcome) for post in posts if not post.acknowledged]
    assert refused == [], (
        f"{len(refused)} of {len(posts)} posts refused on {scheme.backend} "
        f"in {elapsed:.1f} s:\n{refused[:10]}\n{log}"
    )

    after = snapshot(scheme.url)
    assert new_updates(scheme.url, scheme.plan_id, marks.update_id) == {
        post.note: (post.action_id, post.status, post.progress) for post in posts
    }
    assert consistency_problems(scheme.url, scheme.plan_id, marks) == []

    # Nothing else changed: only the rows that posting progress (and signing in) may touch.
    changes = differences(before, after)
    assert set(changes) <= MAY_GROW | set(MAY_CHANGE), sorted(changes)
    assert all(not change["removed"] for change in changes.values())
    for table, change in changes.items():
        assert not change["changed"] or table in MAY_CHANGE, (table, change["changed"])
        assert not change["added"] or table in MAY_GROW, (table, change["added"])
        for columns in change["changed"].values():
            assert columns <= MAY_CHANGE[table], (table, columns)
    assert len(changes["progress_update"]["added"]) == len(posts)
    assert {key for (key,) in changes["action"]["changed"]} <= set(scheme.action_ids)
    assert {key for (key,) in changes["action_plan"]["changed"]} == {scheme.plan_id}
    users = after["user"]
    assert {users[key]["email"] for key in changes["user"]["changed"]} == set(scheme.emails)
    audit = after["audit_entry"]
    assert Counter(audit[key]["action"] for key in changes["audit_entry"]["added"]) == {
        "action.progress": len(posts)
    }
    notified = after["notification"]
    assert {notified[key]["kind"] for key in changes.get("notification", {}).get("added", ())} <= {
        "progress"
    }
    # Each row went up one version per post: no post overwrote another's change unseen.
    per_action = Counter(post.action_id for post in posts)
    assert per_action[scheme.action_ids[0]] >= SAME_ACTION_WRITERS * POSTS_PER_WRITER
    for action_id in scheme.action_ids:
        old, new = before["action"][(action_id,)], after["action"][(action_id,)]
        assert new["version_id"] - old["version_id"] == per_action[action_id], action_id
    old_plan, new_plan = (rows["action_plan"][(scheme.plan_id,)] for rows in (before, after))
    assert new_plan["version_id"] - old_plan["version_id"] == len(posts)


# ---------------------------------------------------------------------------------------------
# A crash in the middle of a stream of writes


class Stream(threading.Thread):
    """One officer posting progress back to back until the server stops answering."""

    def __init__(self, browser: Browser, action_ids: list[int], rng: random.Random) -> None:
        super().__init__(name="stream", daemon=True)
        self.browser, self.action_ids, self.rng = browser, action_ids, rng
        self.posts: list[Post] = []
        self.acknowledged = threading.Semaphore(0)
        self.stop = threading.Event()

    def run(self) -> None:
        for number in itertools.count():
            if self.stop.is_set():
                return
            post = new_post(
                self.rng,
                self.action_ids[number % len(self.action_ids)],
                f"stream post {number} {uuid.uuid4().hex[:8]}",
            )
            self.posts.append(post)
            try:
                post.send(self.browser)
            except (OSError, HTTPException) as error:  # the server died under the request
                post.outcome = f"{type(error).__name__}: {error}"
                return
            if not post.acknowledged:
                return
            self.acknowledged.release()


def test_acknowledged_posts_survive_sigkill_of_the_server(scheme: Scheme):
    rng = random.Random(f"sigkill-{scheme.backend}")
    kill_after = rng.randint(20, 40)
    officer = scheme.emails[0]
    marks = high_water(scheme.url)
    server = scheme.server(workers=1)
    stream = None
    try:
        server.start()
        stream = Stream(scheme.browser(server, officer), scheme.action_ids, rng)
        stream.start()
        for count in range(kill_after):
            assert stream.acknowledged.acquire(timeout=30), (
                f"only {count} posts acknowledged: {stream.posts[-1:]}\n{server.log()}"
            )
        server.kill()  # the stream is posting: a request is most likely in flight
    finally:
        if stream is not None:
            stream.stop.set()
            stream.join(timeout=60)
        server.stop()
    assert stream is not None and not stream.is_alive()

    posts = stream.posts
    acknowledged = [post for post in posts if post.acknowledged]
    unsettled = [post for post in posts if not post.acknowledged]
    assert len(acknowledged) >= kill_after
    # At most the post the kill cut off is unsettled: the stream stops at the first failure.
    assert len(unsettled) <= 1 and not any(isinstance(p.outcome, int) for p in unsettled), unsettled
    # Nothing is up: the kill took every gunicorn process with it (Server checks /proc).

    stored = new_updates(scheme.url, scheme.plan_id, marks.update_id)
    for post in acknowledged:
        assert stored.get(post.note) == (post.action_id, post.status, post.progress), post
    # The post cut off by the kill is stored whole or not at all; nothing else appeared.
    assert stored.keys() - {post.note for post in acknowledged} <= {p.note for p in unsettled}
    assert consistency_problems(scheme.url, scheme.plan_id, marks) == []

    with scheme.server(workers=1) as restarted:
        browser = scheme.browser(restarted, officer)
        plan_page = browser.request(f"/pairs/{scheme.pair_id}/plan")
        assert plan_page.status == 200
        last = acknowledged[-1]
        action_page = browser.request(f"/actions/{last.action_id}")
        assert action_page.status == 200 and last.note in action_page.body
        after_restart = new_post(rng, scheme.action_ids[0], "posted after the restart")
        after_restart.send(browser)
        assert after_restart.acknowledged, after_restart
    stored = new_updates(scheme.url, scheme.plan_id, marks.update_id)
    assert stored[after_restart.note] == (
        after_restart.action_id,
        after_restart.status,
        after_restart.progress,
    )
    assert consistency_problems(scheme.url, scheme.plan_id, marks) == []
