"""Reserved for issue 17 (early warning: one entry per substance, alert triage); empty until that work lands.

Revision ID: 0014
Revises: 0013
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
