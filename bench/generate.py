"""A deterministic synthetic data set at scale factor S, written straight into a database.

S=1 is a large real network: 3 programmes, 12 themes, 300 cities, 150 pairs, 1,650 visits
(1,500 with reports), 4,500 recommendations, 15,000 actions, 150,000 progress updates,
20,000 notifications, about 2,000 deliverables. S=10 multiplies everything that grows with the
years (programmes, themes, pairs and all their history) by ten: nine earlier cycles of three
programmes, finished, behind the three running now. The cities stay the same 300, and so does
the work under way today.

    python -m bench.generate --scale 1 --database sqlite:///bench/data/s1.sqlite
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import flask_migrate
import sqlalchemy as sa

from config import BASE_DIR, TestConfig
from tracker import create_app
from tracker.auth.passwords import hash_password
from tracker.extensions import db

BENCH_PASSWORD = "bench-password-1"  # noqa: S105 - synthetic accounts only
CITIES = 300
THEMES_PER_PROGRAMME = 4
FACTORS_PER_THEME = 8
PAIRS_PER_THEME = 12.5
VISITS_PER_PAIR = 11  # ten held and reported, one planned
RECOMMENDATIONS_PER_REPORT = 3
ACTIONS_PER_PLAN = 100
UPDATES_PER_ACTION = 10
DELIVERABLES_PER_PAIR = 13
NOTIFICATIONS = 20_000
AUDIT_PER_PAIR = 20
CHUNK = 5_000


class Writer:
    """Bulk inserts with ids assigned here, so rows can refer to each other without queries."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.next_id: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: str, **values: Any) -> int:
        row_id = values.setdefault("id", self.next_id.get(table, 1))
        self.next_id[table] = row_id + 1
        self.rows.setdefault(table, []).append(values)
        if len(self.rows[table]) >= CHUNK:
            self.flush()
        return row_id

    def flush(self) -> None:
        """Write everything pending, parents before children (foreign keys are checked)."""
        for table in db.metadata.sorted_tables:
            rows = self.rows.pop(table.name, [])
            if rows:
                self.connection.execute(table.insert(), rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def add_link(self, table: str, **values: Any) -> None:
        """A row of a table without an id column (association tables)."""
        self.rows.setdefault(table, []).append(values)
        if len(self.rows[table]) >= CHUNK:
            self.flush()


def generate(url: str, scale: int, seed: int = 7) -> dict[str, int]:
    """Create the schema with the real migrations and fill it; return the row counts."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(BASE_DIR / "migrations"))
        password_hash = hash_password(BENCH_PASSWORD)
        with db.engine.begin() as connection:
            writer = Writer(connection)
            _fill(writer, random.Random(seed * 1000 + scale), scale, password_hash)
            writer.flush()
            if connection.dialect.name == "postgresql":
                for table in writer.next_id:  # our own table names, not user input
                    sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
                    highest = f'SELECT max(id) FROM "{table}"'  # noqa: S608
                    connection.exec_driver_sql(f"SELECT setval({sequence}, ({highest}))")
        if db.engine.dialect.name == "postgresql":
            # A live database is analysed by autovacuum as it grows; a freshly bulk-loaded one
            # has no statistics yet, and the planner would guess.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    return writer.counts


def _fill(w: Writer, rng: random.Random, scale: int, password_hash: str) -> None:
    now = datetime.now(UTC)
    today = now.date()
    stamp = {"created_at": now, "updated_at": now}
    network = w.add(
        "organisation",
        name="The Network",
        kind="network",
        country=None,
        timezone="Europe/Brussels",
        is_demo=False,
        **stamp,
    )
    experts = [
        w.add(
            "organisation",
            name=f"Expert partner {n}",
            kind="expert",
            country=None,
            timezone="Europe/Brussels",
            is_demo=False,
            **stamp,
        )
        for n in range(1, 7)
    ]
    cities = [
        w.add(
            "organisation",
            name=f"City {n:03d}",
            kind="city",
            country=f"Country {n % 27}",
            timezone="Europe/Brussels",
            is_demo=False,
            **stamp,
        )
        for n in range(1, CITIES + 1)
    ]
    members: dict[int, list[int]] = {}

    def user(role: str, organisation: int, label: str) -> int:
        user_id = w.add(
            "user",
            email=f"{label}@bench.example",
            name=label.replace("-", " ").title(),
            password_hash=password_hash,
            role=role,
            organisation_id=organisation,
            timezone="Europe/Brussels",
            active=True,
            session_version=1,
            email_frequency="immediate",
            is_demo=False,
            **stamp,
        )
        members.setdefault(organisation, []).append(user_id)
        return user_id

    coordinators = [user("coordinator", network, f"coordinator-{n}") for n in range(1, 6)]
    for number, expert in enumerate(experts, 1):
        for seat in (1, 2):
            user("expert", expert, f"expert-{number}-{seat}")
    for number, city in enumerate(cities, 1):
        for seat in (1, 2, 3):
            user("city", city, f"city-{number:03d}-{seat}")
    everyone = [uid for ids in members.values() for uid in ids]

    pair_total = 0
    for programme_number in range(1, 3 * scale + 1):
        # Three programmes run now; every further three ran one cycle (800 days) earlier and
        # are finished, so a larger scale adds history, not more work under way today.
        start = today - timedelta(days=800 * ((programme_number - 1) // 3) + 200)
        finished = start + timedelta(days=730) < today
        programme = w.add(
            "programme",
            key=f"programme-{programme_number}",
            name=f"Programme {programme_number}",
            period_start=start,
            period_end=start + timedelta(days=730),
            funder="A fund",
            **stamp,
        )
        for theme_number in range(THEMES_PER_PROGRAMME):
            theme = w.add(
                "theme",
                programme_id=programme,
                code="ABCD"[theme_number],
                title=f"Theme {programme_number}-{theme_number}",
                standard="The standard.",
                summary="",
                expert_organisation_id=experts[(programme_number + theme_number) % 6],
                **stamp,
            )
            factors, texts = [], []
            for position in range(1, FACTORS_PER_THEME + 1):
                factor = w.add(
                    "factor",
                    theme_id=theme,
                    key=f"factor-{position}",
                    position=position,
                    title=f"Factor {position} of the benchmark",
                    statement="What good looks like.",
                    **stamp,
                )
                factors.append(factor)
                questions = [
                    w.add(
                        "guide_question",
                        factor_id=factor,
                        position=question,
                        text=f"Does the city {question}?",
                    )
                    for question in range(1, 4)
                ]
                texts.append(_factor_text(factor, position, questions))
            # Rounds are taken against a published version of the benchmark.
            version = w.add(
                "benchmark_version",
                theme_id=theme,
                number=1,
                published_at=now,
                published_by_id=None,
                note="",
                content={"factors": texts},
            )
            count = int(PAIRS_PER_THEME * (theme_number + 1)) - int(PAIRS_PER_THEME * theme_number)
            partners = rng.sample(cities, count * 2)
            for index in range(count):
                pair_total += 1
                mentor, implementing = partners[2 * index], partners[2 * index + 1]
                _pair(
                    w,
                    rng,
                    now,
                    today,
                    programme,
                    theme,
                    factors,
                    version,
                    mentor,
                    implementing,
                    members,
                    experts[(programme_number + theme_number) % 6],
                    stamp,
                    finished,
                )
    for number in range(NOTIFICATIONS * scale):
        user_id = coordinators[0] if number % 10 == 0 else rng.choice(everyone)
        w.add(
            "notification",
            user_id=user_id,
            kind="comment",
            key=None,
            subject=f"Something happened on pair {number % max(pair_total, 1)}",
            body="",
            link="/",
            created_at=now - timedelta(minutes=number),
            read_at=None if number % 3 else now,
        )


def _factor_text(factor: int, position: int, questions: list[int]) -> dict[str, Any]:
    """A factor as a published version stores it (tracker/benchmarks/content.py)."""
    return {
        "id": factor,
        "key": f"factor-{position}",
        "title": f"Factor {position} of the benchmark",
        "statement": "What good looks like.",
        "rationale": "",
        "guide_questions": [
            {"id": question, "text": f"Does the city {number}?", "kind": "scale"}
            for number, question in enumerate(questions, 1)
        ],
        "examples": [],
    }


def _plan_status(pair: int, finished: bool) -> str:
    """Most plans are being implemented; one in ten waits for its review and endorsement."""
    if finished:
        return "completed"
    return "under_review" if pair % 10 == 3 else "in_implementation"


def _pair(
    w,
    rng,
    now,
    today,
    programme,
    theme,
    factors,
    version,
    mentor,
    implementing,
    members,
    expert,
    stamp,
    finished,
) -> None:
    pair = w.add(
        "pair",
        theme_id=theme,
        mentor_city_id=mentor,
        implementing_city_id=implementing,
        status="completed" if finished else "active",
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=330),
        notes="",
        is_demo=False,
        **stamp,
    )
    recommendation_ids = []
    for visit_number in range(VISITS_PER_PAIR):
        # Live pairs have their next visit in the coming four weeks, and one in five a visit
        # held in the last fortnight whose report is still to be written.
        planned = visit_number == VISITS_PER_PAIR - 1 and not finished
        unreported = visit_number == VISITS_PER_PAIR - 2 and pair % 5 == 0 and not finished
        if planned:
            starts = today + timedelta(days=1 + pair % 28)
        elif unreported:
            starts = today - timedelta(days=4 + pair % 10)
        else:
            starts = today - timedelta(days=380 - 36 * visit_number)
        visit = w.add(
            "visit",
            pair_id=pair,
            kind="mentoring",
            host_city_id=implementing,
            status="planned" if planned else ("held" if unreported else "reported"),
            starts_on=starts,
            ends_on=starts + timedelta(days=1),
            location="",
            agenda="Day 1 and day 2.",
            cancellation_reason="",
            version_id=1,
            **stamp,
        )
        for person in members[implementing][:2] + members[expert][:1]:
            w.add("visit_participant", visit_id=visit, user_id=person)
        if planned or unreported:
            continue
        report = w.add(
            "visit_report",
            visit_id=visit,
            summary="What the visit found.",
            author_id=members[expert][0],
            version_id=1,
            **stamp,
        )
        for kind in ("strength", "gap"):
            w.add(
                "observation",
                report_id=report,
                factor_id=rng.choice(factors),
                kind=kind,
                text="Seen.",
            )
        for position in range(1, RECOMMENDATIONS_PER_REPORT + 1):
            recommendation_ids.append(
                w.add(
                    "recommendation",
                    report_id=report,
                    position=position,
                    factor_id=rng.choice(factors),
                    text="Do this next.",
                    priority="medium",
                )
            )
        w.add(
            "follow_up",
            report_id=report,
            text="Send the notes.",
            owner_organisation_id=mentor,
            due_on=starts + timedelta(days=30),
            done_at=now if visit_number < 9 else None,
        )
    assessment = w.add(
        "assessment",
        city_id=implementing,
        theme_id=theme,
        benchmark_version_id=version,
        round="baseline",
        assessed_on=today - timedelta(days=390),
        status="completed",
        completed_at=now,
        version_id=1,
        **stamp,
    )
    for factor in factors:
        w.add(
            "factor_rating",
            assessment_id=assessment,
            factor_id=factor,
            level=rng.randint(0, 4),
            evidence="",
        )
    plan = w.add(
        "action_plan",
        pair_id=pair,
        objective="The objective.",
        status=_plan_status(pair, finished),
        status_changed_at=now - timedelta(days=20 if pair % 10 == 3 else 200),
        last_progress_at=now - timedelta(days=5),
        version_id=1,
        period_start=today - timedelta(days=300),
        period_end=today + timedelta(days=300),
        **stamp,
    )
    authors = members[implementing]
    for position in range(1, ACTIONS_PER_PLAN + 1):
        progress = rng.randint(0, 100)
        ends = today + timedelta(days=rng.randint(-60, 300))
        action = w.add(
            "action",
            plan_id=plan,
            position=position,
            title=f"Action {position}",
            description="",
            owner_name="A department",
            partners="",
            resources="",
            indicator="",
            target="",
            status="done" if progress == 100 else "on_track",
            progress=progress,
            starts_on=today - timedelta(days=200),
            ends_on=ends,
            recommendation_id=recommendation_ids[position - 1] if position <= 10 else None,
            version_id=1,
            **stamp,
        )
        for factor in rng.sample(factors, 2):
            w.add_link("action_factor", action_id=action, factor_id=factor)
        for update in range(UPDATES_PER_ACTION):
            w.add(
                "progress_update",
                action_id=action,
                author_id=authors[update % len(authors)],
                created_at=now - timedelta(days=5 * (UPDATES_PER_ACTION - update)),
                status="on_track",
                progress=min(progress, 10 * update),
                note="",
            )
    for number in range(DELIVERABLES_PER_PAIR):
        status = (
            "approved"
            if finished
            else ("planned", "in_progress", "submitted", "approved")[number % 4]
        )
        w.add(
            "deliverable",
            programme_id=programme,
            theme_id=theme,
            pair_id=pair,
            kind="other",
            title=f"Deliverable {number} of pair {pair}",
            description="",
            responsible_organisation_id=implementing,
            due_on=today + timedelta(days=30 * number - 120),
            status=status,
            approved_at=now if status == "approved" else None,
            review_note="",
            is_demo=False,
            version_id=1,
            **stamp,
        )
    for number in range(AUDIT_PER_PAIR):
        w.add(
            "audit_entry",
            at=now - timedelta(hours=number),
            actor_id=authors[0],
            action="action.progress",
            subject_type="Action",
            subject_id=None,
            pair_id=pair,
            summary=f"City {implementing} posted progress on action 'Action {number}' — 50%, on track",
            details={},
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database", required=True, help="an empty database's SQLAlchemy URL")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.database, args.scale)
    print(f"Generated scale {args.scale} in {time.perf_counter() - started:.1f} s:")
    for table, count in sorted(counts.items()):
        print(f"  {table:<20} {count:>10,}")


if __name__ == "__main__":
    main()
