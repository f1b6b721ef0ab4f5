"""Tests of the generated infographic: its figures, its files, who sees and attaches it."""

import xml.etree.ElementTree as ET
from datetime import date

from tests.assessments import add_round
from tracker.assessments.models import AssessmentRound, ContextEffect
from tracker.plans.models import ActionStatus, Endorsement, EndorsementLevel, PlanStatus
from tracker.visits.models import VisitKind, VisitStatus

SVG = "{http://www.w3.org/2000/svg}"
RIGA_BASELINE = [0, 1, 2, 1, 0, 3, 2, 1, 0, 2]
RIGA_MIDTERM = [2, 1, 3, 0, 1, 3, 4, 2, 0, 3]  # higher on factors 1, 3, 5, 7, 8, 10
# Riga's context: at the mid-term four factors enable the change and three limit it. The
# strongest are those that kept their effect since the baseline, then those with a note.
RIGA_BASELINE_CONTEXT = [
    ("national-legislation", ContextEffect.LIMITING, "Residence permits take a year."),
    ("labour-market", ContextEffect.ENABLING, "Employers are short of staff."),
    ("city-resources", ContextEffect.LIMITING, "The 2025 budget was cut."),
    ("civil-society", ContextEffect.ENABLING, ""),
    ("public-perception", ContextEffect.LIMITING, ""),
]
RIGA_MIDTERM_CONTEXT = [
    ("national-legislation", ContextEffect.LIMITING, "Residence permits still take a year."),
    ("labour-market", ContextEffect.ENABLING, "Employers are short of staff."),
    ("city-resources", ContextEffect.NEUTRAL, "The budget is stable again."),
    ("civil-society", ContextEffect.ENABLING, ""),
    ("eu-funding", ContextEffect.ENABLING, "An AMIF grant pays two advisers."),
    ("public-perception", ContextEffect.ENABLING, ""),
    ("political-situation", ContextEffect.LIMITING, "Elections in May 2026."),
    ("data-availability", ContextEffect.LIMITING, ""),
]


def known_scheme(make, session, scheme):
    """Riga and Helsinki with four visits (three held) and a cancelled one, six
    recommendations of which two were taken up (and one taken up, later dropped), an endorsed plan
    in implementation and two
    completed self-assessment rounds."""
    pair, theme = scheme["pair"], scheme["theme"]
    first = make.visit(pair, VisitKind.MENTORING, starts_on=date(2025, 11, 10))
    second = make.visit(pair, VisitKind.STUDY, starts_on=date(2026, 1, 20))
    make.visit(pair, VisitKind.ONLINE, VisitStatus.HELD, starts_on=date(2026, 2, 10))
    make.visit(pair, VisitKind.FINAL_REVIEW, VisitStatus.PLANNED, starts_on=date(2026, 5, 12))
    make.visit(
        pair,
        VisitKind.ONLINE,
        VisitStatus.CANCELLED,
        starts_on=date(2026, 2, 1),
        cancellation_reason="Strike",
    )
    recommendations = [
        *make.report(first, recommendations=4).recommendations,
        *make.report(second, recommendations=2).recommendations,
    ]
    plan = make.plan(pair, PlanStatus.IN_IMPLEMENTATION)
    factors = theme.factors
    from_first = recommendations[0]
    make.action(plan, [factors[0]], ActionStatus.ON_TRACK, 40, recommendation=from_first)
    make.action(plan, [factors[0]], ActionStatus.DONE, 100, recommendation=from_first)
    make.action(plan, [factors[2]], ActionStatus.AT_RISK, 12, recommendation=recommendations[4])
    make.action(plan, [factors[3]], ActionStatus.NOT_STARTED, 0)
    make.action(plan, [factors[4]], ActionStatus.DROPPED, 30, recommendation=recommendations[1])
    for level, day in (
        (EndorsementLevel.ADMINISTRATIVE, date(2026, 1, 5)),
        (EndorsementLevel.POLITICAL, date(2026, 2, 3)),
    ):
        session.add(Endorsement(plan=plan, level=level, body="Council", decided_on=day))
    riga, helsinki = pair.implementing_city, pair.mentor_city
    context = {factor.key: factor for factor in theme.programme.context_factors}
    add_round(
        session,
        riga,
        theme,
        RIGA_BASELINE,
        on=date(2025, 10, 1),
        context=[(context[key], effect, note) for key, effect, note in RIGA_BASELINE_CONTEXT],
    )
    add_round(
        session,
        riga,
        theme,
        RIGA_MIDTERM,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 20),
        context=[(context[key], effect, note) for key, effect, note in RIGA_MIDTERM_CONTEXT],
    )
    add_round(session, helsinki, theme, [3] * 10, on=date(2025, 10, 5))
    session.flush()
    return scheme


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, parsed to test it)


def text_of(root: ET.Element, element_id: str) -> str:
    element = root.find(f".//*[@id='{element_id}']")
    assert element is not None, element_id
    return " ".join("".join(element.itertext()).split())


def all_text(root: ET.Element) -> str:
    return " ".join(" ".join(root.itertext()).split())
