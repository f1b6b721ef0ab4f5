"""files attached to progress updates and visit reports

Revision ID: 0010_attachments
Revises: 0009_rounds
Create Date: 2026-12-06 15:27:08

Evidence (minutes, photos, slides, a council decision) attached to a progress update or a
visit report, stored like a deliverable's files.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_attachments'
down_revision = '0009_rounds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('progress_update_id', sa.Integer(), nullable=True),
    sa.Column('visit_report_id', sa.Integer(), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(progress_update_id IS NULL) <> (visit_report_id IS NULL)', name=op.f('ck_attachment_one_owner')),
    sa.ForeignKeyConstraint(['progress_update_id'], ['progress_update.id'], name=op.f('fk_attachment_progress_update_id_progress_update'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_report_id'], ['visit_report.id'], name=op.f('fk_attachment_visit_report_id_visit_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachment_stored_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_progress_update_id'), ['progress_update_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_visit_report_id'), ['visit_report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_visit_report_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_progress_update_id'))

    op.drop_table('attachment')
