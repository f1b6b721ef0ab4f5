"""benchmark translations: a theme's standard, factors, guide questions and examples may hold
their texts in French and German beside the English

Revision ID: 0018_benchmark_translations
Revises: 0017_languages
Create Date: 2026-12-06 19:55:00

Each row gets `translations` ({"fr": {"title": ...}, "de": {...}}), empty for the rows there
are: the catalogue ships in English only. Published versions keep their translations inside
their JSON text, which needs no change (a version without them reads as English only).
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_benchmark_translations'
down_revision = '0017_languages'
branch_labels = None
depends_on = None

TABLES = ('theme', 'factor', 'guide_question', 'example')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('translations', sa.JSON(), server_default='{}', nullable=False)
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
