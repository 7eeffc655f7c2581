"""One path for annual seizures: the rows of the typed ``annual_seizure`` table become ``observation`` rows of the
``annual-seizures`` data set, as ``submit_file`` stores them, and the table is dropped.

Each row gives one observation (element ``kilograms``, unit ``kg``) with its dimensions (drug group, sub-group,
drug) and attributes (region, sub-region, ISO code) as JSON, its state and reason missing, and its source row.
Downgrade recreates the table from the observations of the submissions it held (those of ``annual-seizures``
with no ``source_column``, as this migration writes them).

Revision ID: 0008
Revises: 0007
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DATASET = "annual-seizures"
BATCH = 5_000
SEIZURE = sa.table(
    "annual_seizure",
    *(
        sa.column(name)
        for name in (
            "id",
            "submission_id",
            "source_row",
            "region",
            "subregion",
            "country",
            "country_iso3",
            "drug_group",
            "drug_subgroup",
            "drug",
            "year",
            "kilograms",
            "value_state",
            "missing_reason",
        )
    ),
)
OBSERVATION = sa.table(
    "observation",
    sa.column("id"),
    sa.column("submission_id"),
    sa.column("dataset"),
    sa.column("element"),
    sa.column("country_iso3"),
    sa.column("year"),
    sa.column("dimensions", sa.JSON()),
    sa.column("value"),
    sa.column("value_text"),
    sa.column("value_state"),
    sa.column("missing_reason"),
    sa.column("unit"),
    sa.column("source_row"),
    sa.column("source_column"),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(SEIZURE).order_by(SEIZURE.c.id)).mappings()
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(_observation(row))
        if len(batch) == BATCH:
            connection.execute(sa.insert(OBSERVATION), batch)
            batch = []
    if batch:
        connection.execute(sa.insert(OBSERVATION), batch)
    op.drop_index("ix_annual_seizure_submission", table_name="annual_seizure")
    op.drop_table("annual_seizure")


def _observation(row: Any) -> dict[str, Any]:
    dimensions = {
        "drug_group": row["drug_group"],
        "drug_subgroup": row["drug_subgroup"],
        "drug": row["drug"],
        "region": row["region"],
        "subregion": row["subregion"],
        "iso3": row["country_iso3"],
    }
    state = row["value_state"]
    if state == "value" and row["kilograms"] is None:
        state = "missing"
    elif state == "value" and row["kilograms"] == 0:
        state = "zero"  # the typed table kept a true zero as a value of 0; observations keep it apart, as submit does
    return {
        "submission_id": row["submission_id"],
        "dataset": DATASET,
        "element": "kilograms",
        "country_iso3": row["country_iso3"],
        "year": row["year"],
        "dimensions": dimensions,
        "value": row["kilograms"],
        "value_text": None,
        "value_state": state,
        "missing_reason": row["missing_reason"].replace("_", "-") if row["missing_reason"] else None,
        "unit": "kg",
        "source_row": row["source_row"],
        "source_column": None,
    }


def downgrade() -> None:
    op.create_table(
        "annual_seizure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(128), nullable=False),
        sa.Column("subregion", sa.String(128), nullable=False),
        sa.Column("country", sa.String(128), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("drug_group", sa.String(128), nullable=False),
        sa.Column("drug_subgroup", sa.String(128), nullable=False),
        sa.Column("drug", sa.String(255), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kilograms", sa.Float()),
        sa.Column("value_state", sa.String(16), nullable=False),
        sa.Column("missing_reason", sa.String(32)),
    )
    op.create_index("ix_annual_seizure_submission", "annual_seizure", ["submission_id"])
    connection = op.get_bind()
    query = sa.select(OBSERVATION).where(
        OBSERVATION.c.dataset == DATASET, OBSERVATION.c.source_column.is_(None), OBSERVATION.c.element == "kilograms"
    )
    rows = []
    for row in connection.execute(query).mappings():
        dimensions = row["dimensions"] or {}
        rows.append(
            {
                "submission_id": row["submission_id"],
                "source_row": row["source_row"],
                "region": dimensions.get("region") or "",
                "subregion": dimensions.get("subregion") or "",
                "country": row["country_iso3"] or "",
                "country_iso3": row["country_iso3"] or "",
                "drug_group": dimensions.get("drug_group") or "",
                "drug_subgroup": dimensions.get("drug_subgroup") or "",
                "drug": dimensions.get("drug") or "",
                "year": row["year"],
                "kilograms": row["value"],
                "value_state": "value" if row["value_state"] == "zero" else row["value_state"],
                "missing_reason": row["missing_reason"].replace("-", "_") if row["missing_reason"] else None,
            }
        )
    if rows:
        connection.execute(sa.insert(SEIZURE), rows)
    connection.execute(sa.delete(OBSERVATION).where(query.whereclause))  # type: ignore[arg-type]
