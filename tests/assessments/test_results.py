"""The result view (chart and table) on a known data set, target levels, and latest_levels."""

import html as html_module
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.helpers import QueryCounter, page_text
from tracker.assessments.chart import x_of
from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus, FactorTarget
from tracker.assessments.queries import latest_levels
from tracker.audit.models import AuditEntry

SVG = "{http://www.w3.org/2000/svg}"
RIGA_BASELINE = [0, 1, 2, 1, 0, 3, 2, 1, 0, 2]
RIGA_MIDTERM = [2, 1, 3, 0, 1, 3, 4, 2, 0, 3]
HELSINKI_BASELINE = [3, 4, 4, 2, 3, 4, 3, 4, 2, 3]


def set_target(session, city, factor, level):
    session.add(FactorTarget(city_id=city.id, factor_id=factor.id, level=level))
    session.flush()


@pytest.fixture
def known(session, scheme):
    """Riga: completed baseline and mid-term, a draft final round, three targets; Helsinki: a
    completed baseline and a draft mid-term. Drafts must not count anywhere."""
    pair, theme = scheme["pair"], scheme["theme"]
    riga, helsinki = pair.implementing_city, pair.mentor_city
    add_round(session, riga, theme, RIGA_BASELINE, on=date(2026, 1, 10))
    add_round(
        session, riga, theme, RIGA_MIDTERM, round=AssessmentRound.MIDTERM, on=date(2026, 2, 20)
    )
    add_round(
        session,
        riga,
        theme,
        [4] * 10,
        round=AssessmentRound.FINAL,
        on=date(2026, 2, 27),
        status=AssessmentStatus.DRAFT,
    )
    add_round(session, helsinki, theme, HELSINKI_BASELINE, on=date(2026, 1, 5))
    add_round(
        session,
        helsinki,
        theme,
        [0] * 10,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 25),
        status=AssessmentStatus.DRAFT,
    )
    for position, level in [(0, 4), (2, 3), (6, 4)]:
        set_target(session, riga, theme.factors[position], level)
    return scheme


