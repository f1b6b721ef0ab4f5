"""The authorization matrix: every route and method, for each kind of user, against the policy.

The table below says what each route is about and which need of the policy it requires (or
that it is public); who has that need is read from the policy itself (tracker/auth/policy),
never copied here. The test walks the application's URL map, so a new route without an entry
fails until someone decides what it needs. Each request runs inside a savepoint that is rolled
back, so every role meets the same world.

Outcomes: OK (the request got past authorization: a page, a redirect, a form error), LOGIN (sent
to sign in), DENIED (403, or 404 for objects outside the user's scope: never their data).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.signing_in import open_session, sign_in_client
from tracker.assessments.models import Assessment, AssessmentRound
from tracker.auth.policy import loaders
from tracker.auth.policy.rules import PLAN_STATUS_NEEDS, Need, can
from tracker.auth.sessions import find_live_session
from tracker.auth.tokens import password_token
from tracker.benchmarks.queries import latest_version
from tracker.bin.models import BinEntry, BinKind
from tracker.deliverables.models import DeliverableFile, DeliverableKind
from tracker.files.models import Attachment
from tracker.files.store import file_store
from tracker.notifications.models import Notification, OutboxEmail
from tracker.plans.models import (
    ActionStatus,
    Endorsement,
    EndorsementLevel,
    PlanComment,
    PlanStatus,
    ProgressUpdate,
)
from tracker.programmes.models import DeliverableTemplate, ResponsibleParty
from tracker.sharing.models import PeerReading
from tracker.visits.models import FollowUp, VisitStatus

ROLES = ("anonymous", "coordinator", "implementer", "outsider", "mentor", "expert", "other_expert")


@dataclass(frozen=True)
class On:
    """A route needs one of `needs` on the world's `subject` (the network when None)."""

    subject: str | None
    needs: tuple[Need, ...]


def on(subject: str | None, *needs: Need) -> On:
    return On(subject, needs)


PUBLIC = None
SIGNED_IN = on(None, Need.USE_TRACKER)
ADMINISTER = on(None, Need.ADMINISTER)
REPORT = on(None, Need.READ_PROGRAMME_REPORT)


def both(requirement: On | None) -> dict[str, On | None]:
    return {"GET": requirement, "POST": requirement}


