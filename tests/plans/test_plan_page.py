"""The plan page's table of actions: what each row says, in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from tracker.dates import long_date
from tracker.numbers import percent
from tracker.plans.models import ActionStatus, PlanStatus
from tracker.templating import status_badge, warning_badge


def test_each_action_row_says_its_factors_owner_end_status_and_progress(
    app, client, login_as, make, scheme
):
    pair, implementer = scheme["pair"], scheme["implementer"]
    factors = scheme["theme"].factors
    plan = make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION)
    report = make.report(make.visit(pair), recommendations=1)
    late = make.action(
        plan, [factors[2], factors[0]], ActionStatus.DELAYED, 40,
        title="Job fair in Gdańsk & Łódź", owner_name="Rīga employment office",
        ends_on=date(2026, 2, 1), recommendation=report.recommendations[0],
    )  # fmt: skip
    done = make.action(
        plan, [factors[1]], ActionStatus.DONE, 100,
        title="Mentors from München", owner_user=implementer, ends_on=date(2026, 1, 15),
    )  # fmt: skip
    no_owner = make.action(plan, [factors[1]], title="Open day")
    implementer.language = "de"
    login_as(implementer)
    html = client.get(f"/pairs/{pair.id}/plan").get_data(as_text=True)

    def row(action) -> str:
        start = html.index(f'<tr id="action-{action.id}">')
        return html[start : html.index("</tr>", start)]

    with app.test_request_context(), force_locale("de"):
        delayed, finished = status_badge(ActionStatus.DELAYED), status_badge(ActionStatus.DONE)
        late_badge = warning_badge("Verspätet")
        late_row = row(late)
        assert "Job fair in Gdańsk &amp; Łódź</a>" in late_row
        assert "aus einer Besuchsempfehlung" in late_row
        # the factors in their order, one a line
        first, third = factors[0], factors[2]
        in_order = f"{first.position}. {first.title}<br>{third.position}. {third.title}</td>"
        assert in_order in late_row
        assert "<td>Rīga employment office</td>" in late_row
        assert f"<td>{long_date(date(2026, 2, 1))}</td>" in late_row
        assert f"<td>{delayed} {late_badge}</td>" in late_row
        assert f'<span class="progress-figure">{percent(40)}</span>' in late_row

        done_row = row(done)
        assert "Besuchsempfehlung" not in done_row
        assert "<td>Anna Ozola</td>" in done_row
        assert f"<td>{finished}</td>" in done_row  # done: never late
        assert f'<span class="progress-figure">{percent(100)}</span>' in done_row

        assert "<td>—</td><td>—</td>" in row(no_owner).replace("\n      ", "")
