"""Upload keys: one submission per data set, country and file content (SHA-256).

A store that already holds the same bytes submitted more than once for a data set and country keys the first of
them; the others stay as they are, unkeyed.

Revision ID: 0011
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

FIRST_OF_EACH = """
INSERT INTO upload_key (dataset, scope, sha256, submission_id)
SELECT submission.dataset, COALESCE(submission.country_iso3, '*'), source_file.sha256, MIN(submission.id)
FROM submission JOIN source_file ON source_file.id = submission.source_file_id
GROUP BY submission.dataset, COALESCE(submission.country_iso3, '*'), source_file.sha256
"""


def upgrade() -> None:
    op.create_table(
        "upload_key",
        sa.Column("dataset", sa.String(64), primary_key=True),
        sa.Column("scope", sa.String(3), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False, unique=True),
    )
    op.execute(FIRST_OF_EACH)


def downgrade() -> None:
    op.drop_table("upload_key")
