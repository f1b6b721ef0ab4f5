"""mail claims and job heartbeats

Revision ID: 0011_mail_claims
Revises: 0010_attachments
Create Date: 2026-12-06 14:00:00

The sender claims each batch with a token of its own and renews the claim while it sends; it
marks each email just before handing it to the SMTP server, so a claim taken over from a sender
that stopped mid-send is known to have maybe been delivered; and each email keeps one
Message-ID for all its attempts. Job runs stamp a heartbeat, so a run that died shows as failed.
"""

from alembic import op
import sqlalchemy as sa


revision = "0011_mail_claims"
down_revision = "0010_attachments"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_email", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("interrupted_send", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("message_id", sa.String(length=250), nullable=True))

    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")

    with op.batch_alter_table("outbox_email", schema=None) as batch_op:
        batch_op.drop_column("message_id")
        batch_op.drop_column("interrupted_send")
        batch_op.drop_column("handed_over_at")
        batch_op.drop_column("claim_token")
