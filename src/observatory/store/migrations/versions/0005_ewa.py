"""Early Warning Advisory: event sources, substances, detection events, alerts, their history and case files.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "ewa_source",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("url", sa.String(1024), nullable=True),
        sa.Column("licence", sa.String(512), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_table(
        "ewa_substance",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("registry_id", sa.String(255), nullable=True),
        sa.Column("inchikey", sa.String(27), nullable=True),
        sa.Column("smiles", sa.Text(), nullable=True),
        sa.Column("family", sa.String(32), nullable=True),
        sa.Column("nps_group", sa.String(32), nullable=True),
        sa.Column("effect", sa.String(32), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("controls", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
    )
    op.create_index("ix_ewa_substance_inchikey", "ewa_substance", ["inchikey"])
    _events()
    _alerts()


def _events() -> None:
    op.create_table(
        "ewa_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_key", sa.String(64), sa.ForeignKey("ewa_source.key"), nullable=False),
        sa.Column("source_record", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("setting", sa.String(16), nullable=True),
        sa.Column("country_iso3", sa.String(3), nullable=True),
        sa.Column("place", sa.String(255), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(8), nullable=True),
        sa.Column("sold_as", sa.String(128), nullable=True),
        sa.Column("misrepresented", sa.Boolean(), nullable=True),
        sa.Column("reporter", sa.String(255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("url", sa.String(1024), nullable=True),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.UniqueConstraint("source_key", "source_record", name="uq_ewa_event_source_record"),
    )
    op.create_index("ix_ewa_event_occurred_on", "ewa_event", ["occurred_on"])
    op.create_index("ix_ewa_event_country", "ewa_event", ["country_iso3"])
    op.create_table(
        "ewa_event_substance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("ewa_event.id"), nullable=False),
        sa.Column("substance_key", sa.String(255), sa.ForeignKey("ewa_substance.key"), nullable=False),
        sa.Column("reported_name", sa.String(512), nullable=False),
        sa.Column("share", sa.Float(), nullable=True),
        sa.UniqueConstraint("event_id", "substance_key", name="uq_ewa_event_substance"),
    )
    op.create_index("ix_ewa_event_substance_substance", "ewa_event_substance", ["substance_key"])


def _alerts() -> None:
    op.create_table(
        "ewa_alert",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("substance_key", sa.String(255), sa.ForeignKey("ewa_substance.key"), nullable=True),
        sa.Column("country_iso3", sa.String(3), nullable=True),
        sa.Column("first_event_on", sa.Date(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retraction_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_ewa_alert_status", "ewa_alert", ["status"])
    op.create_table(
        "ewa_alert_event",
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("ewa_alert.id"), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("ewa_event.id"), primary_key=True),
    )
    op.create_table(
        "ewa_alert_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("ewa_alert.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_ewa_alert_revision_alert", "ewa_alert_revision", ["alert_id"])
    op.create_table(
        "ewa_case_stage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("ewa_alert.id"), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.UniqueConstraint("alert_id", "stage", name="uq_ewa_case_stage"),
    )


def downgrade() -> None:
    for table in (
        "ewa_case_stage",
        "ewa_alert_revision",
        "ewa_alert_event",
        "ewa_alert",
        "ewa_event_substance",
        "ewa_event",
        "ewa_substance",
        "ewa_source",
    ):
        op.drop_table(table)
