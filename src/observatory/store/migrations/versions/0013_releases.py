"""Data releases (issue 14): the register of frozen, citable vintages of the published data.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_release",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("observations", sa.BigInteger(), nullable=False),
        sa.Column("built_by", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("data_release")
