"""daily use: what a calendar feed shows, and text folded for search

Revision ID: 0013_daily_use
Revises: 0012_programme_setup
Create Date: 2026-12-06 17:00:00

Each person switches kinds of event off in their calendar feed (user.calendar_hidden). The
demo's organisations keep a key of their own (organisation.demo_key), so a renamed demo city is
still found when the demo is seeded again.
Searchable rows keep their text folded (no case, no accents: tracker/folding.py) in a
search_text column, filled here for the rows already there.
"""

from alembic import op
import sqlalchemy as sa

from tracker.folding import fold

# Each searchable table and the columns its folded text is made of (the models' search_fields).
SEARCHED = {
    "user": ("name", "email"),
    "organisation": ("name", "country"),
    "action": ("title", "description"),
    "plan_comment": ("body",),
    "visit": ("agenda", "location"),
    "visit_report": ("summary",),
    "recommendation": ("text",),
    "deliverable": ("title", "description"),
}


revision = "0013_daily_use"
down_revision = "0012_programme_setup"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_hidden", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("demo_key", sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint("uq_organisation_demo_key", ["demo_key"])
    connection = op.get_bind()
    for name, columns in SEARCHED.items():
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("search_text", sa.Text(), server_default="", nullable=False)
            )
        table = sa.table(name, sa.column("id"), sa.column("search_text"), *map(sa.column, columns))
        rows = connection.execute(sa.select(table.c.id, *(table.c[c] for c in columns))).all()
        for row in rows:
            text = fold(" ".join(value or "" for value in row[1:]))
            connection.execute(
                table.update().where(table.c.id == row[0]).values(search_text=text)
            )


def downgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint("uq_organisation_demo_key", type_="unique")
        batch_op.drop_column("demo_key")
    for name in SEARCHED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("search_text")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("calendar_hidden")
