"""Country reporting: users and API tokens, submission lifecycle and vintages, observations, value audit.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(128), nullable=False, unique=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("datasets", sa.JSON(), nullable=True),
        sa.Column("network", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("country_iso3", sa.String(3), nullable=True))
        batch.add_column(sa.Column("vintage", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("report", sa.JSON(), nullable=True))
        batch.create_foreign_key("fk_submission_supersedes", "submission", ["supersedes_id"], ["id"])
    with op.batch_alter_table("submission") as batch:
        batch.alter_column("vintage", server_default=None)
        batch.alter_column("locked", server_default=None)
    op.create_table(
        "submission_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_submission_event_submission", "submission_event", ["submission_id"])
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("dataset", sa.String(64), nullable=False),
        sa.Column("element", sa.String(128), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("value_state", sa.String(16), nullable=False),
        sa.Column("missing_reason", sa.String(32), nullable=True),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("source_column", sa.String(128), nullable=True),
    )
    op.create_index("ix_observation_submission", "observation", ["submission_id"])
    op.create_index("ix_observation_dataset_country_year", "observation", ["dataset", "country_iso3", "year"])
    op.create_table(
        "value_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("observation_id", sa.Integer(), sa.ForeignKey("observation.id"), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_value_audit_observation", "value_audit", ["observation_id"])


def downgrade() -> None:
    op.drop_index("ix_value_audit_observation", "value_audit")
    op.drop_table("value_audit")
    op.drop_index("ix_observation_dataset_country_year", "observation")
    op.drop_index("ix_observation_submission", "observation")
    op.drop_table("observation")
    op.drop_index("ix_submission_event_submission", "submission_event")
    op.drop_table("submission_event")
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint("fk_submission_supersedes", type_="foreignkey")
        for column in ("report", "locked", "supersedes_id", "vintage", "country_iso3"):
            batch.drop_column(column)
    op.drop_table("api_token")
    op.drop_table("app_user")
