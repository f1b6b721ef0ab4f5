"""visits recorded after they took place

Revision ID: 0006_recorded_on
Revises: 0005_action_health
Create Date: 2026-12-06 14:30:00

A visit can be entered after it happened, directly as held; `recorded_on` is the day it was
entered, from which its report is due. Visits entered ahead keep it empty.
"""
import sqlalchemy as sa
from alembic import op


revision = '0006_recorded_on'
down_revision = '0005_action_health'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_column('recorded_on')
