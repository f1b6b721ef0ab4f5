"""The pages that show check-ins run the same number of queries at 3 and at 30 completed pairs."""

from datetime import UTC, date, datetime

import pytest

from tests.helpers import QueryCounter
from tracker.checkins.models import ActionOutcome, CheckIn, CheckInAction
from tracker.pairs.models import PairStatus

COMPLETED_AT = datetime(2025, 9, 2, 10, 0, tzinfo=UTC)


def complete_pairs(make, session, scheme, count: int) -> None:
    """`count` more completed pairs on the scheme's theme, every other one with its 6-month
    check-in answered."""
    for number in range(count):
        pair = make.pair(scheme["theme"], status=PairStatus.COMPLETED)
        pair.completed_at = COMPLETED_AT
        if number % 2:
            session.add(
                CheckIn(
                    pair=pair,
                    months=6,
                    completed_on=date(2025, 9, 2),
                    plan_still_endorsed=True,
                    what_changed=f"Change {number}",
                    answered_by=make.city_member(pair.implementing_city),
                    actions=[CheckInAction(position=1, title="A", outcome=ActionOutcome.CONTINUED)],
                )
            )
    session.flush()


@pytest.mark.parametrize(
    "url", ["/?programme=cities-grow", "/programmes/cities-grow/report", "/pairs/{pair}"]
)
def test_check_in_pages_run_a_bounded_number_of_queries(
    client, login_as, make, session, scheme, url
):
    scheme["pair"].status, scheme["pair"].completed_at = PairStatus.COMPLETED, COMPLETED_AT
    login_as(scheme["coordinator"])
    target = url.format(pair=scheme["pair"].id)

    def queries() -> int:
        with QueryCounter() as counter:
            response = client.get(target)
            assert response.status_code == 200
            response.get_data()
        return counter.count

    complete_pairs(make, session, scheme, 3)
    small = queries()
    complete_pairs(make, session, scheme, 30)
    assert queries() == small
