"""Filling a discovered form: valid values everywhere, then hostile values in some fields."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import strategies as st

from tests.hostile.pages import Form
from tests.hostile.values import (
    FORMULAS,
    IMG,
    SCRIPT,
    TEMPLATE_PROBES,
    hostile_files,
    hostile_for,
    hostile_text,
)

VALID = {  # the world's day is 2 March 2026
    "date": "2026-03-02",
    "time": "10:00",
    "email": "hostile.test@example.org",
    "url": "https://example.org/page",
    "number": "1",
    "password": "a long enough passphrase 1",
    "text": "Hostile input test",
    "textarea": "Hostile input test",
    "search": "Hostile",
}
BUTTONS = ("submit", "button")
NOT_FILLED = (*BUTTONS, "file")
LATER = {"date": "2026-03-03", "time": "12:00"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def valid_values(form: Form, known: dict[str, list[Any]] | None = None) -> dict[str, list[Any]]:
    """What a careful user sends: the page's values, a plausible value in each empty field
    (another option for a second choice among the same ones: a mentor city is not also the
    implementing city), and the values only the world knows (`known`: passwords, files)."""
    data: dict[str, list[Any]] = form.as_sent()
    chosen: dict[tuple[str, ...], int] = {}
    for item in form.fields.values():
        if item.kind in NOT_FILLED or any(value != "" for value in data.get(item.name, [])):
            continue
        if item.pattern:  # a format: what fits it is among the world's `known` values
            continue
        offered = [option for option in item.options if option != ""]
        if item.kind in ("select", "radio") and offered:
            turn = chosen[tuple(offered)] = chosen.get(tuple(offered), -1) + 1
            data[item.name] = [offered[turn % len(offered)]]
        elif item.kind == "checkbox" and (len(item.options) > 1 or item.required):
            data[item.name] = [item.options[0]]  # at least one of a list; a box to tick
        elif "url" in item.name:
            data[item.name] = [VALID["url"]]
        elif item.name.startswith("ends") and item.kind in ("date", "time"):
            data[item.name] = [LATER[item.kind]]
        elif item.kind in VALID:
            data[item.name] = [VALID[item.kind]]
    for name in files_of(form):
        data[name] = [(PNG, "file.png")]
    data.update(known or {})
    return data


def files_of(form: Form) -> list[str]:
    return [item.name for item in form.fields.values() if item.kind == "file"]


def hostile_values(
    data: st.DataObject, form: Form, foreign_ids: list[int], known: dict[str, list[Any]]
) -> tuple[dict[str, Any], list[str]]:
    """The form with hostile values in a few fields (sometimes repeated, missing, or an id of
    another pair's object); returns the request data and the texts sent."""
    values: dict[str, Any] = valid_values(form, known)
    fields = sorted(name for name, item in form.fields.items() if item.kind not in BUTTONS)
    buttons = sorted(name for name, item in form.fields.items() if item.kind == "submit")
    if buttons and (button := data.draw(st.sampled_from([None, *buttons]), label="button")):
        values[button] = ["y"]
    chosen = (
        data.draw(st.sets(st.sampled_from(fields), min_size=1), label="fields") if fields else []
    )
    for name in sorted(chosen):
        kind = form.fields[name].kind
        if kind == "file":
            values[name] = data.draw(st.lists(hostile_files(), min_size=1, max_size=2), label=name)
            continue
        one = hostile_for(kind, name)
        values[name] = data.draw(
            st.one_of(
                one.map(lambda value: [value]),
                st.lists(one, min_size=2, max_size=3),  # a repeated field
                st.just([]),  # a missing field
                st.sampled_from(foreign_ids).map(lambda value: [str(value)]),
            ),
            label=name,
        )
    if data.draw(st.booleans(), label="extra field"):
        values[data.draw(hostile_text().filter(bool), label="extra name")] = ["1"]
    return request_data(values), sent_texts(values)


def request_data(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the test client sends them (files as streams)."""
    return {
        name: [
            (io.BytesIO(item[0]), item[1]) if isinstance(item, tuple) else item for item in items
        ]
        for name, items in values.items()
    }


def sent_texts(values: dict[str, Any]) -> list[str]:
    texts = list(values)
    for items in values.values():
        for item in items:
            texts.append(item[1] if isinstance(item, tuple) else item)
    return texts


NUMBER_KINDS = ("hidden", "number", "select", "radio", "checkbox")
TEXT_KINDS = ("text", "textarea", "search", "email", "url", "password")
STRESS_TEXT = SCRIPT + IMG + TEMPLATE_PROBES[0] + "\x01\u202e\U0001f600e\u0301" + FORMULAS[0]
NUL_TEXT = "a\x00b"  # no text column can hold NUL (PostgreSQL refuses it)


def sweeps(form: Form, known: dict[str, list[Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Deterministic attacks on a form, each on every field of a kind at once (valid values in
    the others): ids and numbers beyond any column, dates at the ends of the calendar, unknown
    choices, text with markup and odd unicode, oversized text, text as long as the form allows,
    and every field repeated with NUL."""
    base = valid_values(form, known)
    by_kind: dict[str, list[str]] = {}
    for item in form.fields.values():
        if item.kind not in BUTTONS:
            by_kind.setdefault(item.kind, []).append(item.name)
    numbers = [
        name
        for kind in NUMBER_KINDS
        for name in by_kind.get(kind, [])
        if kind != "checkbox" or len(form.fields[name].options) > 1 or name.endswith("_ids")
    ]
    texts = [name for kind in TEXT_KINDS for name in by_kind.get(kind, [])]
    choices = [name for kind in ("select", "radio") for name in by_kind.get(kind, [])]
    dates, times = by_kind.get("date", []), by_kind.get("time", [])
    attacks = {  # one request each: values that would fail in the same places
        "beyond any column or calendar": {
            **dict.fromkeys(numbers, "1" + "0" * 30),
            **dict.fromkeys(dates, "9999-12-31"),
        },
        "negative, and the first day": {
            **dict.fromkeys(numbers, "-1"),
            **dict.fromkeys(dates, "0001-01-01"),
        },
        "malformed": {
            **dict.fromkeys(choices, "no-such-choice"),
            **dict.fromkeys(dates, "2026-02-30"),
            **dict.fromkeys(times, "24:00"),
        },
        "markup and odd unicode": dict.fromkeys(texts, STRESS_TEXT),
        "oversized text": dict.fromkeys(texts, "x" * 30_000),
        "text at the longest the form allows": {  # "name, affiliation" lines: both parts long
            name: "a, " + "\u00e9" * (form.fields[name].maxlength - 3)  # type: ignore[operator]
            for name in by_kind.get("text", []) + by_kind.get("textarea", [])
            if (form.fields[name].maxlength or 0) > 3
        },
    }
    found = [
        (label, {**base, **{name: [value] for name, value in values.items()}})
        for label, values in attacks.items()
        if values
    ]
    repeated = {name: [*values, NUL_TEXT] for name, values in base.items() if name in form.fields}
    if repeated:
        found.append(("every field repeated, once with NUL", {**base, **repeated}))
    return found