# endpoint -> {method: what the route is about and which need it requires}.
POLICY: dict[str, dict[str, On | None]] = {
    "static": {"GET": PUBLIC},
    "bootstrap.static": {"GET": PUBLIC},
    # signing in and accounts
    "auth.sign_in": both(PUBLIC),
    "auth.sign_out": both(SIGNED_IN),
    "auth.login": {"GET": PUBLIC},
    "auth.logout": {"GET": PUBLIC},
    "auth.forgot": both(PUBLIC),
    "auth.set_password": both(PUBLIC),
    "auth.change_own_password": both(SIGNED_IN),
    "auth.sessions": {"GET": SIGNED_IN},
    "auth.end_session": {"POST": on("session", Need.END_SESSION)},  # an implementer's session
    "auth.end_other_sessions": {"POST": SIGNED_IN},
    "auth.language": both(SIGNED_IN),
    "auth.visitor_language": {"POST": PUBLIC},  # the visitor's own preference, nothing else
    "privacy.account_data": {"GET": SIGNED_IN},
    "privacy.download_own": {"GET": SIGNED_IN},
    "notifications.index": {"GET": SIGNED_IN},
    "notifications.preferences": both(SIGNED_IN),
    "notifications.mark_all_read": {"POST": SIGNED_IN},
    "notifications.open_": {"POST": on("notification", Need.READ_NOTIFICATION)},
    "notifications.mark_read": {"POST": on("notification", Need.READ_NOTIFICATION)},
    "unsubscribe.confirm": both(PUBLIC),  # the signed token in the address is the key
    "calendars.settings": both(SIGNED_IN),
    "calendars.programme_feed": {"GET": PUBLIC},  # a coordinator's feed token is the key
    "calendars.reset": {"POST": SIGNED_IN},
    "calendars.feed": {"GET": PUBLIC},  # the secret token in the address is the key
    "calendars.visit_file": {"GET": on("visit", Need.VIEW)},
    # everyone signed in
    "dashboards.home": {"GET": SIGNED_IN},
    "dashboards.about": {"GET": SIGNED_IN},
    "search.index": {"GET": SIGNED_IN},
    "catalogue.index": {"GET": SIGNED_IN},
    "catalogue.programme": {"GET": SIGNED_IN},
    "catalogue.theme": {"GET": SIGNED_IN},
    "pairs.index": {"GET": SIGNED_IN},
    "visits.index": {"GET": SIGNED_IN},
    "deliverables.programmes": {"GET": SIGNED_IN},
    "deliverables.index": {"GET": SIGNED_IN},
    # the network's set-up
    "catalogue.load": both(on(None, Need.LOAD_CATALOGUE)),
    "organisations.index": {"GET": ADMINISTER},
    "organisations.create": both(ADMINISTER),
    "organisations.edit": both(ADMINISTER),
    "users.index": {"GET": ADMINISTER},
    "invitations.resend": {"POST": ADMINISTER},
    "invitations.password_link": both(ADMINISTER),
    "invitations.invite": both(ADMINISTER),
    "invitations.add_many_organisations": both(ADMINISTER),
    "invitations.users_template": {"GET": ADMINISTER},
    "invitations.organisations_template": {"GET": ADMINISTER},
    "users.create": both(ADMINISTER),
    "users.edit": both(ADMINISTER),
    "users.personal_data": {"GET": ADMINISTER},
    "users.erase": both(ADMINISTER),
    "audit.index": {"GET": ADMINISTER},
    "admin.outbox": {"GET": ADMINISTER},
    "admin.outbox_email": {"GET": ADMINISTER},
    "admin.jobs": {"GET": ADMINISTER},
    "admin.run_now": {"POST": ADMINISTER},
    "reports.programme": {"GET": REPORT},
    "reports.index": {"GET": REPORT},
    "reports.download": {"GET": REPORT},
    "pairs.create": both(on(None, Need.PAIR_CITIES)),
    "deliverables.create": both(on(None, Need.REGISTER_DELIVERABLES)),
    # one pair: its people read; each works on their part
    "pairs.show": {"GET": on("pair", Need.VIEW)},
    "pairs.edit": both(on("pair", Need.MANAGE_PAIR)),
    "pairs.change_status": {"POST": on("pair", Need.MANAGE_PAIR)},
    "visits.create": both(on("pair", Need.MANAGE_VISITS)),
    "visits.show": {"GET": on("visit", Need.VIEW)},
    "visits.edit": both(on("visit", Need.MANAGE_VISITS)),
    "visits.change_status": {"POST": on("visit", Need.MANAGE_VISITS)},
    "visits.focus": both(on("visit", Need.MANAGE_VISITS)),
    "visits.report": both(on("visit", Need.REPORT_VISIT)),
    "visits.briefing": {"GET": on("visit", Need.VIEW)},
    "assessments.index": {"GET": on("pair", Need.VIEW)},
    "assessments.start": {"POST": on("pair", Need.ASSESS_OWN_CITY)},
    "assessments.edit": {
        "GET": on("assessment", Need.VIEW),
        "POST": on("assessment", Need.ANSWER_ROUND),
    },
    "assessments.reopen": {"POST": on("assessment", Need.REOPEN_ROUND)},
    "assessments.targets": both(on("pair", Need.SET_TARGETS)),
    "plans.show": {"GET": on("pair", Need.VIEW)},
    "plans.start": {"POST": on("pair", Need.EDIT_PLAN)},
    "plans.edit": both(on("plan", Need.EDIT_PLAN)),
    "plans.new_action": both(on("plan", Need.EDIT_PLAN)),
    "plans.edit_action": both(on("action", Need.EDIT_PLAN)),
    "plans.show_action": {"GET": on("action", Need.VIEW), "POST": on("action", Need.POST_PROGRESS)},
    "plans.comment": {"POST": on("plan", Need.COMMENT_PLAN)},
    "plans.change_status": {"POST": on("plan", *PLAN_STATUS_NEEDS.values())},
    "plans.endorse": both(on("plan", Need.ADVANCE_PLAN)),
    "plans.export": {"GET": on("plan", Need.VIEW)},
    "plans.print_view": {"GET": on("plan", Need.VIEW)},
    "plans.progress_upload": both(on("plan", Need.POST_PROGRESS)),
    "infographics.show": {"GET": on("pair", Need.VIEW)},
    "infographics.download": {"GET": on("pair", Need.VIEW)},
    "infographics.attach": {"POST": on("deliverable", Need.WORK_ON_DELIVERABLE)},
    # the deliverable of the pair that Riga is responsible for
    "deliverables.show": {"GET": on("deliverable", Need.VIEW)},
    "deliverables.edit": both(on("deliverable", Need.EDIT_DELIVERABLE)),
    "deliverables.change_status": {"POST": on("deliverable", Need.WORK_ON_DELIVERABLE)},
    "deliverables.upload": {"POST": on("deliverable", Need.WORK_ON_DELIVERABLE)},
    "deliverables.link": {"POST": on("deliverable", Need.WORK_ON_DELIVERABLE)},
    "deliverables.download": {"GET": on("deliverable", Need.VIEW)},
    # correcting mistakes: deleting to the bin, withdrawing, restoring
    "pairs.delete": both(on("pair", Need.MANAGE_PAIR)),
    "visits.delete": both(on("visit", Need.MANAGE_VISITS)),
    "visits.delete_recommendation": both(on("recommendation", Need.REPORT_VISIT)),
    "visits.delete_follow_up": both(on("follow_up", Need.REPORT_VISIT)),
    "plans.delete_action": both(on("action", Need.EDIT_PLAN)),
    "plans.delete_comment": both(on("comment", Need.CORRECT_OWN_WORDS)),
    "plans.delete_endorsement": both(on("endorsement", Need.CORRECT_ENDORSEMENT)),
    "plans.delete_progress": both(on("update", Need.CORRECT_OWN_WORDS)),
    "plans.withdraw": both(on("update", Need.CORRECT_OWN_WORDS)),
    "deliverables.delete": both(on("deliverable", Need.EDIT_DELIVERABLE)),
    "files.download": {"GET": on("attachment", Need.VIEW)},
    "files.attach": {"POST": on("visit", Need.REPORT_VISIT)},
    "files.remove": {"POST": on("attachment", Need.REPORT_VISIT)},
    "bin.index": {"GET": on(None, Need.RESTORE_FROM_BIN)},
    "bin.restore": {"POST": on(None, Need.RESTORE_FROM_BIN)},
    # programme set-up
    "programmes.create": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.show": {"GET": on(None, Need.SET_UP_PROGRAMMES)},
    "programmes.edit": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.new_theme": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.edit_theme": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.new_context_factor": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.edit_context_factor": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.new_template": both(on(None, Need.SET_UP_PROGRAMMES)),
    "programmes.edit_template": both(on(None, Need.SET_UP_PROGRAMMES)),
    # benchmarks: everyone reads the versions; the coordinators and the theme's expert
    # organisation write the draft (theme B, facilitated by the scheme's expert organisation)
    "benchmarks.versions": {"GET": SIGNED_IN},
    "benchmarks.version": {"GET": SIGNED_IN},
    "benchmarks.compare_versions": {"GET": SIGNED_IN},
    "benchmarks.draft": {"GET": on("theme", Need.EDIT_BENCHMARK)},
    "benchmarks.new_factor": both(on("theme", Need.EDIT_BENCHMARK)),
    "benchmarks.edit_factor": both(on("theme", Need.EDIT_BENCHMARK)),
    "benchmarks.move_factor": {"POST": on("theme", Need.EDIT_BENCHMARK)},
    "benchmarks.retire_factor": both(on("theme", Need.EDIT_BENCHMARK)),
    "benchmarks.publish": {"POST": on("theme", Need.EDIT_BENCHMARK)},
    "benchmarks.discard": {"POST": on("theme", Need.EDIT_BENCHMARK)},
    "benchmarks.programme_drafts": both(on(None, Need.LOAD_CATALOGUE)),
    "insights.benchmark": {"GET": on("theme", Need.COMPARE_CITIES)},
    "insights.benchmark_xlsx": {"GET": on("theme", Need.COMPARE_CITIES)},
    "insights.suggestions": {"GET": on("theme", Need.PAIR_CITIES)},
    "insights.library": {"GET": SIGNED_IN},
    "insights.city_practices": {"GET": SIGNED_IN},
    "catalogue.programme_file": {"GET": SIGNED_IN},
    "catalogue.benchmark_file": {"GET": SIGNED_IN},
    "catalogue.template_file": {"GET": SIGNED_IN},
    "catalogue.format_help": {"GET": SIGNED_IN},
    # after the programme: the implementing city answers the check-ins, the pair's people read
    "checkins.answer": {"GET": on("pair", Need.VIEW), "POST": on("pair", Need.ANSWER_CHECK_IN)},
    # peer reading: the cities paired in the programme read, while the programme shares
    "sharing.index": {"GET": SIGNED_IN},
    "sharing.switch": {"POST": on(None, Need.SET_PEER_READING)},
    "sharing.pair": {"GET": on("pair", Need.READ_SHARED)},
    "sharing.visit": {"GET": on("visit", Need.READ_SHARED)},
}

