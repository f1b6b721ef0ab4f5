"""The interface's languages: which one a page is written in, and writing for someone else.

A page speaks the signed-in person's own choice (`User.language`), else the visitor's choice made
on the sign-in page (kept in the session), else the browser's best match, else
DEFAULT_LANGUAGE. An email, a notification or a reminder is written for its recipient
(`speaking_to`): their own language or DEFAULT_LANGUAGE, never the browser of whoever caused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_babel import force_locale
from flask_login import current_user
from pytz import timezone

SESSION_KEY = "language"  # a signed-out visitor's choice
USER_LANGUAGE = "user_language"  # on `g`: the signed-in person's own, set as they are loaded


def languages() -> tuple[str, ...]:
    """The codes of the languages the tracker speaks, the default's first among equals."""
    return tuple(current_app.config["LANGUAGES"])


def default_language() -> str:
    return current_app.config["DEFAULT_LANGUAGE"]


def known_language(code: object) -> str | None:
    """The code if the tracker speaks that language, else None (a forged or stale value)."""
    return code if isinstance(code, str) and code in languages() else None


def language_name(code: str) -> str:
    """A language in its own words ("Deutsch"), as people look for it in a list."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in languages()]


def language_from_text(text: str) -> str | None:
    """A language as written in a file: its code or its own name, in any case ("DE",
    "Deutsch"); "" for an empty cell, None for one the tracker does not speak."""
    wanted = text.strip().casefold()
    if not wanted:
        return ""
    for code in languages():
        names = (code, language_name(code).casefold(), Locale.parse(code).english_name.casefold())
        if wanted in names:
            return code
    return None


def language_of(user: Any) -> str:
    """The language to write to a person in when they are not there to ask their browser."""
    return known_language(getattr(user, "language", None)) or default_language()


def select_locale() -> str:
    """Flask-Babel's locale for this request (see the module's docstring)."""
    if has_request_context() and USER_LANGUAGE not in g:
        current_user.get_id  # noqa: B018 - loads the signed-in person, who sets USER_LANGUAGE
    # Read from `g`, not from the user: the first translation can come after a job run within
    # the request left the user's row detached from its session.
    chosen = known_language(g.get(USER_LANGUAGE))
    if chosen:
        return chosen
    if not has_request_context():
        return default_language()
    return (
        known_language(session.get(SESSION_KEY))
        or request.accept_languages.best_match(languages())
        or default_language()
    )


@contextmanager
def speaking_to(user: Any) -> Iterator[str]:
    """Write for `user`: their language, and their time zone for the dates shown."""
    language = language_of(user)
    with force_locale(language):
        context = g.get("_flask_babel")  # Flask-Babel's per-context cache, made by force_locale
        saved = getattr(context, "babel_tzinfo", None)
        if context is not None and getattr(user, "timezone", None):
            context.babel_tzinfo = timezone(user.timezone)
        try:
            yield language
        finally:
            if context is not None:
                context.babel_tzinfo = saved
