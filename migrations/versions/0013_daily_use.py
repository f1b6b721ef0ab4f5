"""daily use: what a calendar feed shows

Revision ID: 0013_daily_use
Revises: 0011_mail_claims
Create Date: 2026-12-06 17:00:00

Each person switches kinds of event off in their calendar feed (user.calendar_hidden).
"""

from alembic import op
import sqlalchemy as sa


revision = "0013_daily_use"
down_revision = "0011_mail_claims"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_hidden", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("calendar_hidden")
