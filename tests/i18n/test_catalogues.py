"""Every message of the interface has a French and a German translation (all plural forms, none
fuzzy), and no translation drops or adds a placeholder: a catalogue that falls behind the code,
or a translation that would print "%(name)s" or crash on a missing value, fails here first."""

from __future__ import annotations

import pytest

from tests.i18n.catalogues import (
    LANGUAGES,
    catalogue,
    catalogue_path,
    extracted,
    forms,
    placeholders,
)

SHOWN = 60  # problems listed in a failure; the count says how many more


def listed(problems: list[str]) -> str:
    more = f"\n... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return "\n".join(problems[:SHOWN]) + more


def catalogue_or_fail(language: str):
    path = catalogue_path(language)
    if not path.exists():
        pytest.fail(f"{path} is missing: make messages, then pybabel init (docs/translating.md)")
    return catalogue(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation(language):
    translations = catalogue_or_fail(language)
    problems = []
    for message, where in extracted().items():
        english = forms(message)
        found = translations.get(english[0])
        if found is None:
            problems.append(f"{where}: no entry for {english[0]!r}")
        elif found.fuzzy:
            problems.append(f"{where}: fuzzy (to check) {english[0]!r}")
        elif not all(forms(found.string)) or len(forms(found.string)) < len(english):
            problems.append(f"{where}: not translated {english[0]!r}")
    assert not problems, (
        f"{len(problems)} messages of {catalogue_path(language)} to translate:\n{listed(problems)}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_drops_or_adds_a_placeholder(language):
    translations = catalogue_or_fail(language)
    problems = []
    for message, where in extracted().items():
        english = forms(message)
        found = translations.get(english[0])
        if found is None:
            continue  # told by the test above
        for number, text in enumerate(forms(found.string)):
            # Plural form 0 is the singular's; every other form follows the plural's.
            source = english[min(number, len(english) - 1)]
            if text and placeholders(text) != placeholders(source):
                problems.append(
                    f"{where}: {source!r} has {placeholders(source)}, "
                    f"form {number} {text!r} has {placeholders(text)}"
                )
    assert not problems, f"{catalogue_path(language)}:\n{listed(problems)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_counts_its_plural_forms_as_the_language_does(language):
    translations = catalogue_or_fail(language)
    assert translations.num_plurals == 2, translations.plural_forms
    assert translations.locale is not None and translations.locale.language == language