def result_rows(response):
    """The result table's body rows as visible text."""
    html = response.get_data(as_text=True)
    table = re.search(r'<table class="[^"]*result-table.*?<tbody>(.*?)</tbody>', html, re.S)
    return [
        re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def chart(response):
    """The result chart, parsed as XML."""
    svg = re.search(r'<svg\b[^>]*role="img".*?</svg>', response.get_data(as_text=True), re.S).group(
        0
    )
    return ET.fromstring(svg)  # noqa: S314 (our own page, not untrusted input)


def test_the_result_view_shows_latest_change_target_and_mentor_reference(client, login_as, known):
    titles = [factor.title for factor in known["theme"].factors]
    login_as(known["expert"])
    response = client.get(f"/pairs/{known['pair'].id}/assessments")
    assert response.status_code == 200
    rows = result_rows(response)
    assert len(rows) == 10
    assert rows[0] == (
        f"1. {titles[0]} 0 Not in place 2 Partly in place +2 4 Fully in place 3 Largely in place"
    )
    assert rows[1] == (
        f"2. {titles[1]} 1 Being discussed or planned 1 Being discussed or planned 0 "
        "— not rated 4 Fully in place"
    )
    assert rows[3] == (
        f"4. {titles[3]} 1 Being discussed or planned 0 Not in place −1 — not rated "
        "2 Partly in place"
    )
    assert rows[6] == (
        f"7. {titles[6]} 2 Partly in place 4 Fully in place +2 4 Fully in place 3 Largely in place"
    )
    assert rows[9] == (
        f"10. {titles[9]} 2 Partly in place 3 Largely in place +1 — not rated 3 Largely in place"
    )
    text = page_text(response)
    assert "Latest completed round: Mid-term, 20 Feb 2026." in text
    assert "Helsinki's latest completed round: Baseline, 5 Jan 2026." in text
    for level, label in enumerate(
        [
            "Not in place",
            "Being discussed or planned",
            "Partly in place",
            "Largely in place",
            "Fully in place",
        ]
    ):
        assert f"{level} {label}" in text


def test_the_chart_is_well_formed_accessible_svg_with_a_mark_per_value(client, login_as, known):
    login_as(known["implementer"])
    svg = chart(client.get(f"/pairs/{known['pair'].id}/assessments"))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    labelled_by = svg.get("aria-labelledby").split()
    ids = {element.get("id"): element for element in svg.iter() if element.get("id")}
    assert [ids[name].tag for name in labelled_by] == [f"{SVG}title", f"{SVG}desc"]
    assert "Riga" in ids[labelled_by[0]].text
    legend = svg.find(f"{SVG}g[@class='chart-legend']")
    assert [text.text for text in legend.iter(f"{SVG}text")] == [
        "Baseline",
        "Mid-term (latest)",
        "Target",
        "Helsinki (mentor)",
    ]
    rows = [g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith("chart-row")]
    assert len(rows) == 10

    def marks(row, kind):
        return [e for e in row if e.get("class") == f"mark-{kind}"]

    first = rows[0]
    assert float(marks(first, "baseline")[0].get("cx")) == x_of(0)
    assert float(marks(first, "latest")[0].get("cx")) == x_of(2)
    assert float(marks(first, "mentor")[0].get("x1")) == x_of(3)
    assert marks(first, "target")[0].get("points").startswith(f"{x_of(4):g},")
    assert marks(rows[3], "target") == []
    assert sum(len(marks(row, "target")) for row in rows) == 3
    assert all(len(marks(row, "latest")) == 1 for row in rows)


def test_with_only_a_baseline_there_is_no_change_and_no_baseline_mark(
    client, login_as, session, scheme
):
    pair = scheme["pair"]
    add_round(session, pair.implementing_city, scheme["theme"], RIGA_BASELINE)
    login_as(scheme["coordinator"])
    response = client.get(f"/pairs/{pair.id}/assessments")
    assert result_rows(response)[0].startswith(
        f"1. {scheme['theme'].factors[0].title} 0 Not in place 0 Not in place — no later round yet"
    )
    assert "Helsinki has not completed a round on this theme yet" in page_text(response)
    svg = chart(response)
    assert not [e for e in svg.iter() if e.get("class") == "mark-baseline"]
    assert not [e for e in svg.iter() if e.get("class") == "mark-mentor"]


def test_without_a_completed_round_there_is_no_chart(client, login_as, session, scheme):
    pair = scheme["pair"]
    add_round(
        session,
        pair.implementing_city,
        scheme["theme"],
        [2] * 10,
        status=AssessmentStatus.DRAFT,
    )
    login_as(scheme["mentor"])
    response = client.get(f"/pairs/{pair.id}/assessments")
    assert "Riga has not completed a self-assessment round on this theme yet" in page_text(response)
    assert 'role="img"' not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status", "may_start"),
    [
        ("implementer", 200, True),
        ("mentor", 200, True),
        ("expert", 200, False),
        ("coordinator", 200, False),
        ("outsider", 404, False),
        ("other_expert", 404, False),
    ],
)
def test_who_sees_the_results_and_who_may_start_a_round(
    client, login_as, known, who, status, may_start
):
    login_as(known[who])
    response = client.get(f"/pairs/{known['pair'].id}/assessments")
    assert response.status_code == status
    if status == 200:
        assert ("Start a round for" in page_text(response)) is may_start


def full_scheme(make, session, theme):
    """A pair on `theme` with two completed rounds, targets and a mentor reference."""
    pair = make.pair(theme)
    count = len(theme.factors)
    add_round(session, pair.implementing_city, theme, [1] * count)
    add_round(
        session,
        pair.implementing_city,
        theme,
        [2] * count,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 1),
    )
    add_round(session, pair.mentor_city, theme, [3] * count)
    for factor in theme.factors:
        set_target(session, pair.implementing_city, factor, 4)
    return pair


def test_the_result_page_runs_the_same_number_of_queries_for_7_and_10_factors(
    client, login_as, make, session, today
):
    seven = full_scheme(make, session, make.theme(code="A"))
    ten = full_scheme(make, session, make.theme(code="B"))
    assert (len(seven.theme.factors), len(ten.theme.factors)) == (7, 10)
    login_as(make.coordinator())
    with QueryCounter() as small:
        assert client.get(f"/pairs/{seven.id}/assessments").status_code == 200
    with QueryCounter() as large:
        assert client.get(f"/pairs/{ten.id}/assessments").status_code == 200
    assert small.count == large.count, (small.statements, large.statements)


