"""A small world holding one of everything a URL can name, and the URLs of every route in it.

`build_world` makes, around the `scheme` pair, a visit held and reported, a planned visit, an
action plan under review with an action, progress, a comment and an endorsement, self-assessment
rounds, deliverables with a file and a link, a notification with its email, and a second pair
(of another theme and other cities) whose objects the scheme's city members may not touch.

`route_urls` turns the application's URL map into concrete URLs: each URL argument takes its
values from the world, so a new route is exercised as soon as it exists, and a route with an
argument the world cannot fill fails the tests until the world learns it.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from openpyxl import load_workbook
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from tests.assessments import add_round
from tests.factories import PASSWORD, build_scheme
from tests.signing_in import open_session, sign_in_client
from tracker.assessments.models import AssessmentRound, AssessmentStatus
from tracker.auth.models import Role, UserSession
from tracker.auth.tokens import password_token
from tracker.benchmarks.content import Benchmark, live_benchmark
from tracker.benchmarks.models import BenchmarkDraft, DraftSource
from tracker.bin.models import BinEntry, BinKind
from tracker.deliverables.models import DeliverableKind
from tracker.deliverables.service import add_file, add_link
from tracker.files.service import Upload, attach
from tracker.messages import N_
from tracker.notifications.models import Notification, OutboxEmail
from tracker.notifications.service import notify
from tracker.notifications.unsubscribe import unsubscribe_token
from tracker.pairs.models import PairStatus
from tracker.plans.models import (
    ActionStatus,
    Endorsement,
    EndorsementLevel,
    PlanComment,
    PlanStatus,
    ProgressUpdate,
)
from tracker.plans.progress_sheet import progress_sheet
from tracker.programmes.models import DeliverableTemplate, ResponsibleParty
from tracker.scheduler import JOBS
from tracker.visits.models import FollowUp, Observation, ObservationKind, VisitStatus

CATALOGUE = b"""format: tracker-catalogue/1
programme:
  key: hostile-test
  name: A programme loaded by the hostile-input tests
