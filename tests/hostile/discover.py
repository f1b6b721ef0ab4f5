"""Finding what to attack: every GET page of the world as each role, the query parameters each
route reads (recorded while the page is built), and the forms the pages offer, with the roles
that were offered them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from tests.hostile.checks import check_response
from tests.hostile.pages import Form, forms_of
from tests.hostile.world import World, route_urls, routes, sign_in

CRAWLED_ROLES = ("coordinator", "implementer", "mentor", "expert", None)  # None: signed out
# Forms after which other forms may no longer apply as seen: moves, publishing or discarding a
# draft, and a new context factor (a new field on every self-assessment form).
MOVING_ON = (
    "status",
    "endorse",
    "reopen",
    "erase",
    "sign_out",
    "publish",
    "discard",
    "new_context_factor",
)
READ_PARAMETERS: set[str] = set()  # filled while a crawled request runs


class _RecordingArgs(ImmutableMultiDict):
    """Query arguments that note each name the application asks for."""

    def __getitem__(self, key: str) -> Any:
        READ_PARAMETERS.add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, type: Any = None) -> list[Any]:  # noqa: A002 (werkzeug's name)
        READ_PARAMETERS.add(key)
        return super().getlist(key, type)

    def __contains__(self, key: object) -> bool:
        READ_PARAMETERS.add(str(key))
        return super().__contains__(key)


def recording_request_class(base: type) -> type:
    class RecordingRequest(base):  # type: ignore[misc, valid-type]
        @property
        def args(self) -> _RecordingArgs:
            if "_recorded_args" not in self.__dict__:
                plain = base.args.__get__(self, type(self))
                self.__dict__["_recorded_args"] = _RecordingArgs(plain)
            return self.__dict__["_recorded_args"]

    return RecordingRequest


@dataclass
class SeenForm:
    endpoint: str
    form: Form
    page: str  # where it was first seen
    roles: set[str | None] = field(default_factory=set)

    def fresh(self, client: Any) -> Form:
        """The form as its page shows it now (with the current versions of what it edits)."""
        response = client.get(self.page)
        html = response.get_data(as_text=True)
        response.close()
        for form in forms_of(html, self.page):
            if (form.action, set(form.fields)) == (self.form.action, set(self.form.fields)):
                return form
        raise LookupError(f"{self.page} no longer shows the form to {self.form.action}")


@dataclass
class Discovery:
    get_urls: dict[str, list[str]] = field(default_factory=dict)  # endpoint -> URLs
    reads: dict[str, set[str]] = field(default_factory=dict)  # endpoint -> query parameters
    forms: dict[tuple[str, frozenset[str]], SeenForm] = field(default_factory=dict)
    pages: dict[tuple[str | None, str], bytes] = field(default_factory=dict)  # (role, url)
    statuses: dict[tuple[str | None, str], int] = field(default_factory=dict)
    mimetypes: dict[str, str] = field(default_factory=dict)  # URL -> type of what it gives
    caching: dict[tuple[str | None, str], str] = field(default_factory=dict)  # Cache-Control
    links: set[str] = field(default_factory=set)  # links to pages of the site found on pages

    def viewers(self, url: str) -> list[str | None]:
        """The crawled roles that were shown the page (not refused nor redirected)."""
        return [role for role in CRAWLED_ROLES if self.statuses.get((role, url)) == 200]

    def post_forms(self) -> list[SeenForm]:
        return [seen for seen in self.forms.values() if seen.form.method == "post"]

    def unique_post_forms(self) -> list[SeenForm]:
        """One of each form (the same form on several objects is attacked on the first seen),
        those that move an object on last (other forms may no longer apply after them)."""
        kept: dict[tuple[str, frozenset[str]], SeenForm] = {}
        for seen in self.post_forms():
            kept.setdefault((seen.endpoint, frozenset(seen.form.fields)), seen)
        return sorted(
            kept.values(), key=lambda seen: any(word in seen.endpoint for word in MOVING_ON)
        )


def endpoint_of(app: Flask, path: str, method: str) -> str | None:
    adapter = app.url_map.bind("tracker.test")
    try:
        endpoint, _args = adapter.match(path.split("?")[0], method=method)
    except HTTPException:
        return None
    return endpoint


def crawl(app: Flask, client: Any, world: World) -> Discovery:
    """GET every page of the world as each crawled role, recording what it reads and offers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "request_class", recording_request_class(app.request_class))
        return _crawl(app, client, world)


def _crawl(app: Flask, client: Any, world: World) -> Discovery:
    found = Discovery()
    for rule, method in routes(app):
        if method == "GET":
            found.get_urls[rule.endpoint] = route_urls(app, rule, world.values_for(rule.endpoint))
    not_pages: set[str] = set()  # files: the same for every role, fetched once
    for role in CRAWLED_ROLES:
        sign_in(client, world, role)
        for endpoint, urls in found.get_urls.items():
            for url in urls:
                if url in not_pages:
                    continue
                READ_PARAMETERS.clear()
                response = client.get(url)
                body = check_response(response, f"GET {url} as {role}")
                found.statuses[(role, url)] = response.status_code
                found.mimetypes[url] = response.mimetype
                found.caching[(role, url)] = response.headers.get("Cache-Control", "")
                found.reads.setdefault(endpoint, set()).update(READ_PARAMETERS)
                if response.mimetype != "text/html":
                    not_pages.add(url)
                    continue
                found.pages[(role, url)] = body
                found.links.update(
                    html.unescape(link)
                    for link in re.findall(r'href="(/[^"/][^"]*)"', body.decode())
                    if not link.startswith("/static/")
                )
                for form in forms_of(body.decode(), url):
                    target = endpoint_of(app, form.action, form.method.upper())
                    if target is None:
                        continue
                    key = (form.action, frozenset(form.fields))
                    found.forms.setdefault(key, SeenForm(target, form, url)).roles.add(role)
    return found
