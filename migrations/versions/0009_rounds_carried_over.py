"""rounds start from the previous one: carried-over answers

Revision ID: 0009_rounds
Revises: 0008_user_sessions
Create Date: 2026-12-06 14:00:00

A mid-term or final round starts with the answers of the city's latest completed round. The
round remembers which one (assessment.carried_from_id, emptied if that round is ever deleted),
and each copied level, guide-question answer and context note is marked carried_over until
the city confirms or changes it. Existing rows were all typed in, so they get false; existing
rounds started from nothing, so carried_from_id stays empty.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_rounds'
down_revision = '0008_user_sessions'
branch_labels = None
depends_on = None

ANSWER_TABLES = ('factor_rating', 'question_answer', 'context_note')


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_assessment_carried_from_id_assessment'),
            'assessment',
            ['carried_from_id'],
            ['id'],
            ondelete='SET NULL',
        )
    for table in ANSWER_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('carried_over', sa.Boolean(), server_default=sa.false(), nullable=False)
            )


def downgrade():
    for table in ANSWER_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('carried_over')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_assessment_carried_from_id_assessment'), type_='foreignkey'
        )
        batch_op.drop_column('carried_from_id')