CASES = {"count": 0}


@pytest.fixture
def world(app, make, scheme, session):
    """One of everything, around the scheme's pair (Helsinki mentors Riga on theme B)."""
    pair, riga = scheme["pair"], scheme["pair"].implementing_city
    version = latest_version(pair.theme_id)
    visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    report = make.report(visit, recommendations=1, author=scheme["expert"])
    visit.status = VisitStatus.HELD  # still reportable, so the report form is open
    plan = make.plan(pair, status=PlanStatus.DRAFT)
    action = make.action(plan)
    deliverable = make.deliverable(riga, pair=pair, kind=DeliverableKind.INFOGRAPHIC)
    stored = DeliverableFile(
        deliverable=deliverable,
        original_name="plan.pdf",
        stored_name="ab" + "0" * 30 + ".pdf",
        content_type="application/pdf",
        size_bytes=8,
        sha256="0" * 64,
    )
    attached = Attachment(
        visit_report=report,
        original_name="minutes.pdf",
        stored_name="ef" + "0" * 30 + ".pdf",
        content_type="application/pdf",
        size_bytes=8,
        sha256="0" * 64,
    )
    for name in (stored.stored_name, attached.stored_name):
        file_store().save(name, b"%PDF-1.4")
    assessment = Assessment(
        city_id=riga.id,
        theme_id=pair.theme_id,
        benchmark_version=version,
        round=AssessmentRound.BASELINE,
        assessed_on=date(2026, 2, 1),
    )
    notification = Notification(user=scheme["implementer"], kind="comment", subject="x", link="/")
    follow_up = FollowUp(
        report=report, text="Send the slides", owner_user=scheme["mentor"], due_on=date(2026, 3, 9)
    )
    comment = PlanComment(plan=plan, body="Who owns this?", author=scheme["mentor"])
    update = ProgressUpdate(
        action=action, status=ActionStatus.ON_TRACK, progress=10, author=scheme["implementer"]
    )
    endorsement = Endorsement(
        plan=plan,
        level=EndorsementLevel.ADMINISTRATIVE,
        body="Decision 1",
        decided_on=date(2026, 2, 25),
    )
    in_bin = BinEntry(
        kind=BinKind.FOLLOW_UP,
        object_id=0,
        title="Deleted",
        contents={"rows": {}, "links": [], "files": []},
    )
    email = OutboxEmail(
        key="matrix", to_address="a@example.org", subject="x", text_body="x", html_body="x"
    )
    scheme["implementer"].calendar_token = "matrix-calendar-token"
    template = DeliverableTemplate(
        programme=pair.theme.programme,
        kind=DeliverableKind.ACTION_PLAN,
        title="Local action plan",
        months_after_start=6,
        responsible=ResponsibleParty.IMPLEMENTING_CITY,
    )
    scheme["coordinator"].calendar_token = "matrix-coordinator-calendar-token"
    session.add_all(
        [
            stored,
            attached,
            assessment,
            notification,
            email,
            follow_up,
            comment,
            update,
            endorsement,
            in_bin,
            template,
        ]
    )
    session.flush()
    # The outsider's city is paired in the same programme, so peer reading decides what it reads.
    make.pair(pair.theme, mentor=scheme["outsider"].organisation, implementing=make.city())
    with app.test_request_context():
        token = password_token(scheme["implementer"])
    their_session = find_live_session(open_session(scheme["implementer"]))
    return {
        "subjects": {
            "pair": pair,
            "visit": visit,
            "plan": plan,
            "action": action,
            "deliverable": deliverable,
            "assessment": assessment,
            "notification": notification,
            "session": their_session,
            "attachment": attached,
            "recommendation": report.recommendations[0],
            "follow_up": follow_up,
            "comment": comment,
            "update": update,
            "endorsement": endorsement,
            "theme": pair.theme,
        },
        "pair_id": pair.id,
        "visit_id": visit.id,
        "recommendation_id": report.recommendations[0].id,
        "action_id": action.id,
        "deliverable_id": deliverable.id,
        "file_id": stored.id,
        "assessment_id": assessment.id,
        "notification_id": notification.id,
        "follow_up_id": follow_up.id,
        "comment_id": comment.id,
        "update_id": update.id,
        "endorsement_id": endorsement.id,
        "entry_id": in_bin.id,
        "attachment_id": attached.id,
        "email_id": email.id,
        "user_id": scheme["implementer"].id,
        "organisation_id": riga.id,
        "key": pair.theme.programme.key,
        "code": pair.theme.code,
        "number": 1,
        "factor_key": pair.theme.factors[0].key,
        "job_id": "reminders",
        "token": token,  # for setting a password; the calendar feed has its own
        "session_id": their_session.id,
        "filename": "css/app.css",
        "context_factor_id": pair.theme.programme.context_factors[0].id,
        "template_id": template.id,
        "months": 6,
    }


