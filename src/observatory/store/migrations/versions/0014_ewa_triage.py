"""Early-warning triage: a severity score and a near-duplicate group per alert, indexed with the status, so that
the queue of drafts is ranked and paged in the store. Existing alerts are scored by the application
(``observatory.ewa.alerts.triage.score_alerts``) the next time the queue is read or the rules run.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ewa_alert") as table:
        table.add_column(sa.Column("severity", sa.Float(), nullable=True))
        table.add_column(sa.Column("group_key", sa.String(255), nullable=True))
    op.create_index("ix_ewa_alert_triage", "ewa_alert", ["status", "severity"])


def downgrade() -> None:
    op.drop_index("ix_ewa_alert_triage", table_name="ewa_alert")
    with op.batch_alter_table("ewa_alert") as table:
        table.drop_column("group_key")
        table.drop_column("severity")
