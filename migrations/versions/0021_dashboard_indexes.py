"""dashboard indexes: the plan's health index also covers the recommendations taken up; rounds
by city, theme and status

Revision ID: 0021_dashboard_indexes
Revises: 0020_audit_at_index
Create Date: 2026-12-06 23:30:00

The dashboards count a plan's recommendations taken up from the same reading of its actions as
its progress and overdue actions; with `recommendation_id` in the index that reading stays
within the index on both databases. They count each pair's completed self-assessment rounds by
city and theme, which PostgreSQL answered by reading every round of the theme.
"""

from alembic import op


revision = "0021_dashboard_indexes"
down_revision = "0020_audit_at_index"
branch_labels = None
depends_on = None

HEALTH_BEFORE = ["plan_id", "ends_on", "status", "progress"]


def upgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_plan_health")
        batch_op.create_index("ix_action_plan_health", [*HEALTH_BEFORE, "recommendation_id"])
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_city_theme_status", ["city_id", "theme_id", "status"])


def downgrade():
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_city_theme_status")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_plan_health")
        batch_op.create_index("ix_action_plan_health", HEALTH_BEFORE)
