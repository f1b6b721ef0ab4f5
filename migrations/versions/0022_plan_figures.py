"""plan figures: each plan's actions counted, their progress added up and the recommendations
they take up, kept by triggers on action

Revision ID: 0022_plan_figures
Revises: 0021_dashboard_indexes
Create Date: 2026-12-07 03:00:00

The dashboards read a plan's mean progress and recommendations taken up from three columns of
the plan instead of from every action of every plan; triggers on `action` keep them in the
same transaction as any change to an action (tracker/plans/figures.py). The plans already
there have theirs counted here.
"""

from alembic import op
import sqlalchemy as sa

from tracker.plans.figures import create_triggers, drop_triggers, recount_every_plan

revision = "0022_plan_figures"
down_revision = "0021_dashboard_indexes"
branch_labels = None
depends_on = None

FIGURES = ("actions_counted", "progress_total", "recommendations_taken_up")


def upgrade():
    with op.batch_alter_table("action_plan", schema=None) as batch_op:
        for name in FIGURES:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    connection = op.get_bind()
    create_triggers(connection)
    recount_every_plan(connection)


def downgrade():
    drop_triggers(op.get_bind())
    with op.batch_alter_table("action_plan", schema=None) as batch_op:
        for name in reversed(FIGURES):
            batch_op.drop_column(name)
