"""Foundation: raw files, submissions, annual seizures, population, audit trail.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dataset", sa.String(64), nullable=False),
        sa.Column("source_file_id", sa.Integer(), sa.ForeignKey("source_file.id"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "annual_seizure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(128), nullable=False),
        sa.Column("subregion", sa.String(128), nullable=False),
        sa.Column("country", sa.String(128), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("drug_group", sa.String(128), nullable=False),
        sa.Column("drug_subgroup", sa.String(128), nullable=False),
        sa.Column("drug", sa.String(255), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kilograms", sa.Float(), nullable=True),
        sa.Column("value_state", sa.String(16), nullable=False),
        sa.Column("missing_reason", sa.String(32), nullable=True),
    )
    op.create_index("ix_annual_seizure_submission", "annual_seizure", ["submission_id"])
    op.create_table(
        "population",
        sa.Column("country_iso3", sa.String(3), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("persons", sa.BigInteger(), nullable=False),
        sa.Column("source_file_id", sa.Integer(), sa.ForeignKey("source_file.id"), nullable=False),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_event", "population", "annual_seizure", "submission", "source_file"):
        op.drop_table(table)
