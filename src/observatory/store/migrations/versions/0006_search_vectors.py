"""Semantic search: one embedding per searchable document, with the model that made it and a digest of the text
it was made from, so a changed document is embedded again and an unchanged one is not.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_search_vector",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("policy_search_document.id"), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("document_id", name="uq_policy_search_vector_document"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("policy_search_vector")
