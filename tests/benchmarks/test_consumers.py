"""After a version retires a factor: visits and plans offer only the live factors, but an action
or a visit report that already works on the retired one keeps it."""

from datetime import date

from tests.helpers import page_text
from tracker.benchmarks.content import Benchmark, live_benchmark
from tracker.benchmarks.models import BenchmarkDraft
from tracker.benchmarks.publishing import publish_draft
from tracker.visits.models import VisitStatus


def retire_first_factor(session, theme, coordinator):
    """Publish version 2 of the theme without its first factor."""
    factors = live_benchmark(theme.id).factors
    draft = BenchmarkDraft(theme=theme, based_on=1, content=Benchmark(factors[1:]).to_json())
    session.add(draft)
    session.flush()
    return publish_draft(coordinator, draft, "Factor 1 moved to theme A.")


def test_a_retired_factor_stays_where_it_was_used_and_is_offered_nowhere_else(
    client, login_as, make, session, scheme
):
    pair, theme = scheme["pair"], scheme["theme"]
    retired = theme.factors[0]
    plan = make.plan(pair)
    action = make.action(plan, [retired], title="A desk at the job centre")
    visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 10))
    make.report(visit, recommendations=1, author=scheme["expert"])
    visit.report.recommendations[0].factor = retired
    session.flush()
    assert retire_first_factor(session, theme, scheme["coordinator"]).number == 2
    session.expire_all()
    assert retired.retired_in_version == 2 and retired not in theme.factors

    login_as(scheme["implementer"])
    edit = client.get(f"/actions/{action.id}/edit").get_data(as_text=True)
    assert f'value="{retired.id}"' in edit
    new = client.get(f"/pairs/{pair.id}/plan/actions/new").get_data(as_text=True)
    assert f'value="{retired.id}"' not in new

    login_as(scheme["expert"])
    report = client.get(f"/visits/{visit.id}/report").get_data(as_text=True)
    assert f'<option selected value="{retired.id}">' in report
    response = client.post(
        f"/visits/{visit.id}/report",
        data={
            "summary": "What we saw.",
            "recommendations-0-row_id": visit.report.recommendations[0].id,
            "recommendations-0-factor_id": retired.id,
            "recommendations-0-priority": "medium",
            "recommendations-0-text": "Keep the desk open on Saturdays.",
            "version": visit.report.version_id,
        },
    )
    assert response.status_code == 302, page_text(response)
    focus = client.get(f"/visits/{visit.id}/focus").get_data(as_text=True)
    assert f'value="{retired.id}"' not in focus
