"""the bin, and progress updates withdrawn

Revision ID: 0007_bin
Revises: 0006_recorded_on
Create Date: 2026-12-06 15:10:00

Deleted objects go to the bin with every row that went with them (bin_entry.contents), for a
coordinator to restore; a progress update older than a day is withdrawn rather than deleted.
"""
import sqlalchemy as sa
from alembic import op


revision = '0007_bin'
down_revision = '0006_recorded_on'
branch_labels = None
depends_on = None

BIN_KINDS = (
    'pair', 'visit', 'recommendation', 'follow_up', 'action', 'deliverable', 'comment',
    'endorsement', 'progress_update',
)


def upgrade():
    op.create_table(
        'bin_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum(*BIN_KINDS, name='binkind', native_enum=False, create_constraint=True,
                    length=15),
            nullable=False,
        ),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('went_with_it', sa.String(length=1000), nullable=False),
        sa.Column('pair_id', sa.Integer(), nullable=True),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_by_id', sa.Integer(), nullable=True),
        sa.Column('contents', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['deleted_by_id'], ['user.id'], name=op.f('fk_bin_entry_deleted_by_id_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bin_entry')),
    )
    with op.batch_alter_table('bin_entry', schema=None) as batch_op:
        batch_op.create_index('ix_bin_entry_kind_object', ['kind', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bin_entry_pair_id'), ['pair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bin_entry_deleted_at'), ['deleted_at'], unique=False)
    op.create_table(
        'progress_withdrawal',
        sa.Column('update_id', sa.Integer(), nullable=False),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['update_id'], ['progress_update.id'],
            name=op.f('fk_progress_withdrawal_update_id_progress_update'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['withdrawn_by_id'], ['user.id'],
            name=op.f('fk_progress_withdrawal_withdrawn_by_id_user'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('update_id', name=op.f('pk_progress_withdrawal')),
    )


def downgrade():
    op.drop_table('progress_withdrawal')
    with op.batch_alter_table('bin_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bin_entry_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_bin_entry_pair_id'))
        batch_op.drop_index('ix_bin_entry_kind_object')
    op.drop_table('bin_entry')
