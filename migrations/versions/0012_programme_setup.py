"""programme set-up: colours and deliverable templates

Revision ID: 0012_programme_setup
Revises: 0011_mail_claims
Create Date: 2026-12-06 16:42:08

A programme's own colours for its infographics (empty: the network's settings), the
deliverables every new pair of a programme owes (deliverable templates), and on a deliverable
the template it was registered by. Existing programmes keep the network's colours and have no
templates; existing deliverables were registered by hand.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_programme_setup'
down_revision = '0011_mail_claims'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deliverable_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('action_plan', 'infographic', 'video', 'toolkit', 'visit_report', 'event', 'other', name='deliverablekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('months_after_start', sa.Integer(), nullable=False),
    sa.Column('responsible', sa.Enum('implementing_city', 'mentor_city', 'expert_organisation', 'organisation', name='responsibleparty', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('responsible_organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(responsible = 'organisation') = (responsible_organisation_id IS NOT NULL)", name=op.f('ck_deliverable_template_organisation_when_named')),
    sa.CheckConstraint('months_after_start > 0', name=op.f('ck_deliverable_template_months_positive')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_deliverable_template_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_organisation_id'], ['organisation.id'], name=op.f('fk_deliverable_template_responsible_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverable_template'))
    )
    with op.batch_alter_table('deliverable_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliverable_template_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_template_responsible_organisation_id'), ['responsible_organisation_id'], unique=False)

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('primary_colour', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('accent_colour', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('highlight_colour', sa.String(length=7), nullable=True))

    # SQLite rebuilds the table to add the foreign key; the tables it refers to need not be
    # reflected (the pair table's expression index cannot be).
    with op.batch_alter_table('deliverable', schema=None, reflect_kwargs={'resolve_fks': False}) as batch_op:
        batch_op.add_column(sa.Column('template_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deliverable_template_id'), ['template_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deliverable_template_id_deliverable_template'), 'deliverable_template', ['template_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('deliverable', schema=None, reflect_kwargs={'resolve_fks': False}) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deliverable_template_id_deliverable_template'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deliverable_template_id'))
        batch_op.drop_column('template_id')

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('highlight_colour')
        batch_op.drop_column('accent_colour')
        batch_op.drop_column('primary_colour')

    with op.batch_alter_table('deliverable_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliverable_template_responsible_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_deliverable_template_programme_id'))

    op.drop_table('deliverable_template')
