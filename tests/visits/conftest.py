"""Fixtures for visits: a pair on theme B with its people, on a frozen day."""

from datetime import date

import pytest
from freezegun import freeze_time

TODAY = date(2026, 3, 2)


@pytest.fixture
def today():
    with freeze_time("2026-03-02 10:00:00"):
        yield TODAY


@pytest.fixture
def scheme(make, today):
    theme = make.theme(code="B")
    riga, helsinki = (
        make.city("Riga", timezone="Europe/Riga"),
        make.city("Helsinki", timezone="Europe/Helsinki"),
    )
    pair = make.pair(theme, mentor=helsinki, implementing=riga)
    return {
        "pair": pair,
        "theme": theme,
        "implementer": make.city_member(riga, name="Anna Ozola"),
        "mentor": make.city_member(helsinki, name="Mikko Virtanen"),
        "expert": make.expert(theme.expert_organisation, name="Jonathan Reed"),
        "other_expert": make.expert(make.expert_organisation(), name="Someone Else"),
        "outsider": make.city_member(make.city(), name="Outsider"),
        "coordinator": make.coordinator(name="Claire Dubois"),
    }
