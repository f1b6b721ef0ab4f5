"""latest activity from an index: the audit log by time and id

Revision ID: 0020_audit_at_index
Revises: 0019_across
Create Date: 2026-12-06 20:10:00

The dashboards' "latest activity" takes the newest few entries of the user's pairs. With the
log indexed by (at, id) PostgreSQL walks it from the newest and stops after those few, instead
of reading every entry of every pair the user ever had and sorting them; the index on `at`
alone is a prefix of the new one and goes.
"""
from alembic import op


revision = "0020_audit_at_index"
down_revision = "0019_across"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_at_id', ['at', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.drop_index('ix_audit_entry_at_id')
