"""The authorization matrix: every route and method, for each kind of user, against one table.

The table below says who may use each route. The test walks the application's URL map, so a
new route without an entry fails here until someone decides who may use it. Each request runs
inside a savepoint that is rolled back, so every role meets the same world.

Outcomes: OK (the request got past authorization: a page, a redirect, a form error), LOGIN (sent
to sign in), DENIED (403, or 404 for objects outside the user's scope: never their data).
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.assessments.models import Assessment, AssessmentRound
from tracker.auth.tokens import password_token
from tracker.deliverables.models import DeliverableFile, DeliverableKind
from tracker.deliverables.storage import stored_path
from tracker.notifications.models import Notification, OutboxEmail
from tracker.plans.models import PlanStatus
from tracker.visits.models import VisitStatus

ROLES = ("anonymous", "coordinator", "implementer", "outsider", "mentor", "expert", "other_expert")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
COORDINATOR = frozenset({"coordinator"})
PAIR = frozenset({"coordinator", "implementer", "mentor", "expert"})  # the pair's people
VISIT_MANAGERS = frozenset({"coordinator", "expert"})
OWN_CITY = frozenset({"implementer"})
PAIR_CITIES = frozenset({"implementer", "mentor"})
PLAN_ADVANCERS = frozenset({"coordinator", "implementer"})
RESPONSIBLE = frozenset({"coordinator", "implementer"})  # for the deliverable Riga must deliver
OWNER = frozenset({"implementer"})  # of the notification in the world

# endpoint -> {method: the roles that get past authorization}. Everyone else signed in is
# denied, and anonymous visitors are sent to sign in, unless the route is public (EVERYONE).
POLICY: dict[str, dict[str, frozenset[str]]] = {
    "static": {"GET": EVERYONE},
    "bootstrap.static": {"GET": EVERYONE},
    # signing in and accounts
    "auth.sign_in": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.sign_out": {"POST": SIGNED_IN},
    "auth.forgot": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.set_password": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.change_own_password": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "privacy.account_data": {"GET": SIGNED_IN},
    "privacy.download_own": {"GET": SIGNED_IN},
    "notifications.index": {"GET": SIGNED_IN},
    "notifications.preferences": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "notifications.mark_all_read": {"POST": SIGNED_IN},
    "notifications.open_": {"POST": OWNER},
    "notifications.mark_read": {"POST": OWNER},
    "unsubscribe.confirm": {"GET": EVERYONE, "POST": EVERYONE},  # the signed token is the key
    "calendars.settings": {"GET": SIGNED_IN},
    "calendars.reset": {"POST": SIGNED_IN},
    "calendars.feed": {"GET": EVERYONE},  # the secret token in the address is the key
    "calendars.visit_file": {"GET": PAIR},
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
    # coordinators only
    "catalogue.load": {"GET": COORDINATOR, "POST": COORDINATOR},
    "organisations.index": {"GET": COORDINATOR},
    "organisations.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "organisations.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "users.index": {"GET": COORDINATOR},
    "users.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "users.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "users.personal_data": {"GET": COORDINATOR},
    "users.erase": {"GET": COORDINATOR, "POST": COORDINATOR},
    "audit.index": {"GET": COORDINATOR},
    "admin.outbox": {"GET": COORDINATOR},
    "admin.outbox_email": {"GET": COORDINATOR},
    "admin.jobs": {"GET": COORDINATOR},
    "admin.run_now": {"POST": COORDINATOR},
    "reports.programme": {"GET": COORDINATOR},
    "reports.download": {"GET": COORDINATOR},
    "pairs.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "pairs.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "pairs.change_status": {"POST": COORDINATOR},
    "deliverables.create": {"GET": COORDINATOR, "POST": COORDINATOR},
    "deliverables.edit": {"GET": COORDINATOR, "POST": COORDINATOR},
    "assessments.reopen": {"POST": COORDINATOR},
    # one pair: its people read; each works on their part
    "pairs.show": {"GET": PAIR},
    "visits.create": {"GET": VISIT_MANAGERS, "POST": VISIT_MANAGERS},
    "visits.show": {"GET": PAIR},
    "visits.edit": {"GET": VISIT_MANAGERS, "POST": VISIT_MANAGERS},
    "visits.change_status": {"POST": VISIT_MANAGERS},
    "visits.focus": {"GET": VISIT_MANAGERS, "POST": VISIT_MANAGERS},
    "visits.report": {"GET": VISIT_MANAGERS, "POST": VISIT_MANAGERS},
    "visits.briefing": {"GET": PAIR},
    "assessments.index": {"GET": PAIR},
    "assessments.start": {"POST": PAIR_CITIES},
    "assessments.edit": {"GET": PAIR, "POST": OWN_CITY},
    "assessments.targets": {"GET": OWN_CITY, "POST": OWN_CITY},
    "plans.show": {"GET": PAIR},
    "plans.start": {"POST": OWN_CITY},
    "plans.edit": {"GET": OWN_CITY, "POST": OWN_CITY},
    "plans.new_action": {"GET": OWN_CITY, "POST": OWN_CITY},
    "plans.edit_action": {"GET": OWN_CITY, "POST": OWN_CITY},
    "plans.adopt": {"POST": OWN_CITY},
    "plans.show_action": {"GET": PAIR, "POST": OWN_CITY},
    "plans.comment": {"POST": PAIR},
    "plans.change_status": {"POST": PLAN_ADVANCERS},
    "plans.endorse": {"GET": PLAN_ADVANCERS, "POST": PLAN_ADVANCERS},
    "plans.export": {"GET": PAIR},
    "plans.print_view": {"GET": PAIR},
    "plans.progress_upload": {"GET": OWN_CITY, "POST": OWN_CITY},
    "infographics.show": {"GET": PAIR},
    "infographics.download": {"GET": PAIR},
    "infographics.attach": {"POST": RESPONSIBLE},
    # the deliverable of the pair that Riga is responsible for
    "deliverables.show": {"GET": PAIR},
    "deliverables.change_status": {"POST": RESPONSIBLE},
    "deliverables.upload": {"POST": RESPONSIBLE},
    "deliverables.link": {"POST": RESPONSIBLE},
    "deliverables.download": {"GET": PAIR},
}

CASES = {"count": 0}


@pytest.fixture
def world(app, make, scheme, session):
    """One of everything, around the scheme's pair (Helsinki mentors Riga on theme B)."""
    pair, riga = scheme["pair"], scheme["pair"].implementing_city
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
    path = stored_path(stored.stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4")
    assessment = Assessment(
        city_id=riga.id,
        theme_id=pair.theme_id,
        round=AssessmentRound.BASELINE,
        assessed_on=date(2026, 2, 1),
    )
    notification = Notification(user=scheme["implementer"], kind="comment", subject="x", link="/")
    email = OutboxEmail(
        key="matrix", to_address="a@example.org", subject="x", text_body="x", html_body="x"
    )
    scheme["implementer"].calendar_token = "matrix-calendar-token"
    session.add_all([stored, assessment, notification, email])
    session.flush()
    with app.test_request_context():
        token = password_token(scheme["implementer"])
    return {
        "pair_id": pair.id,
        "visit_id": visit.id,
        "recommendation_id": report.recommendations[0].id,
        "action_id": action.id,
        "deliverable_id": deliverable.id,
        "file_id": stored.id,
        "assessment_id": assessment.id,
        "notification_id": notification.id,
        "email_id": email.id,
        "user_id": scheme["implementer"].id,
        "organisation_id": riga.id,
        "key": pair.theme.programme.key,
        "code": pair.theme.code,
        "job_id": "reminders",
        "token": token,  # for setting a password; the calendar feed has its own
        "filename": "css/app.css",
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


def expected(role: str, allowed: frozenset[str]) -> str:
    if role in allowed:
        return "OK"
    return "LOGIN" if role == "anonymous" else "DENIED"


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


def client_as(app, user):
    """A fresh client per request: some routes (signing out, new passwords) end the session."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = user.get_id()
            flask_session["_fresh"] = True
    return client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_policy_says(app, session, scheme, world, role):
    user = None if role == "anonymous" else scheme[role]
    connection = session.connection()
    wrong = []
    for endpoint, method, rule in sorted(routes(app), key=lambda r: (r[0], r[1])):
        url = url_for_rule(rule, world)
        savepoint = connection.begin_nested()
        try:
            response = client_as(app, user).open(url, method=method, data={})
            response.close()  # file downloads stream from an open file
        finally:
            savepoint.rollback()
        got, want = outcome(response), expected(role, POLICY[endpoint][method])
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
