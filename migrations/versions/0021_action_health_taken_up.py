"""the plan's health index also covers the recommendations its actions take up

Revision ID: 0021_action_health_taken_up
Revises: 0020_audit_at_index
Create Date: 2026-12-06 23:30:00

The dashboards count a plan's recommendations taken up from the same reading of its actions as
its progress and overdue actions; with `recommendation_id` in the index that reading stays
within the index on both databases.
"""
from alembic import op


revision = "0021_action_health_taken_up"
down_revision = "0020_audit_at_index"
branch_labels = None
depends_on = None

BEFORE = ["plan_id", "ends_on", "status", "progress"]


def upgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_plan_health")
        batch_op.create_index("ix_action_plan_health", [*BEFORE, "recommendation_id"])


def downgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_plan_health")
        batch_op.create_index("ix_action_plan_health", BEFORE)
