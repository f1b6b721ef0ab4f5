"""The demo defines CITIES GROW's deliverable templates, and its pairs owe what they say."""

import sqlalchemy as sa

from tracker.catalogue.models import Programme
from tracker.deliverables.models import Deliverable, DeliverableKind
from tracker.demo import PAIRS
from tracker.pairs.models import Pair
from tracker.programmes.models import DeliverableTemplate
from tracker.programmes.service import add_months


def seed(app):
    result = app.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    assert result.exit_code == 0, result.output


def test_the_demo_pairs_owe_the_deliverables_of_the_programmes_templates(app, session):
    seed(app)
    seed(app)  # `make run` again: nothing twice
    templates = session.execute(
        sa.select(DeliverableTemplate.kind, DeliverableTemplate.months_after_start)
        .join(Programme)
        .where(Programme.key == "cities-grow")
        .order_by(DeliverableTemplate.months_after_start)
    ).all()
    assert templates == [(DeliverableKind.ACTION_PLAN, 6), (DeliverableKind.INFOGRAPHIC, 12)]
    owed = session.execute(
        sa.select(Deliverable, Pair, DeliverableTemplate.months_after_start)
        .join(Pair, Deliverable.pair_id == Pair.id)
        .join(DeliverableTemplate, Deliverable.template_id == DeliverableTemplate.id)
    ).all()
    assert len(owed) == 2 * len(PAIRS)
    for deliverable, pair, months in owed:
        assert deliverable.due_on == add_months(pair.starts_on, months)
        assert deliverable.is_demo
    plans = [d for d, _pair, _months in owed if d.kind is DeliverableKind.ACTION_PLAN]
    assert len({plan.status for plan in plans}) == 3  # plans at different stages


def test_a_demo_seeded_before_templates_existed_gets_them_on_the_next_run(app, session):
    seed(app)
    session.execute(sa.delete(DeliverableTemplate))
    seed(app)
    assert session.execute(sa.select(sa.func.count(DeliverableTemplate.id))).scalar_one() == 2