def test_the_round_page_runs_the_same_number_of_queries_for_7_and_10_factors(
    client, login_as, make, session, today
):
    pairs = [full_scheme(make, session, make.theme(code=code)) for code in "AB"]
    login_as(make.coordinator())
    counters = []
    for pair in pairs:
        baseline = session.execute(
            sa.select(Assessment).where(
                Assessment.city_id == pair.implementing_city_id,
                Assessment.round == AssessmentRound.BASELINE,
            )
        ).scalar_one()
        with QueryCounter() as counter:
            assert client.get(f"/assessments/{baseline.id}").status_code == 200
        counters.append(counter)
    assert counters[0].count == counters[1].count, [c.statements for c in counters]


def test_the_implementing_city_sets_targets_after_a_completed_round(
    client, login_as, session, scheme
):
    pair, factors = scheme["pair"], scheme["theme"].factors
    login_as(scheme["implementer"])
    baseline = add_round(
        session,
        pair.implementing_city,
        scheme["theme"],
        [1] * 10,
        status=AssessmentStatus.DRAFT,
    )
    assert client.get(f"/pairs/{pair.id}/targets").status_code == 302
    client.post(f"/pairs/{pair.id}/targets", data={f"target_{factors[0].id}": "4"})
    assert session.execute(sa.select(sa.func.count(FactorTarget.id))).scalar_one() == 0

    baseline.status = AssessmentStatus.COMPLETED
    session.flush()
    assert client.get(f"/pairs/{pair.id}/targets").status_code == 200
    data = {f"target_{factor.id}": "" for factor in factors}
    data.update({f"target_{factors[0].id}": "4", f"target_{factors[1].id}": "3"})
    assert client.post(f"/pairs/{pair.id}/targets", data=data).status_code == 302
    data.update({f"target_{factors[1].id}": "", f"target_{factors[2].id}": "2"})
    assert client.post(f"/pairs/{pair.id}/targets", data=data).status_code == 302

    targets = dict(
        session.execute(
            sa.select(FactorTarget.factor_id, FactorTarget.level).where(
                FactorTarget.city_id == pair.implementing_city_id
            )
        ).all()
    )
    assert targets == {factors[0].id: 4, factors[2].id: 2}
    entries = (
        session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.action == "assessment.targets_set")
            .order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )
    assert [(e.pair_id, e.details["targets"]) for e in entries] == [
        (pair.id, {str(factors[0].id): 4, str(factors[1].id): 3}),
        (pair.id, {str(factors[1].id): None, str(factors[2].id): 2}),
    ]
    rows = result_rows(client.get(f"/pairs/{pair.id}/assessments"))
    assert rows[2] == (
        f"3. {factors[2].title} 1 Being discussed or planned 1 Being discussed or planned "
        "— no later round yet 2 Partly in place — not rated"
    )


def test_a_target_off_the_scale_is_refused(client, login_as, session, known):
    pair, factor = known["pair"], known["theme"].factors[1]
    login_as(known["implementer"])
    response = client.post(f"/pairs/{pair.id}/targets", data={f"target_{factor.id}": "5"})
    assert response.status_code == 200
    assert "Choose one of the levels from 0 to 4." in page_text(response)
    assert (
        session.execute(
            sa.select(FactorTarget).where(FactorTarget.factor_id == factor.id)
        ).scalar_one_or_none()
        is None
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 403), ("expert", 403), ("coordinator", 403), ("outsider", 404)],
)
def test_only_the_implementing_city_sets_targets(client, login_as, session, known, who, status):
    pair, factor = known["pair"], known["theme"].factors[1]
    login_as(known[who])
    assert client.get(f"/pairs/{pair.id}/targets").status_code == status
    assert (
        client.post(f"/pairs/{pair.id}/targets", data={f"target_{factor.id}": "2"}).status_code
        == status
    )
    assert (
        session.execute(
            sa.select(FactorTarget).where(FactorTarget.factor_id == factor.id)
        ).scalar_one_or_none()
        is None
    )


def test_latest_levels_come_from_the_latest_completed_round(known):
    pair, factors = known["pair"], known["theme"].factors
    assert latest_levels(pair.implementing_city_id, pair.theme_id) == {
        factor.id: level for factor, level in zip(factors, RIGA_MIDTERM, strict=True)
    }
    assert latest_levels(pair.mentor_city_id, pair.theme_id) == {
        factor.id: level for factor, level in zip(factors, HELSINKI_BASELINE, strict=True)
    }
    assert latest_levels(pair.implementing_city_id, pair.theme_id + 1000) == {}