"""
# A real (tiny) PNG: accepted by the upload check, which reads the content.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
NEVER = datetime(2999, 1, 1, tzinfo=UTC)
ROLES = ("coordinator", "implementer", "mentor", "expert", "other_expert", "outsider")
SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}  # files shipped with the app


@dataclass
class World:
    """Plain ids and keys (no ORM objects: examples roll back to this world and start again)."""

    sessions: dict[str, str]  # role -> the token of a session of theirs that never ends
    user_ids: dict[str, int]
    pair_id: int
    other_pair_id: int
    args: dict[str, list[Any]]  # URL argument -> values from the scheme's pair and around it
    foreign: dict[str, list[Any]] = field(default_factory=dict)  # ... from the other pair
    by_endpoint: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # overrides
    known: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # form values by endpoint

    def values_for(self, endpoint: str) -> dict[str, list[Any]]:
        """The URL argument values for one endpoint."""
        return {**self.args, **self.by_endpoint.get(endpoint, {})}


def next_version(theme: Any) -> dict[str, Any]:
    return Benchmark(live_benchmark(theme.id).factors[:-1]).to_json()


def build_world(make: Any, session: Any) -> World:
    scheme = build_scheme(make)
    pair, theme = scheme["pair"], scheme["theme"]
    coordinator, implementer = scheme["coordinator"], scheme["implementer"]
    factors = theme.factors
    # Drafts of the next versions, without their last factor: the pair's theme's written in
    # the tracker, another theme's from a file.
    other_theme = make.theme(code="C")
    drafts = [
        BenchmarkDraft(theme=theme, based_on=1, content=next_version(theme)),
        BenchmarkDraft(
            theme=other_theme,
            based_on=1,
            source=DraftSource.FILE,
            content=next_version(other_theme),
        ),
    ]

    held = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 10))
    report = make.report(held, recommendations=2, author=scheme["expert"])
    report.observations.append(
        Observation(factor=factors[0], kind=ObservationKind.GAP, text="No one-stop shop yet")
    )
    report.follow_ups.append(
        FollowUp(
            text="Send the slides",
            owner_organisation=pair.implementing_city,
            due_on=date(2026, 3, 20),
        )
    )
    planned = make.visit(pair)

    plan = make.plan(pair, status=PlanStatus.UNDER_REVIEW, objective="A welcome desk")
    action = make.action(
        plan, status=ActionStatus.ON_TRACK, progress=20, recommendation=report.recommendations[0]
    )
    update = ProgressUpdate(
        action=action, status=ActionStatus.ON_TRACK, progress=20, author=implementer
    )
    comment = PlanComment(plan_id=plan.id, body="Looks good", author=scheme["mentor"])
    in_bin = BinEntry(
        kind=BinKind.FOLLOW_UP,
        object_id=0,
        title="A follow-up deleted by mistake",
        contents={"rows": {}, "links": [], "files": []},
    )
    session.add_all(
        [
            update,
            comment,
            PlanComment(
                plan_id=plan.id, action_id=action.id, body="Who owns this?", author=scheme["expert"]
            ),
            in_bin,
            *drafts,
        ]
    )
    completed = add_round(session, pair.implementing_city, theme, [1] * len(factors))
    draft = add_round(
        session,
        pair.implementing_city,
        theme,
        [2] * len(factors),
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 20),
        status=AssessmentStatus.DRAFT,
    )

    deliverable = make.deliverable(pair.implementing_city, pair, kind=DeliverableKind.ACTION_PLAN)
    infographic = make.deliverable(pair.implementing_city, pair, kind=DeliverableKind.INFOGRAPHIC)
    stored = add_file(coordinator, deliverable, "plan.png", PNG)
    add_link(coordinator, deliverable, "https://example.org/video", "The video")
    (minutes,) = attach(coordinator, [Upload("minutes.png", PNG)], report)
    (notification,) = notify([implementer], "comment", N_("A comment"), f"/pairs/{pair.id}/plan")
    implementer.calendar_token = "calendar-token-of-the-implementer"
    coordinator.calendar_token = "calendar-token-of-the-coordinator"
    spare = make.user(Role.CITY, pair.mentor_city, name="Spare Person")
    session.flush()
    email = session.execute(
        sa.select(OutboxEmail).where(OutboxEmail.notification_id == notification.id)
    ).scalar_one()

    # A second pair, of another theme and other cities: ids the scheme's members may not use.
    other = make.pair(make.theme(code="A"))
    other_visit = make.visit(other, status=VisitStatus.HELD, starts_on=date(2026, 1, 12))
    other_report = make.report(other_visit, recommendations=1)
    other_plan = make.plan(other, status=PlanStatus.ADMIN_ENDORSED)
    other_action = make.action(other_plan)
    # Recorded on the other pair's plan, so the scheme's own plan can still be endorsed.
    endorsement = Endorsement(
        plan=other_plan,
        level=EndorsementLevel.ADMINISTRATIVE,
        body="Council decision 2026/1",
        decided_on=date(2026, 2, 25),
    )
    session.add(endorsement)
    untouched = make.pair(make.theme(code="C"))  # nothing happened in it yet: it can be deleted
    # Riga's earlier pair, completed months ago: its check-in is due (and its form is shown).
    finished = make.pair(
        make.theme(code="C"), implementing=pair.implementing_city, status=PairStatus.COMPLETED
    )
    finished.completed_at = datetime(2025, 9, 2, 10, 0, tzinfo=UTC)
    make.action(make.plan(finished, status=PlanStatus.COMPLETED), title="Finished action")
    other_round = add_round(
        session, other.implementing_city, other.theme, [0] * len(other.theme.factors)
    )
    other_deliverable = make.deliverable(other.implementing_city, other)
    other_file = add_file(coordinator, other_deliverable, "other.png", PNG)
    stranger = make.city_member(other.implementing_city)
    other_notification = Notification(user=stranger, kind="comment", subject="Theirs", link="/")
    session.add(other_notification)
    template = DeliverableTemplate(
        programme=theme.programme,
        kind=DeliverableKind.INFOGRAPHIC,
        title="Infographic",
        months_after_start=12,
        responsible=ResponsibleParty.EXPERT_ORGANISATION,
    )
    session.add(template)
    session.flush()

    users = {role: scheme[role] for role in ROLES}
    sessions = {role: open_session(user) for role, user in users.items()}
    # The world is built on a frozen day and attacked on any day: its sessions never run out.
    session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id.in_([user.id for user in users.values()]))
        .values(expires_at=NEVER, last_seen_at=NEVER)
    )
    return World(
        sessions=sessions,
        user_ids={role: user.id for role, user in users.items()},
        pair_id=pair.id,
        other_pair_id=other.id,
        args={
            "pair_id": [pair.id],
            "visit_id": [planned.id, held.id],
            "action_id": [action.id],
            "recommendation_id": [report.recommendations[1].id],
            "assessment_id": [draft.id, completed.id],
            "deliverable_id": [deliverable.id, infographic.id],
            "file_id": [stored.id],
            "notification_id": [notification.id],
            "follow_up_id": [report.follow_ups[0].id],
            "comment_id": [comment.id],
            "endorsement_id": [endorsement.id],
            "update_id": [update.id],
            "entry_id": [in_bin.id],
            "attachment_id": [minutes.id],
            "organisation_id": [pair.implementing_city_id],
            "user_id": [spare.id],
            "email_id": [email.id],
            "key": [theme.programme.key],
            "code": [theme.code],
            "number": [1],
            "factor_key": [theme.factors[0].key],
            "job_id": [JOBS[0].id],
            "context_factor_id": [theme.programme.context_factors[0].id],
            "template_id": [template.id],
            "months": [6],
        },
        by_endpoint={
            "calendars.feed": {"token": [implementer.calendar_token]},
            "calendars.programme_feed": {"token": [coordinator.calendar_token]},
            "auth.set_password": {"token": [password_token(spare)]},
            "unsubscribe.confirm": {"token": [unsubscribe_token(spare.id)]},
            "pairs.delete": {"pair_id": [untouched.id]},
            "checkins.answer": {"pair_id": [finished.id]},
        },
        known={
            "auth.sign_in": {"email": [implementer.email], "password": [PASSWORD]},
            "auth.change_own_password": {"current_password": [PASSWORD]},
            "catalogue.load": {"file": [(CATALOGUE, "catalogue.yaml")]},
            "plans.progress_upload": {"file": [(filled_progress_sheet(plan), "progress.xlsx")]},
            "invitations.invite": {
                "file": [(people_file(pair.implementing_city.name), "people.csv")]
            },
            "invitations.add_many_organisations": {
                "file": [
                    (
                        b"name,kind,country,time zone,website\nGdynia,city,Poland,Europe/Warsaw,\n",
                        "o.csv",
                    )
                ]
            },
            "pairs.create": {  # the scheme's cities, in the other pair's theme
                "theme_id": [str(other.theme_id)],
                "mentor_city_id": [str(pair.mentor_city_id)],
                "implementing_city_id": [str(pair.implementing_city_id)],
            },
            "users.create": {"role": ["city"], "organisation_id": [str(pair.implementing_city_id)]},
            "visits.change_status": {"status": ["cancelled"]},  # with its reason
            "programmes.create": {"key": ["hostile-programme"]},
            "programmes.new_theme": {"code": ["H"]},
            # Examples of cities typed, not chosen: a typed name is what the page shows.
            **{
                endpoint: {f"examples-{row}-city_id": [""] for row in range(8)}
                for endpoint in ("benchmarks.new_factor", "benchmarks.edit_factor")
            },
        },
        foreign={
            "pair_id": [other.id],
            "visit_id": [other_visit.id],
            "action_id": [other_action.id],
            "recommendation_id": [other_report.recommendations[0].id],
            "assessment_id": [other_round.id],
            "deliverable_id": [other_deliverable.id],
            "file_id": [other_file.id],
            "notification_id": [other_notification.id],
        },
    )


def people_file(city: str) -> bytes:
    """A file of one person to invite into the city."""
    return f"name,email,organisation,role,language,time zone\nNew Person,new@x.example,{city},city,,\n".encode()


def filled_progress_sheet(plan: Any) -> bytes:
    """The plan's progress sheet as downloaded, with a new % for its first action."""
    workbook = load_workbook(io.BytesIO(progress_sheet(plan)))
    workbook.active.cell(row=2, column=7, value=50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) of the application, except the files it ships."""
    return [
        (rule, method)
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
        if rule.endpoint not in SKIPPED_ENDPOINTS
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def argument_values(rule: Rule, values: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The values each argument of the rule takes: every option of an `any(...)`, else the
    world's values for its name."""
    chosen = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if isinstance(converter, AnyConverter):
            chosen[name] = sorted(converter.items)
        elif name in values:
            chosen[name] = values[name]
        else:
            raise LookupError(
                f"{rule.rule}: the hostile-input world has no value for <{name}>; "
                "add one to tests/hostile/world.py"
            )
    return chosen


def route_urls(app: Flask, rule: Rule, values: dict[str, list[Any]]) -> list[str]:
    """The concrete URLs of a rule, one per combination of argument values."""
    options = argument_values(rule, values)
    names = sorted(options)
    urls = []
    with app.test_request_context():
        adapter = app.url_map.bind("tracker.test")
        for combination in itertools.product(*(options[name] for name in names)):
            urls.append(adapter.build(rule.endpoint, dict(zip(names, combination, strict=True))))
    return urls


def sign_in(client: Any, world: World, role: str | None) -> Any:
    """Sign the client in as one of the world's roles (None: signed out)."""
    return sign_in_client(client, None if role is None else world.sessions[role])
