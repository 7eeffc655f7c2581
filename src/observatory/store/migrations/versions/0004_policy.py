"""Policy knowledge: programmes, strategies, implementation status, workshops, practices, laws, cases, search.

The full-text structures (SQLite's FTS5 table, PostgreSQL's GIN index) are derived from
``policy_search_document`` and built by ``observatory.policy.search.index``; downgrading drops them too.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "policy_programme",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("sdg_targets", sa.JSON(), nullable=False),
        sa.Column("sdg_goals", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
    )
    op.create_table(
        "policy_strategy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("link", sa.String(1024), nullable=True),
        sa.Column("lead_agency", sa.String(512), nullable=True),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
    )
    op.create_index("ix_policy_strategy_country", "policy_strategy", ["country_iso3"])
    op.create_table(
        "policy_status",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("chapter", sa.Integer(), nullable=False),
        sa.Column("recommendation", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("strategy_id", sa.Integer(), sa.ForeignKey("policy_strategy.id"), nullable=True),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_policy_status_country_chapter", "policy_status", ["country_iso3", "chapter"])
    op.create_table(
        "policy_workshop",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("ministries", sa.JSON(), nullable=False),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
    )
    op.create_index("ix_policy_workshop_country", "policy_workshop", ["country_iso3"])
    op.create_table(
        "policy_assistance_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey("policy_workshop.id"), nullable=False),
        sa.Column("chapter", sa.Integer(), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("follow_up", sa.JSON(), nullable=False),
    )
    _practices()
    _laws_and_cases()
    _search()


def _practices() -> None:
    op.create_table(
        "policy_practice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("chapter", sa.Integer(), nullable=False),
        sa.Column("recommendations", sa.JSON(), nullable=False),
        sa.Column("sdg_targets", sa.JSON(), nullable=False),
        sa.Column("target_group", sa.String(32), nullable=False),
        sa.Column("setting", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("evaluation_design", sa.Text(), nullable=False),
        sa.Column("evidence_rating", sa.String(32), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_policy_practice_status", "policy_practice", ["status"])
    op.create_table(
        "policy_practice_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("practice_id", sa.Integer(), sa.ForeignKey("policy_practice.id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_policy_practice_event_practice", "policy_practice_event", ["practice_id"])


def _laws_and_cases() -> None:
    op.create_table(
        "policy_law",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("citation", sa.String(512), nullable=False),
        sa.Column("enacted", sa.Date(), nullable=True),
        sa.Column("in_force", sa.Date(), nullable=True),
        sa.Column("edition", sa.String(255), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("source", sa.String(512), nullable=False),
    )
    op.create_table(
        "policy_law_substance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("law_id", sa.Integer(), sa.ForeignKey("policy_law.id"), nullable=False),
        sa.Column("substance_id", sa.String(128), nullable=False),
        sa.Column("substance_name", sa.String(512), nullable=False),
        sa.Column("schedule", sa.String(255), nullable=False),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("code", sa.String(64), nullable=True),
    )
    op.create_index("ix_policy_law_substance_law", "policy_law_substance", ["law_id"])
    op.create_table(
        "policy_case",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("court", sa.String(255), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("offence_type", sa.String(128), nullable=False),
        sa.Column("substances", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("citation", sa.String(512), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
    )


def _search() -> None:
    op.create_table(
        "policy_search_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.String(128), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.UniqueConstraint("kind", "ref_id", name="uq_policy_search_document_ref"),
    )
    op.create_table(
        "policy_search_country",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("policy_search_document.id"), primary_key=True),
        sa.Column("iso3", sa.String(3), primary_key=True),
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS policy_search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_policy_search_document_fts")
    op.drop_table("policy_search_country")
    op.drop_table("policy_search_document")
    op.drop_table("policy_case")
    op.drop_index("ix_policy_law_substance_law", "policy_law_substance")
    op.drop_table("policy_law_substance")
    op.drop_table("policy_law")
    op.drop_index("ix_policy_practice_event_practice", "policy_practice_event")
    op.drop_table("policy_practice_event")
    op.drop_index("ix_policy_practice_status", "policy_practice")
    op.drop_table("policy_practice")
    op.drop_table("policy_assistance_request")
    op.drop_index("ix_policy_workshop_country", "policy_workshop")
    op.drop_table("policy_workshop")
    op.drop_index("ix_policy_status_country_chapter", "policy_status")
    op.drop_table("policy_status")
    op.drop_index("ix_policy_strategy_country", "policy_strategy")
    op.drop_table("policy_strategy")
    op.drop_table("policy_programme")
