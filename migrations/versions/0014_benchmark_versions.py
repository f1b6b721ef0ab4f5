"""benchmark versions: drafts, published versions, retired rows, open questions

Revision ID: 0014_benchmark_versions
Revises: 0013_daily_use
Create Date: 2026-12-06 16:43:32.153765

A theme's benchmark is published as numbered versions, each keeping its whole text as JSON,
and every self-assessment round records the version it was taken against. Factors, guide
questions and examples are retired rather than deleted, so the unique positions go (a retired
row keeps its place number). Existing data becomes version 1 of each theme that has factors
or rounds, and every existing round points at it: no rating, answer or note changes.
"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_benchmark_versions"
down_revision = "0013_daily_use"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "benchmark_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("web", "file", name="draftsource", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_benchmark_draft_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_benchmark_draft_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_draft")),
        sa.UniqueConstraint("theme_id", name=op.f("uq_benchmark_draft_theme_id")),
    )
    with op.batch_alter_table("benchmark_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benchmark_draft_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "benchmark_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user.id"],
            name=op.f("fk_benchmark_version_published_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_benchmark_version_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_version")),
        sa.UniqueConstraint(
            "theme_id", "number", name=op.f("uq_benchmark_version_theme_id_number")
        ),
    )
    with op.batch_alter_table("benchmark_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benchmark_version_published_by_id"), ["published_by_id"], unique=False
        )

    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("benchmark_version_id", sa.Integer(), nullable=True))

    with op.batch_alter_table("example", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("retired_in_version", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_example_factor_id_city_name_title"), type_="unique")
        batch_op.create_index(batch_op.f("ix_example_factor_id"), ["factor_id"], unique=False)

    with op.batch_alter_table("factor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rationale", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("retired_in_version", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_factor_theme_id_position"), type_="unique")

    with op.batch_alter_table("guide_question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "scale", "open", name="questionkind", native_enum=False, create_constraint=True
                ),
                server_default="scale",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("retired_in_version", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_guide_question_factor_id_position"), type_="unique")
        batch_op.create_index(
            batch_op.f("ix_guide_question_factor_id"), ["factor_id"], unique=False
        )

    _number_examples()
    _first_versions()

    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.alter_column("benchmark_version_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_assessment_benchmark_version_id"), ["benchmark_version_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assessment_benchmark_version_id_benchmark_version"),
            "benchmark_version",
            ["benchmark_version_id"],
            ["id"],
            ondelete="CASCADE",
        )


# The tables as this migration knows them (never the app's models, which move on).
theme = sa.table("theme", sa.column("id", sa.Integer))
factor = sa.table(
    "factor",
    *(sa.column(name, sa.Integer) for name in ("id", "theme_id", "position")),
    *(sa.column(name, sa.Text) for name in ("key", "title", "statement")),
)
question = sa.table(
    "guide_question",
    *(sa.column(name, sa.Integer) for name in ("id", "factor_id", "position")),
    sa.column("text", sa.Text),
)
example = sa.table(
    "example",
    *(sa.column(name, sa.Integer) for name in ("id", "factor_id", "position", "city_id")),
    *(sa.column(name, sa.Text) for name in ("city_name", "country", "title", "summary", "url")),
)
assessment = sa.table(
    "assessment",
    *(sa.column(name, sa.Integer) for name in ("id", "theme_id", "benchmark_version_id")),
)
version = sa.table(
    "benchmark_version",
    *(sa.column(name, sa.Integer) for name in ("id", "theme_id", "number", "published_by_id")),
    sa.column("published_at", sa.DateTime(timezone=True)),
    sa.column("note", sa.Text),
    sa.column("content", sa.JSON),
)


def _number_examples():
    """Examples were shown in the order they were added: that order becomes their position."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(example.c.id, example.c.factor_id).order_by(example.c.factor_id, example.c.id)
    )
    numbers = {}
    for example_id, factor_id in rows.all():
        numbers[factor_id] = numbers.get(factor_id, 0) + 1
        connection.execute(
            example.update().where(example.c.id == example_id).values(position=numbers[factor_id])
        )


def _first_versions():
    """Version 1 of each theme with factors or rounds: the benchmark as it stands."""
    connection = op.get_bind()
    questions = {}
    for row in connection.execute(
        sa.select(question).order_by(question.c.factor_id, question.c.position)
    ):
        questions.setdefault(row.factor_id, []).append(
            {"text": row.text, "kind": "scale", "id": row.id}
        )
    examples = {}
    for row in connection.execute(
        sa.select(example).order_by(example.c.factor_id, example.c.position)
    ):
        examples.setdefault(row.factor_id, []).append(
            {
                "city": row.city_name,
                "title": row.title,
                "summary": row.summary,
                "country": row.country,
                "url": row.url,
                "city_id": row.city_id,
                "id": row.id,
            }
        )
    factors = {}
    for row in connection.execute(sa.select(factor).order_by(factor.c.theme_id, factor.c.position)):
        factors.setdefault(row.theme_id, []).append(
            {
                "key": row.key,
                "title": row.title,
                "statement": row.statement,
                "rationale": "",
                "guide_questions": questions.get(row.id, []),
                "examples": examples.get(row.id, []),
                "id": row.id,
            }
        )
    rated = set(connection.execute(sa.select(assessment.c.theme_id).distinct()).scalars())
    now = datetime.now(timezone.utc)
    for theme_id in sorted(set(factors) | rated):
        connection.execute(
            version.insert().values(
                theme_id=theme_id,
                number=1,
                published_at=now,
                published_by_id=None,
                note="The benchmark as it stood when versions began.",
                content={"factors": factors.get(theme_id, [])},
            )
        )
    connection.execute(
        assessment.update().values(
            benchmark_version_id=(
                sa.select(version.c.id)
                .where(version.c.theme_id == assessment.c.theme_id, version.c.number == 1)
                .scalar_subquery()
            )
        )
    )


def downgrade():
    # Retired rows are removed so the unique positions can come back; the versions go.
    for table in ("example", "guide_question", "factor"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE retired_in_version IS NOT NULL"))
    with op.batch_alter_table("guide_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_question_factor_id"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_guide_question_factor_id_position"), ["factor_id", "position"]
        )
        batch_op.drop_column("retired_in_version")
        batch_op.drop_column("kind")

    with op.batch_alter_table("factor", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_factor_theme_id_position"), ["theme_id", "position"]
        )
        batch_op.drop_column("retired_in_version")
        batch_op.drop_column("rationale")

    with op.batch_alter_table("example", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_example_factor_id"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_example_factor_id_city_name_title"), ["factor_id", "city_name", "title"]
        )
        batch_op.drop_column("retired_in_version")
        batch_op.drop_column("position")

    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assessment_benchmark_version_id_benchmark_version"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_assessment_benchmark_version_id"))
        batch_op.drop_column("benchmark_version_id")

    with op.batch_alter_table("benchmark_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmark_version_published_by_id"))

    op.drop_table("benchmark_version")
    with op.batch_alter_table("benchmark_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmark_draft_updated_by_id"))

    op.drop_table("benchmark_draft")
