"""files kept in the database

Revision ID: 0015_stored_chunks
Revises: 0014_benchmark_versions
Create Date: 2026-12-06 17:45:00

With STORAGE=database, uploaded files are kept in the database in pieces of 1 MiB, so every
web server reads the same files. The table stays empty with the default local storage.
"""

from alembic import op
import sqlalchemy as sa


revision = "0015_stored_chunks"
down_revision = "0014_benchmark_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_chunk",
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("stored_name", "number", name=op.f("pk_stored_chunk")),
    )


def downgrade():
    op.drop_table("stored_chunk")
