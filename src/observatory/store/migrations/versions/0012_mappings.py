"""Providers' file mappings (issue 13): saved versions per data set and country, and the one a submission used.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_mapping",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dataset", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(128), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index(
        "ix_file_mapping_dataset_scope_version", "file_mapping", ["dataset", "scope", "version"], unique=True
    )
    op.create_table(
        "submission_mapping",
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), primary_key=True),
        sa.Column("mapping_id", sa.Integer(), sa.ForeignKey("file_mapping.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("submission_mapping")
    op.drop_index("ix_file_mapping_dataset_scope_version", table_name="file_mapping")
    op.drop_table("file_mapping")
