"""Benchmark content in several languages: a theme's standard, a factor's title, statement and
rationale, a guide question's text, an example's title and summary are written in English and
may, field by field, hold a translation. A row (or a version's plain values) keeps them as
`translations = {"fr": {"title": "..."}, "de": {...}}`; a reader sees their language where a
translation exists and the English otherwise, marked as English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ORIGINAL = "en"  # what every text is written in first, and what a missing translation shows
# The languages a text can be translated into, with their names for the editor.
TRANSLATED = {"fr": _l("French"), "de": _l("German")}

Translations = dict[str, dict[str, str]]


def tidy(translations: Any) -> Translations:
    """Only the known languages and non-empty texts, stripped: what is stored and compared."""
    tidied: Translations = {}
    for language in TRANSLATED:
        texts = (translations or {}).get(language) or {}
        kept = {name: text.strip() for name, text in texts.items() if text and text.strip()}
        if kept:
            tidied[language] = dict(sorted(kept.items()))
    return tidied


def pick(translations: Translations, *names: str) -> Translations:
    """The translations of some of the fields only."""
    return tidy(
        {
            language: {name: texts[name] for name in names if name in texts}
            for language, texts in (translations or {}).items()
        }
    )


def reader_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else ORIGINAL


@dataclass(frozen=True)
class Shown:
    """A text as a reader sees it: in their language, or the English when it is not translated
    (`in_original` then, so the page can mark it as English)."""

    text: str
    in_original: bool


def shown(item: Any, name: str) -> Shown:
    """The item's field `name` in the reader's language, else in English."""
    language = reader_language()
    english = getattr(item, name) or ""
    if language == ORIGINAL:
        return Shown(english, False)
    translated = ((getattr(item, "translations", None) or {}).get(language) or {}).get(name)
    if translated:
        return Shown(translated, False)
    return Shown(english, bool(english))


def text_in_reader_language(item: Any, name: str) -> str:
    """The field's text in the reader's language where translated, else the English."""
    return shown(item, name).text
