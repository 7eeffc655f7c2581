"""Regional review (issue 16): queries and their threads, attachments, follow-up flags, the mail outbox; users'
e-mail addresses and mail opt-outs.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))
        batch.add_column(sa.Column("mail_opt_out", sa.JSON(), nullable=True))
    op.create_table(
        "review_query",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("observation_id", sa.Integer(), sa.ForeignKey("observation.id"), nullable=True),
        sa.Column("problem_code", sa.String(64), nullable=True),
        sa.Column("auto_key", sa.String(255), nullable=True),
        sa.Column("opened_by", sa.String(128), nullable=False),
        sa.Column("opener_role", sa.String(32), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answered_by", sa.String(128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_review_query_submission", "review_query", ["submission_id"])
    op.create_index("ix_review_query_status", "review_query", ["status"])
    op.create_index("ix_review_query_auto_key", "review_query", ["submission_id", "auto_key"], unique=True)
    op.create_table(
        "review_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("query_id", sa.Integer(), sa.ForeignKey("review_query.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("author_role", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("value_audit_id", sa.Integer(), sa.ForeignKey("value_audit.id"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_review_message_query", "review_message", ["query_id"])
    op.create_table(
        "review_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("review_message.id"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_review_attachment_message", "review_attachment", ["message_id"])
    op.create_table(
        "value_followup",
        sa.Column("observation_id", sa.Integer(), sa.ForeignKey("observation.id"), primary_key=True),
        sa.Column("flagged_by", sa.String(128), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dedup_key", sa.String(255), nullable=False, unique=True),
        sa.Column("username", sa.String(128), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("template", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("query_id", sa.Integer(), sa.ForeignKey("review_query.id"), nullable=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_mail_outbox_status_next", "mail_outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_status_next", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_table("value_followup")
    op.drop_index("ix_review_attachment_message", table_name="review_attachment")
    op.drop_table("review_attachment")
    op.drop_index("ix_review_message_query", table_name="review_message")
    op.drop_table("review_message")
    for name in ("ix_review_query_auto_key", "ix_review_query_status", "ix_review_query_submission"):
        op.drop_index(name, table_name="review_query")
    op.drop_table("review_query")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("mail_opt_out")
        batch.drop_column("email")
