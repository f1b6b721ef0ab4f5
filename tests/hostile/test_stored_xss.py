"""Stored XSS: script saved through any form never runs where it is shown.

Every text field of every form gets its own payload (a marker, then markup, script and a
template probe), in a submission that is otherwise valid; then every page of the world, the
pages of the new objects, the search results and the infographic SVG are read as each role.
No page may carry the payload unescaped, and each payload must be shown (escaped) somewhere,
so a field that is stored but never displayed is a decision written down below.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.hostile.checks import MARKUP_TYPES, check_response, refused
from tests.hostile.discover import Discovery, SeenForm
from tests.hostile.forms import files_of, request_data, valid_values
from tests.hostile.pages import Form
from tests.hostile.world import World, sign_in
from tracker.notifications.models import OutboxEmail

TEXT_KINDS = ("text", "textarea")
# Who reads every page: each sees pages (dashboards, lists) the others do not; a mentor's
# pages are an implementer's with fewer buttons.
READERS = ("coordinator", "implementer", "expert")
# Text fields that are stored but shown on no page, and why.
NOT_SHOWN = {
    ("auth.set_password", "username"): "the account's address for password managers, not saved",
    ("organisations.create", "website"): "shown in the organisation's edit form only",
    ("plans.new_action", "owner_name"): "an owner chosen among the users is shown instead",
    ("benchmarks.programme_drafts", "note"): (
        "the change note of the versions it publishes, shown on their pages, which the crawl "
        "could not find before they existed"
    ),
}

# A benchmark text's translation (title_fr, standard_de, ...) is shown to readers of its
# language only, not to this crawl's English ones: tests/i18n/test_benchmark_translations.py
# shows one, escaped, in French.
TRANSLATION = re.compile(r"_(fr|de)$")


def payload(number: int) -> str:
    return (
        f'zq{number}zq"><img src=x onerror=alert({number})>'
        f"<script>alert({number})</script>{{{{7*7*7*7*7*7}}}}"
    )


def url_payload(number: int) -> str:
    """A valid web address that tries to break out of the href it is shown in."""
    return f'https://example.org/zq{number}zq"><script>alert({number})</script>'


def fill(seen: SeenForm, form: Form, world: World, fields: dict[int, tuple[str, str]]) -> dict:
    """The form, valid, with a numbered payload in each of its text fields."""
    values = valid_values(form, world.known.get(seen.endpoint, {}))
    for item in form.fields.values():
        if (item.kind not in TEXT_KINDS and item.kind != "url") or item.pattern:
            continue
        number = len(fields) + 1
        fields[number] = (seen.endpoint, item.name)
        text = url_payload(number) if "url" in (item.kind, item.name) else payload(number)
        values[item.name] = [text[: item.maxlength] if item.maxlength else text]
    return values


def test_stored_payloads_are_shown_escaped_everywhere(
    app, client, world: World, discovery: Discovery, session
):
    fields: dict[int, tuple[str, str]] = {}
    pages = {url for urls in discovery.get_urls.values() for url in urls}
    for seen in discovery.unique_post_forms():
        if not any(item.kind in TEXT_KINDS for item in seen.form.fields.values()):
            continue
        role = sorted(seen.roles, key=str)[0]
        sign_in(client, world, role)
        values = fill(seen, seen.fresh(client), world, fields)
        response = client.post(
            seen.form.action,
            data=request_data(values),
            content_type="multipart/form-data" if files_of(seen.form) else None,
        )
        check_response(response, f"POST {seen.form.action} as {role}", _texts(values))
        assert not refused(client, response), f"{seen.form.action}: the payloads were refused"
        pages.add(response.headers["Location"].split("#")[0])
    pages.add("/search?q=zq")

    shown: set[int] = set()
    for role in READERS:
        sign_in(client, world, role)
        for url in sorted(pages):
            if url.endswith((".png", ".pdf", ".xlsx", ".csv", ".ics", ".json")):
                continue  # files: the exports have their own tests
            response = client.get(url)
            body = check_response(response, f"GET {url} as {role}")
            if response.mimetype in MARKUP_TYPES:
                shown.update(int(number) for number in re.findall(rb"zq(\d+)zq", body))

    missing = {
        number: fields[number]
        for number in set(fields) - shown
        if (fields[number][0], "*") not in NOT_SHOWN
        and fields[number] not in NOT_SHOWN
        and not TRANSLATION.search(fields[number][1])
    }
    assert not missing, f"stored but shown nowhere: {sorted(missing.values())}"
    assert len(shown) >= 30, f"only {len(shown)} fields shown"

    emails = session.execute(sa.select(OutboxEmail.html_body)).scalars().all()
    assert emails and not [html for html in emails if "<script>alert(" in html]


def _texts(values: dict) -> list[str]:
    return [value for items in values.values() for value in items if isinstance(value, str)]
