"""The interface's messages and their French and German catalogues: the messages as `make
messages` extracts them, the catalogues as translators fill them, compiled for a test, and the
English sentences a translated page must no longer show."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from config import BASE_DIR

LANGUAGES = ("fr", "de")
TRANSLATIONS = BASE_DIR / "tracker" / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}  # what `make messages` passes: `-k _l`
# A placeholder, as the translators' brief counts them: %(name)s, %(num)d, %(percent).0f, %%, {name}.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[a-z_]+\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]{2,}")


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


@cache
def extracted() -> dict[str | tuple[str, ...], str]:
    """Every message of the interface (a plural one as its tuple of forms), with where it is."""
    with (BASE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    messages: dict[str | tuple[str, ...], str] = {}
    for filename, line, message, *_rest in extract_from_dir(
        BASE_DIR, method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message[:2])
        messages.setdefault(key, f"{filename}:{line}")
    return messages


@cache
def catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as file:
        return read_po(file, locale=language)


def translation(language: str, message: str) -> str:
    """A singular message's translation (the message itself if it has none)."""
    found = catalogue(language).get(message)
    return found.string if found and found.string else message


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def forms(message: Any) -> tuple[str, ...]:
    """A message's id or translation as a tuple of its forms (one for a singular message)."""
    if isinstance(message, str):
        return (message,)
    return tuple(message or ())


def compile_catalogues(folder: Path) -> None:
    """Write each language's compiled catalogue under `folder`, as `make translations` does."""
    for language in LANGUAGES:
        target = folder / language / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        with (target / "messages.mo").open("wb") as file:
            write_mo(file, catalogue(language))


@cache
def english_sentences(language: str) -> dict[str, str]:
    """The English a page in `language` must not show: every run of three words or more of the
    interface's messages (their HTML and placeholders cut out) whose translation says
    something else, each with the message it comes from."""
    translations = catalogue(language)
    sentences: dict[str, str] = {}
    for message in extracted():
        translated = translations.get(message if isinstance(message, str) else message[0])
        translated_forms = forms(translated.string) if translated else ()
        for english in forms(message):
            if english in translated_forms:
                continue  # the same in both languages (a code, a format's name)
            for fragment in PLACEHOLDER.split(html.unescape(TAG.sub(" ", english))):
                fragment = " ".join(fragment.split()).strip(" ,.;:()—–-·")
                if len(WORD.findall(fragment)) >= 3:
                    sentences.setdefault(fragment, english)
    return sentences
