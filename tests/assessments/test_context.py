"""Context factors in the results view: what the implementing city records as enabling or
limiting, per completed round, with the change since the baseline; and which are strongest."""

import html as html_module
import re
from datetime import date

import pytest

from tests.assessments import add_round
from tests.helpers import page_text
from tests.infographics import (
    RIGA_BASELINE,
    RIGA_BASELINE_CONTEXT,
    RIGA_MIDTERM,
    RIGA_MIDTERM_CONTEXT,
)
from tracker.assessments.context import city_context, context_change
from tracker.assessments.models import (
    AssessmentRound,
    AssessmentStatus,
    ContextChange,
    ContextEffect,
)

E, N, L = ContextEffect.ENABLING, ContextEffect.NEUTRAL, ContextEffect.LIMITING


def notes(theme, rows):
    by_key = {factor.key: factor for factor in theme.programme.context_factors}
    return [(by_key[key], effect, note) for key, effect, note in rows]


@pytest.fixture
def riga(session, scheme):
    """Riga's baseline and mid-term with their context notes; a draft final round and
    Helsinki's baseline say otherwise, and must not count."""
    pair, theme = scheme["pair"], scheme["theme"]
    city = pair.implementing_city
    add_round(
        session, city, theme, RIGA_BASELINE, on=date(2025, 10, 1),
        context=notes(theme, RIGA_BASELINE_CONTEXT),
    )  # fmt: skip
    add_round(
        session, city, theme, RIGA_MIDTERM, round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 20), context=notes(theme, RIGA_MIDTERM_CONTEXT),
    )  # fmt: skip
    add_round(
        session, city, theme, [4] * 10, round=AssessmentRound.FINAL, on=date(2026, 2, 27),
        status=AssessmentStatus.DRAFT,
        context=notes(theme, [("demography", L, "Only in the draft.")]),
    )  # fmt: skip
    add_round(
        session, pair.mentor_city, theme, [3] * 10, on=date(2025, 10, 5),
        context=notes(theme, [("demography", E, "Helsinki's own view.")]),
    )  # fmt: skip
    return scheme


def context_rows(response):
    """The context table's body rows as visible text."""
    page = response.get_data(as_text=True)
    table = re.search(r'<table class="[^"]*context-table.*?<tbody>(.*?)</tbody>', page, re.S)
    return [
        re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def test_the_results_show_each_context_factor_per_round_with_the_change(client, login_as, riga):
    login_as(riga["mentor"])
    response = client.get(f"/pairs/{riga['pair'].id}/assessments")
    text = page_text(response)
    assert "What enables and what limits the change in Riga" in text
    assert "Context factor Baseline 1 Oct 2025 Mid-term 20 Feb 2026 Change since the baseline" in (
        text
    )
    rows = context_rows(response)
    assert len(rows) == 10
    assert rows[0] == (
        "National legislation and policy Limiting Residence permits take a year. "
        "Limiting Residence permits still take a year. Unchanged"
    )
    assert rows[1] == "Data availability — not described Limiting Newly described"
    assert rows[2] == (
        "Demography and migrant population — not described — not described "
        "— not described in the latest round"
    )
    assert rows[4] == (
        "City resources Limiting The 2025 budget was cut. Neutral The budget is stable again. "
        "More enabling (limiting → neutral)"
    )
    assert rows[9].endswith("Limiting Enabling More enabling (limiting → enabling)")
    assert "Only in the draft." not in text and "Helsinki's own view." not in text


def test_a_baseline_alone_shows_its_context_without_changes(client, login_as, session, scheme):
    theme = scheme["theme"]
    add_round(
        session, scheme["pair"].implementing_city, theme, RIGA_BASELINE,
        context=notes(theme, RIGA_BASELINE_CONTEXT),
    )  # fmt: skip
    login_as(scheme["implementer"])
    response = client.get(f"/pairs/{scheme['pair'].id}/assessments")
    assert "Change since the baseline" not in page_text(response)
    assert context_rows(response)[3] == (
        "Labour market and other economic conditions Enabling Employers are short of staff."
    )


def test_a_round_without_context_says_so(client, login_as, session, scheme):
    add_round(session, scheme["pair"].implementing_city, scheme["theme"], RIGA_BASELINE)
    login_as(scheme["implementer"])
    text = page_text(client.get(f"/pairs/{scheme['pair'].id}/assessments"))
    assert "Riga has not described in a completed round yet what enables or limits the change." in (
        text
    )


@pytest.mark.parametrize(
    ("baseline", "latest", "change"),
    [
        (L, E, ContextChange.MORE_ENABLING),
        (L, N, ContextChange.MORE_ENABLING),
        (N, L, ContextChange.MORE_LIMITING),
        (E, E, ContextChange.UNCHANGED),
        (None, L, ContextChange.NEWLY_DESCRIBED),
        (E, None, None),
    ],
)
def test_a_change_reads_the_effects_as_a_scale(baseline, latest, change):
    assert context_change(baseline, latest) is change


def test_the_strongest_kept_their_effect_longest_then_have_a_note(riga):
    pair = riga["pair"]
    context = city_context(pair.implementing_city_id, pair.theme_id, pair.theme.programme_id)
    assert [r.context_factor.key for r in context.strongest(E)] == [
        "labour-market",  # enabling in both rounds, explained
        "civil-society",  # enabling in both rounds
        "eu-funding",  # new, explained
        "public-perception",
    ]
    assert [r.context_factor.key for r in context.strongest(L, 2)] == [
        "national-legislation",
        "political-situation",
    ]
    assert [effect for effect, _results in context.by_effect()] == [E, L, N]
