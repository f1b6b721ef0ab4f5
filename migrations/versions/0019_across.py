"""across the pairs: good-practice examples searched without case or accents

Revision ID: 0019_across
Revises: 0018_benchmark_translations
Create Date: 2026-12-06 20:00:00

The practice library searches the examples' folded text (tracker/folding.py), so "Gdansk"
finds Gdańsk and "lodz" Łódź; the examples already there have it filled here.
"""

from alembic import op
import sqlalchemy as sa

from tracker.folding import fold

# The columns the folded text is made of (Example.search_fields).
SEARCHED = ("title", "summary", "city_name", "country")

revision = "0019_across"
down_revision = "0018_benchmark_translations"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("example", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    table = sa.table("example", sa.column("id"), sa.column("search_text"), *map(sa.column, SEARCHED))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, *(table.c[c] for c in SEARCHED))).all()
    for row in rows:
        text = fold(" ".join(value or "" for value in row[1:]))
        connection.execute(table.update().where(table.c.id == row[0]).values(search_text=text))


def downgrade():
    with op.batch_alter_table("example", schema=None) as batch_op:
        batch_op.drop_column("search_text")
