"""No hostile value in a query string, a form or a URL makes a route fail with a server error,
redirect off the site, send a header a server cannot, echo live markup, or change anything
when the request is refused.

Routes come from the URL map, query parameters from what each route reads while the crawl
builds its page (checked against a grep of the views), and forms from the pages: a new route,
query parameter or form field is attacked without changing these tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from werkzeug.datastructures import MultiDict

from tests.hostile.checks import Failures, check_response, refused, visible_text
from tests.hostile.discover import CRAWLED_ROLES, Discovery, SeenForm
from tests.hostile.forms import (
    files_of,
    hostile_values,
    request_data,
    sent_texts,
    sweeps,
    valid_values,
)
from tests.hostile.values import IMG, SCRIPT, TEMPLATE_PROBES, examples, hostile_text
from tests.hostile.world import World, route_urls, routes, sign_in

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
EXAMPLES = {"query": 4, "form": 2}  # hypothesis examples, on top of the sweeps


# POST routes whose page shows no form in the world (each explained).
FIELDLESS_POSTS = {
    "plans.start": "the world's pairs all have a plan; the button has no field",
}

# GET routes that only redirect (each explained); the hostile sweeps still attack them.
REDIRECTS = {
    "auth.login": "the address people type, sent on to /sign-in",
    "auth.logout": "the address people type, sent on to /sign-out",
}


def foreign_ids(world: World) -> list[int]:
    return sorted({value for values in world.foreign.values() for value in values} | {10**30})


def test_every_route_is_crawled_and_every_form_found(app, discovery: Discovery):
    get_endpoints = {rule.endpoint for rule, method in routes(app) if method == "GET"}
    post_endpoints = {rule.endpoint for rule, method in routes(app) if method == "POST"}
    assert set(discovery.get_urls) == get_endpoints
    shown = {url for (_role, url), status in discovery.statuses.items() if status == 200}
    unshown = {endpoint for endpoint, urls in discovery.get_urls.items() if not shown & set(urls)}
    assert unshown == set(REDIRECTS), f"pages no crawled role could open: {sorted(unshown)}"
    with_forms = {seen.endpoint for seen in discovery.post_forms()}
    assert post_endpoints - with_forms == set(FIELDLESS_POSTS)


def test_the_parameters_the_views_read_are_all_discovered(discovery: Discovery):
    source = "\n".join(path.read_text() for path in TRACKER.rglob("*.py"))
    grepped = set(re.findall(r"""request\.args\.get\(\s*["'](\w+)["']""", source))
    grepped |= set(re.findall(r"""date_arg\(\s*["'](\w+)["']\)""", source))
    discovered = set().union(*discovery.reads.values())
    discovered |= STATIC_FILE_PARAMETERS
    assert grepped and grepped <= discovered, sorted(grepped - discovered)


# Read for the files shipped in static/ only (their version, tracker/security.py), which the
# crawl leaves out as the same for everyone: a wrong version is only revalidated, never cached.
STATIC_FILE_PARAMETERS = {"v"}


def test_query_parameters_survive_hostile_values(client, world, discovery: Discovery, undone):
    attacked, failures = [], Failures()
    for endpoint, names in sorted(discovery.reads.items()):
        for url in discovery.get_urls[endpoint]:
            if names:
                attacked.append((url, sorted(names)))
                with failures.collect(f"GET {url}"):
                    _attack_query(client, world, undone, url, sorted(names), discovery.viewers(url))
    failures.report()
    assert len(attacked) >= 10, attacked


QUERY_SWEEP = (
    "1" + "0" * 30,
    "-1",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    SCRIPT + IMG + TEMPLATE_PROBES[0],
    "\x00",
    "x" * 100_000,
    "\u202e\U0001f600e\u0301",
    "no-such-value",
)


def _attack_query(client, world, undone, url: str, names: list[str], roles: list[Any]) -> None:
    def get(role, query: MultiDict) -> None:
        with undone():
            sign_in(client, world, role)
            context = f"GET {url} as {role} with {_short(dict(query.lists()))}"
            _note(context)
            check_response(client.get(url, query_string=query), context, query.values())

    for number, value in enumerate(QUERY_SWEEP):
        get(
            roles[number % len(roles)] if roles else None,
            MultiDict(dict.fromkeys(names, value)),
        )
    one = hostile_text()

    @examples(EXAMPLES["query"])
    @given(data=st.data())
    def attack(data: st.DataObject) -> None:
        role = data.draw(st.sampled_from(roles or [None]), label="role")
        query = MultiDict()
        for name in names:
            values = data.draw(
                st.one_of(one.map(lambda value: [value]), st.lists(one, min_size=2, max_size=3)),
                label=name,
            )
            for value in values:
                query.add(name, value)
        get(role, query)

    attack()


def test_every_form_accepts_a_valid_submission(client, world, discovery: Discovery, undone):
    """The valid values the attacks start from get through (so the attacks reach the services,
    not only the form validation)."""
    failures = Failures()
    for seen in discovery.unique_post_forms():
        role = sorted(seen.roles, key=str)[0]
        values = valid_values(seen.form, world.known.get(seen.endpoint, {}))
        with failures.collect(f"POST {seen.form.action} as {role}"), undone():
            sign_in(client, world, role)
            response = client.post(
                seen.form.action,
                data=request_data(values),
                content_type="multipart/form-data" if files_of(seen.form) else None,
            )
            body = check_response(response, f"POST {seen.form.action}")
            assert not refused(client, response), visible_text(body)[:500]
    failures.report()


def test_forms_survive_hostile_values(client, world, discovery: Discovery, undone, row_counts):
    failures = Failures()
    post = Poster(client, world, undone, row_counts)
    for seen in discovery.unique_post_forms():
        roles = sorted(seen.roles, key=str)
        for number, (label, values) in enumerate(
            sweeps(seen.form, world.known.get(seen.endpoint, {}))
        ):
            role = roles[number % len(roles)]
            with failures.collect(f"POST {seen.form.action} ({label}) as {role}"):
                post(seen, role, request_data(values), sent_texts(values), allowed=True)
        with failures.collect(f"POST {seen.form.action} (hypothesis)"):
            _attack_form(post, world, seen, roles)
    failures.report()


def test_forms_refuse_roles_they_are_not_offered_to(
    client, world, discovery: Discovery, undone, row_counts
):
    """A valid submission from a role the form was not offered to changes nothing."""
    failures = Failures()
    post = Poster(client, world, undone, row_counts)
    for seen in discovery.unique_post_forms():
        if None in seen.roles:
            continue  # a public form (sign-in, passwords): anyone may use it
        others = [role for role in CRAWLED_ROLES if role not in seen.roles]
        if _names_objects(seen):
            others.append("outsider")
        values = valid_values(seen.form, world.known.get(seen.endpoint, {}))
        for role in others:
            with failures.collect(f"POST {seen.form.action} as {role}"):
                post(seen, role, request_data(values), sent_texts(values), allowed=False)
    failures.report()


def _names_objects(seen: SeenForm) -> bool:
    """Whether the form's URL names an object of the world (so an outsider may not use it)."""
    path = seen.form.action.split("?")[0]
    return any(part.isdigit() for part in path.split("/"))


class Poster:
    """Posts a form as a role, in a rolled-back savepoint, and checks the outcome."""

    def __init__(self, client, world, undone, row_counts) -> None:
        self.client, self.world, self.undone, self.row_counts = client, world, undone, row_counts

    def __call__(self, seen: SeenForm, role, data, texts, *, allowed: bool) -> None:
        form = seen.form
        with self.undone():
            sign_in(self.client, self.world, role)
            before = self.row_counts()
            context = f"POST {form.action} ({seen.endpoint}) as {role} with {_short(data)}"
            _note(context)
            response = self.client.post(
                form.action,
                data=data,
                content_type="multipart/form-data" if files_of(form) else None,
            )
            check_response(response, context, texts)
            if refused(self.client, response) or not allowed:
                assert self.row_counts() == before, f"{context}: refused, yet the data changed"


def _attack_form(post: Poster, world: World, seen: SeenForm, roles: list[Any]) -> None:
    ids = foreign_ids(world)

    @examples(EXAMPLES["form"])
    @given(data=st.data())
    def attack(data: st.DataObject) -> None:
        role = data.draw(st.sampled_from(roles), label="role")
        values, texts = hostile_values(data, seen.form, ids, world.known.get(seen.endpoint, {}))
        post(seen, role, values, texts, allowed=True)

    attack()


def test_hostile_url_arguments_are_not_found(app, client, world, undone, row_counts):
    """Ids that do not exist or overflow the database's integers, and hostile keys."""
    hostile: dict[str, list[Any]] = {
        name: [2**31, 10**30] for name, values in world.args.items() if isinstance(values[0], int)
    }
    text = ["..", "\x00", "<script>alert(1)</script>\u202e\U0001f600", "a" * 10_000]
    hostile.update({"key": text, "code": text, "token": text, "job_id": text})
    for rule, method in routes(app):
        for name in sorted(rule.arguments & set(hostile)):
            values = {**world.values_for(rule.endpoint), name: hostile[name]}
            for url in route_urls(app, rule, values):
                with undone():
                    sign_in(client, world, "coordinator")
                    before = row_counts()
                    response = getattr(client, method.lower())(url)
                    check_response(response, f"{method} {url} as coordinator")
                    assert response.status_code in (400, 404, 410), f"{method} {url}"
                    assert row_counts() == before, f"{method} {url} changed the data"


@pytest.mark.parametrize("role", ["implementer", "mentor", "expert"])
def test_another_pairs_objects_are_out_of_reach(app, client, world, undone, row_counts, role):
    """A member of the scheme's pair names an object of another pair in the URL: refused."""
    for rule, method in routes(app):
        for name in sorted(rule.arguments & set(world.foreign)):
            values = {**world.values_for(rule.endpoint), name: world.foreign[name]}
            for url in route_urls(app, rule, values):
                with undone():
                    sign_in(client, world, role)
                    before = row_counts()
                    response = getattr(client, method.lower())(url)
                    check_response(response, f"{method} {url} as {role}")
                    assert refused(client, response), f"{method} {url} as {role}"
                    assert row_counts() == before, f"{method} {url} as {role} changed the data"


def _note(context: str) -> None:
    """Name the request in hypothesis' report of a failing example."""
    if currently_in_test_context():
        note(context)


def _short(values: dict[str, Any]) -> str:
    """Values for a failure message, long ones cut."""
    return repr({name: [repr(v)[:60] for v in items] for name, items in values.items()})[:2000]
