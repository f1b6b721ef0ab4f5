"""Template filters and globals: dates in the user's time zone and a European format."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from tracker.audit.wording import action_words
from tracker.auth.models import Role
from tracker.auth.policy.rules import Need, can
from tracker.content_languages import TRANSLATED, shown
from tracker.dates import long_date, long_datetime, month_name, time_of_day
from tracker.folding import find
from tracker.languages import language_choices
from tracker.links import row_link
from tracker.notifications.queries import unread_count
from tracker.numbers import decimal, percent


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(long_date, "date")
    app.add_template_filter(long_datetime, "datetime")
    app.add_template_filter(month_name, "month")
    app.add_template_filter(time_of_day, "time")
    app.add_template_filter(time_element, "time_tag")
    app.add_template_global(Role, "Role")
    app.add_template_global(field_attrs)
    app.add_template_global(fields_with_errors)
    app.add_template_filter(dict_without)
    app.add_template_filter(highlight)
    app.add_template_filter(action_words, "audit_action")

    app.add_template_global(Need)
    app.add_template_global(current_language)
    app.add_template_global(language_choices)
    app.add_template_filter(percent)
    app.add_template_filter(decimal)
    app.add_template_global(may)
    app.add_template_global(shown)
    app.add_template_global(TRANSLATED, "translated_languages")
    app.add_template_global(row_link)
    app.add_template_global(status_badge)
    app.add_template_global(warning_badge)
    app.add_template_global(health_badge)
    app.add_template_global(pair_name)

    @app.context_processor
    def navigation() -> dict[str, object]:
        if not getattr(current_user, "is_authenticated", False):  # None outside a request
            return {"current_role": None, "unread_count": lambda: 0}
        # A callable, so pages that never show the bell (errors, emails) cost no query.
        return {
            "current_role": current_user.role,
            "unread_count": lambda: unread_count(current_user),
        }


def may(need: Need, subject: Any = None) -> bool:
    """Whether the signed-in user has `need` on the subject (the network when None): what a
    page offers follows the policy."""
    return can(current_user, need, subject)


def status_badge(status: Any) -> Markup:
    """A status (any LabelledEnum) in words, coloured by its value or, where its enum gives one,
    its tone. A function, not a macro: tables write one per row, and a Jinja macro call costs
    many times more than this."""
    tone = getattr(status, "tone", status.value)
    return Markup('<span class="badge status status-%s">%s</span>') % (tone, status.label)


def warning_badge(text: str, **more: str) -> Markup:
    """Something that needs attention, in words: late, overdue, a gap. `class` (a word Python
    keeps for itself, hence `more`) adds classes to the badge's."""
    extra = Markup(" %s") % more["class"] if more.get("class") else ""
    return Markup('<span class="badge status status-at_risk%s">%s</span>') % (extra, text)


def pair_name(
    pair: Any, theme: bool = True, link: bool | str = False, arrow: str | None = None
) -> Markup:
    """A pair's name, "B · Helsinki → Riga" (Pair.label). `theme=False` leaves the theme's code
    out where the page already says it, `link` links it to the pair's page (or, given an
    address, to that: a table builds its rows' links once with `row_link`), `arrow` is what
    screen readers hear instead of the arrow. A function, not a macro: tables write one per row."""
    if arrow:
        name = Markup(
            '%s%s <span aria-hidden="true">→</span><span class="visually-hidden">%s</span> %s'
        ) % (
            f"{pair.theme.code} · " if theme else "",
            pair.mentor_city.name,
            arrow,
            pair.implementing_city.name,
        )
    else:
        name = escape(pair.label if theme else pair.cities)
    if not link:
        return name
    href = link if isinstance(link, str) else url_for("pairs.show", pair_id=pair.id)
    return Markup('<a href="%s">%s</a>') % (href, name)


# The shape of each health, so that it is never told by colour alone.
HEALTH_SHAPES = {
    "on_track": '<circle cx="5" cy="5" r="4.5"/>',
    "needs_attention": '<polygon points="5,0.5 9.5,9.5 0.5,9.5"/>',
    "at_risk": '<rect x="0.5" y="0.5" width="9" height="9"/>',
}


def health_badge(health: Any, reasons: list[str] | None = None) -> Markup:
    """A pair's health in words and in a shape, never in colour alone; the reasons are shown
    as text, not in a tooltip that keyboards and touch screens cannot reach. A function, not a
    macro: the dashboards write one per pair."""
    shape = Markup(HEALTH_SHAPES[health.value])  # noqa: S704 - the constant above
    badge = Markup(
        '\n<span class="badge health health-%s">\n'
        '  <svg aria-hidden="true" width="10" height="10" viewBox="0 0 10 10" class="health-shape">'
        "\n    %s\n  </svg>\n  %s</span>"
    ) % (health.value, shape, health.label)
    if reasons:
        badge += Markup('<div class="small text-body-secondary">%s</div>') % "; ".join(reasons)
    return badge + "\n"


def current_language() -> str:
    """The language the page or email is written in, for `<html lang>`."""
    return str(get_locale() or "en").replace("_", "-")


def select_timezone() -> str | None:
    """Flask-Babel's time zone: the signed-in user's own, else the configured default."""
    if getattr(current_user, "is_authenticated", False):  # None outside a request (jobs)
        return current_user.timezone
    return None


def time_element(value: date | datetime | None) -> Markup:
    """A <time> element: the European date (and time, in the viewer's zone) for people, the
    exact ISO value for machines."""
    if value is None:
        return Markup("")
    text = long_datetime(value) if isinstance(value, datetime) else long_date(value)
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), text)


def field_attrs(field: Any, css_class: str, **extra: Any) -> dict[str, Any]:
    """HTML attributes tying a form field to its hint and errors, for screen readers."""
    described = [f"{field.id}-hint"] if field.description else []
    if field.errors:
        described.append(f"{field.id}-error")
    attrs: dict[str, Any] = {"class_": css_class + (" is-invalid" if field.errors else "")}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.flags.required:
        attrs["required"] = True
    attrs.update({name: value for name, value in extra.items() if value is not None})
    return attrs


def fields_with_errors(form: Any) -> list[Any]:
    """The fields of a form that failed validation, including those in rows of a FieldList, in
    the order they appear: the lines of the error summary, each linking to its own field."""
    failed = []
    for field in form:
        if field.type in ("FieldList", "FormField"):
            failed.extend(fields_with_errors(field))
        elif field.errors:
            failed.append(field)
    return failed


def dict_without(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A copy of a mapping without some keys (to rebuild a URL with one argument changed)."""
    return {key: value for key, value in mapping.items() if key not in keys}


def highlight(text: str | None, query: str, around: int | None = None) -> Markup:
    """The text with its first match of `query` (ignoring case and accents) marked; with
    `around`, only that many characters either side of the match, for long texts."""
    text = " ".join((text or "").split())
    span = find(text, query)
    if span is None:
        return escape(
            text if around is None or len(text) <= 2 * around else text[: 2 * around] + "…"
        )
    start, end = span
    before, match, after = text[:start], text[start:end], text[end:]
    if around is not None:
        before = ("…" + before[-around:]) if len(before) > around else before
        after = (after[:around] + "…") if len(after) > around else after
    return escape(before) + Markup("<mark>") + escape(match) + Markup("</mark>") + escape(after)