def routes(app):
    """(endpoint, method, rule) for every route of the app."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule


def url_for_rule(rule, world) -> str:
    values = {}
    for argument in rule.arguments:
        if argument == "kind":
            values["kind"] = sorted(rule._converters["kind"].items)[0]  # noqa: SLF001
        elif argument == "token" and rule.endpoint == "calendars.feed":
            values["token"] = "matrix-calendar-token"
        elif argument == "token" and rule.endpoint == "calendars.programme_feed":
            values["token"] = "matrix-coordinator-calendar-token"
        elif argument == "code" and rule.endpoint == "auth.visitor_language":
            values["code"] = "de"
        elif argument == "filename" and rule.endpoint == "bootstrap.static":
            values["filename"] = "css/bootstrap.min.css"
        else:
            values[argument] = world[argument]
    return rule.build(values, append_unknown=False)[1]


def outcome(response) -> str:
    if response.status_code >= 500:
        return f"SERVER ERROR {response.status_code}"
    if response.status_code == 401 or (
        response.status_code == 302 and "/sign-in?next=" in response.headers.get("Location", "")
    ):
        return "LOGIN"
    if response.status_code in (403, 404):
        return "DENIED"
    return "OK"


def expected(user, requirement: On | None, world) -> str:
    """What the policy says this user gets from a route with this requirement."""
    if requirement is PUBLIC:
        return "OK"
    if user is None:
        return "LOGIN"
    subject = world["subjects"][requirement.subject] if requirement.subject else None
    pairs = [world["subjects"]["pair"]]
    allowed = any(can(user, need, subject, pairs=pairs) for need in requirement.needs)
    return "OK" if allowed else "DENIED"


def test_every_route_has_a_policy(app):
    missing = {endpoint for endpoint, _method, _rule in routes(app)} - set(POLICY)
    assert not missing, f"routes without an entry in POLICY: {sorted(missing)}"
    undeclared = {
        (endpoint, method)
        for endpoint, method, _rule in routes(app)
        if method not in POLICY.get(endpoint, {})
    }
    assert not undeclared, f"methods without an entry in POLICY: {sorted(undeclared)}"
    stale = set(POLICY) - {endpoint for endpoint, _method, _rule in routes(app)}
    assert not stale, f"POLICY lists routes that no longer exist: {sorted(stale)}"


def client_as(app, token):
    """A fresh client per request: some routes (signing out, new passwords) end the session."""
    return sign_in_client(app.test_client(), token)


def share_within_the_programme(session, world) -> None:
    session.add(PeerReading(programme_id=world["subjects"]["pair"].theme.programme_id))
    session.flush()


@pytest.mark.parametrize("peer_reading", ["off", "on"])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_policy_says(
    app, session, scheme, world, role, peer_reading
):
    if peer_reading == "on":
        share_within_the_programme(session, world)
    user = None if role == "anonymous" else scheme[role]
    token = None if user is None else open_session(user)
    connection = session.connection()
    wrong = []
    for endpoint, method, rule in sorted(routes(app), key=lambda r: (r[0], r[1])):
        url = url_for_rule(rule, world)
        savepoint = connection.begin_nested()
        try:
            response = client_as(app, token).open(url, method=method, data={})
            response.close()  # file downloads stream from an open file
        finally:
            savepoint.rollback()
        got, want = outcome(response), expected(user, POLICY[endpoint][method], world)
        CASES["count"] += 1
        if got != want:
            wrong.append(f"{method} {url} ({endpoint}): {got} {response.status_code}, want {want}")
    assert not wrong, f"{role}: {len(wrong)} routes disagree with POLICY:\n" + "\n".join(wrong)


def test_report_the_number_of_cases_checked(app, capsys):
    per_role = sum(1 for _ in routes(app))
    with capsys.disabled():
        print(
            f"\nauthorization matrix: {per_role} route × method pairs × {len(ROLES)} roles "
            f"= {per_role * len(ROLES)} cases per database ({CASES['count']} checked so far)"
        )
    assert per_role * len(ROLES) >= 700


def test_the_policy_grants_each_kind_of_user_what_the_product_says(world, scheme):
    """The policy's answers for the world's pair, as the product describes the roles."""

    def who(need, subject=None):
        target = world["subjects"][subject] if subject else None
        pairs = [world["subjects"]["pair"]]
        return {role for role in ROLES[1:] if can(scheme[role], need, target, pairs=pairs)}

    pair_people = {"coordinator", "implementer", "mentor", "expert"}
    assert who(Need.VIEW, "pair") == pair_people
    assert who(Need.EDIT_PLAN, "plan") == {"implementer"}
    assert who(Need.COMMENT_PLAN, "plan") == pair_people
    assert who(Need.REPORT_VISIT, "visit") == {"coordinator", "expert"}
    assert who(Need.ANSWER_ROUND, "assessment") == {"implementer"}
    assert who(Need.WORK_ON_DELIVERABLE, "deliverable") == {"coordinator", "implementer"}
    assert who(Need.REVIEW_DELIVERABLE, "deliverable") == {"coordinator"}
    assert who(Need.READ_NOTIFICATION, "notification") == {"implementer"}
    assert who(Need.ADMINISTER) == {"coordinator"}
    assert who(Need.USE_TRACKER) == set(ROLES[1:])
    assert who(Need.READ_SHARED, "pair") == pair_people
    assert who(Need.SET_PEER_READING) == {"coordinator"}


def test_with_peer_reading_on_a_city_of_the_programme_reads_but_never_edits(world, scheme, session):
    def who(need, subject):
        return {role for role in ROLES[1:] if can(scheme[role], need, world["subjects"][subject])}

    share_within_the_programme(session, world)
    readers = {"coordinator", "implementer", "mentor", "expert", "outsider"}
    assert who(Need.READ_SHARED, "pair") == readers
    assert who(Need.READ_SHARED, "visit") == readers
    # Reading as a peer grants nothing else: not the pair's own pages, not a change.
    for need in (Need.VIEW, Need.COMMENT_PLAN, Need.EDIT_PLAN, Need.ANSWER_CHECK_IN):
        assert "outsider" not in who(need, "pair")


def test_every_loader_of_the_policy_guards_a_route():
    """Each get_<object>_or_404 is used by a view, so the matrix above exercises it."""
    views = "\n".join(
        path.read_text() for path in Path(loaders.__file__).parents[2].rglob("views.py")
    )
    unused = [
        name
        for name, function in inspect.getmembers(loaders, inspect.isfunction)
        if name.startswith("get_")
        and function.__module__ == loaders.__name__
        and f"{name}(" not in views
    ]
    assert not unused, f"loaders no view uses: {unused}"
