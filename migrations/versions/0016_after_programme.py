"""after the programme: check-ins months after a pair completed; peer reading

Revision ID: 0016_after_programme
Revises: 0015_stored_chunks
Create Date: 2026-12-06 17:15:02

A pair remembers when it completed (the check-ins count from that day); each check-in the
implementing city answers keeps what became of every action of its plan. Pairs completed before
this revision take the time of their last status change in the audit log (the one that
completed them), else the time the pair was last changed. A programme whose cities read each
other's pairs (peer reading) has a row in peer_reading; none has, so it starts off everywhere.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_after_programme'
down_revision = '0015_stored_chunks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('peer_reading',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('turned_on_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('turned_on_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_peer_reading_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['turned_on_by_id'], ['user.id'], name=op.f('fk_peer_reading_turned_on_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('programme_id', name=op.f('pk_peer_reading'))
    )
    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('plan_still_endorsed', sa.Boolean(), nullable=False),
    sa.Column('what_changed', sa.String(length=300), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_check_in_answered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], name=op.f('fk_check_in_pair_id_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    sa.UniqueConstraint('pair_id', 'months', 'completed_on', name=op.f('uq_check_in_pair_id_months_completed_on'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_pair_id'), ['pair_id'], unique=False)

    op.create_table('check_in_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_in_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('outcome', sa.Enum('continued', 'finished', 'stopped', name='actionoutcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_check_in_action_action_id_action'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_in.id'], name=op.f('fk_check_in_action_check_in_id_check_in'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in_action'))
    )
    with op.batch_alter_table('check_in_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_action_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_in_action_check_in_id'), ['check_in_id'], unique=False)

    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))

    op.execute(
        "UPDATE pair SET completed_at = COALESCE("
        "(SELECT MAX(audit_entry.at) FROM audit_entry WHERE audit_entry.action = 'pair.status_changed'"
        " AND audit_entry.subject_type = 'Pair' AND audit_entry.subject_id = pair.id),"
        " pair.updated_at) WHERE pair.status = 'completed'"
    )


def downgrade():
    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.drop_column('completed_at')

    with op.batch_alter_table('check_in_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_action_check_in_id'))
        batch_op.drop_index(batch_op.f('ix_check_in_action_action_id'))

    op.drop_table('check_in_action')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_pair_id'))

    op.drop_table('check_in')
    op.drop_table('peer_reading')
