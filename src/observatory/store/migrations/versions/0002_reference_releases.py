"""Reference releases: versioned vocabularies, and the release each submission was coded against.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_release",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.String(64), nullable=False, unique=True),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("entries", sa.Integer(), nullable=False),
    )
    op.create_table(
        "reference_entry",
        sa.Column("release_id", sa.Integer(), sa.ForeignKey("reference_release.id"), primary_key=True),
        sa.Column("vocabulary", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(512), primary_key=True),
        sa.Column("label", sa.String(1024), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
    )
    op.create_index("ix_reference_entry_vocabulary_code", "reference_entry", ["vocabulary", "code"])
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("reference_release_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_submission_reference_release", "reference_release", ["reference_release_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint("fk_submission_reference_release", type_="foreignkey")
        batch.drop_column("reference_release_id")
    op.drop_index("ix_reference_entry_vocabulary_code", "reference_entry")
    op.drop_table("reference_entry")
    op.drop_table("reference_release")
