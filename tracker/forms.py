"""Form helpers shared by every area: choices for enums, time zones and objects, and the
fields of a text's translations (tracker/content_languages.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any
from zoneinfo import available_timezones

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from wtforms import Form, SelectChoice, SelectMultipleField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from tracker.content_languages import TRANSLATED, Translations, tidy
from tracker.db import LabelledEnum
from tracker.languages import language_choices

# The largest value of an integer column (PostgreSQL's `integer`): ids and numbers from forms
# and query strings beyond it are refused as malformed, rather than overflowing the driver.
DB_INT_MAX = 2**31 - 1


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LongSelect(Select):
    """A select of hundreds of options (every city, every theme of every programme), written as
    WTForms writes it. Its options are the same on every visit, so their HTML is kept per
    process under the choices and the chosen value (never for a time: other choices, or another
    value chosen, are another key). Each choice's value must be of the field's data type."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = field.choices or []
        if self.multiple or any(
            not isinstance(choice, SelectChoice) or choice.render_kw for choice in choices
        ):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        for flag in self.validation_attrs:
            if flag not in kwargs and getattr(field.flags, flag, False):
                kwargs[flag] = True
        options = _options(
            tuple((choice.value, choice.label, choice.optgroup) for choice in choices),
            field.data,
        )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704 - escaped


@lru_cache(maxsize=512)
def _options(choices: tuple[tuple[Any, str, str | None], ...], chosen: Any) -> str:
    """The options, in groups where they have one (consecutive choices of one group share it,
    as WTForms groups them)."""
    html = []
    for group, members in groupby(choices, key=itemgetter(2)):
        if group is not None:
            html.append(f"<optgroup {html_params(label=group)}>")
        for value, label, _group in members:
            selected = " selected" if value == chosen else ""
            html.append(
                f'<option{selected} value="{escape(value)}">{escape(label or value)}</option>'
            )
        if group is not None:
            html.append("</optgroup>")
    return "".join(html)


def enum_choices(enum_class: type[LabelledEnum]) -> list[SelectChoice]:
    """Options for a select of an enum's values, labelled for people."""
    return [SelectChoice(member.value, label_text(member.label)) for member in enum_class]


def object_choices(objects: Iterable[Any], label: str = "name") -> list[SelectChoice]:
    """Options for a select of objects by id."""
    return [SelectChoice(obj.id, str(getattr(obj, label))) for obj in objects]


def timezone_choices() -> list[SelectChoice]:
    """European time zones (and UTC), the ones our users work in."""
    names = sorted(
        name
        for name in available_timezones()
        if name.startswith("Europe/") or name == "Asia/Nicosia"
    )
    return [SelectChoice(name) for name in [*names, "UTC"]]


def language_options() -> list[SelectChoice]:
    """The tracker's languages, each in its own words, after "the browser's language"."""
    return [SelectChoice("", _("The browser's language")), *choices(language_choices())]


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Options from (value, label) pairs."""
    return [SelectChoice(value, label_text(label)) for value, label in pairs]


def label_text(label: Any) -> Any:
    """An option's label: a translated label stays lazy, since a form class builds its options
    once, at import, and each request must read them in its reader's language."""
    return label if isinstance(label, LazyString) else str(label)


def db_int(value: Any) -> int:
    """An integer a database column can hold, from a form or the query string (ValueError if
    malformed or out of range, which forms and `request.args.get(type=...)` treat as invalid)."""
    number = int(value)
    if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
        raise ValueError(f"{number} is out of range")
    return number


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to int, keeping the empty choice as None."""
    if value in ("", None, "None"):
        return None
    return db_int(value)


def date_arg(name: str) -> date | None:
    """A date given in the query string (YYYY-MM-DD), or None if absent or malformed."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def refuse_nul_characters() -> Any:
    """Answer 400 to a request whose URL, query or form text holds a NUL character, which no
    text column can store (PostgreSQL refuses it) and no one types: said plainly, not a 500."""
    texts = [
        *(request.view_args or {}).values(),
        *(item for pair in request.args.items(multi=True) for item in pair),
        *(item for pair in request.form.items(multi=True) for item in pair),
    ]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        message = _(
            "The text sent contains a NUL character (\\0), which the tracker cannot store. "
            "Remove it and try again."
        )
        return render_template("error.html", code=400, title=_("Bad request"), message=message), 400
    return None


def name_row(entry: Any, name: str) -> None:
    """Name a row's fields after the row, "Observation 2 — Factor", for screen readers and the
    error summary, where several fields called "Factor" would be told apart by nothing. The
    page shows the field's own label (`short_label`) under the row's name, and the row's part
    of the label (`row_prefix`, "Observation 2 —") only to screen readers."""
    entry.row_name = name
    for field in entry.form:
        if getattr(field.widget, "input_type", None) != "hidden":  # not the row's id
            field.short_label = field.label.text
            field.row_prefix = _("%(row)s —", row=name)
            field.label.text = f"{field.row_prefix} {field.short_label}"


def add_translations(form_class: type[Form], *names: str) -> None:
    """Beside each English field `names`, an optional one per translated language (title_fr,
    title_de, ...), of the same kind and length limit, labelled "Title in French"."""
    for name in names:
        english = getattr(form_class, name)
        limits = [v for v in english.kwargs.get("validators", []) if isinstance(v, Length)]
        for language, language_name in TRANSLATED.items():
            label = _l("%(field)s in %(language)s", field=english.args[0], language=language_name)
            setattr(
                form_class,
                f"{name}_{language}",
                english.field_class(
                    label, validators=[Optional(), *limits], render_kw={"lang": language}
                ),
            )


def translations_data(part: Any, *names: str) -> dict[str, str]:
    """The translation fields' data for a part of the benchmark (title_fr: ..., ...)."""
    translations = getattr(part, "translations", None) or {}
    return {
        f"{name}_{language}": (translations.get(language) or {}).get(name, "")
        for name in names
        for language in TRANSLATED
    }


def translations_of(form: Any, *names: str) -> Translations:
    """The translations typed in a form's translation fields."""
    return tidy(
        {
            language: {name: form[f"{name}_{language}"].data or "" for name in names}
            for language in TRANSLATED
        }
    )
