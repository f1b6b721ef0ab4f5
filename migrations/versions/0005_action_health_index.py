"""covering index for plan health

Revision ID: 0005_action_health
Revises: 0004_performance
Create Date: 2026-11-25 04:05:00

The dashboards' plan figures (mean progress, overdue actions) read plan_id, ends_on, status and
progress of the actions of live plans; with these in one index PostgreSQL reads them from the
index instead of scanning the whole action table, which grows with every finished programme.
It replaces the (plan_id, ends_on) index, of which it is an extension.
"""
from alembic import op


revision = '0005_action_health'
down_revision = '0004_performance'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_plan_ends_on')
        batch_op.create_index(
            'ix_action_plan_health', ['plan_id', 'ends_on', 'status', 'progress'], unique=False
        )


def downgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_plan_health')
        batch_op.create_index('ix_action_plan_ends_on', ['plan_id', 'ends_on'], unique=False)
