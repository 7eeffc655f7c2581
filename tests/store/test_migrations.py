from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from observatory.analytics.refresh import refresh_analytics
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.store.metadata import metadata
from observatory.store.migrate import downgrade, upgrade
from observatory.store.reporting_schema import Observation


def test_migrations_build_exactly_the_declared_tables(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_migrations_go_down_and_up_again(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


def test_sqlite_store_uses_write_ahead_logging(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def insert_seizure_submission(engine: Engine, rows: str, *, lifecycle: bool = False) -> None:
    """A published annual-seizures submission with rows in the typed ``annual_seizure`` table (before 0008);
    ``lifecycle`` for a schema that has the submission's vintage and lock (0003 on)."""
    columns, values = (", vintage, locked", ", 1, false") if lifecycle else ("", "")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO source_file (id, name, sha256, size_bytes, content) VALUES (1, 'f', :h, 1, :c)"),
            {"h": "0" * 64, "c": b"x"},
        )
        connection.execute(
            text(
                f"INSERT INTO submission (id, dataset, source_file_id, status, submitted_by, row_count{columns}) "
                f"VALUES (1, 'annual-seizures', 1, 'published', 'unodc', 1{values})"
            )
        )
        connection.execute(
            text(
                "INSERT INTO annual_seizure (submission_id, source_row, region, subregion, country, country_iso3, "
                f"drug_group, drug_subgroup, drug, year, kilograms, value_state, missing_reason) VALUES {rows}"
            )
        )


def test_a_store_holding_data_upgrades_to_the_newest_schema(engine: Engine) -> None:
    upgrade(engine, "0002")
    insert_seizure_submission(
        engine, "(1, 3, 'Africa', 'East Africa', 'Comoros', 'COM', 'NPS', 'NPS', 'NPS', 2023, 10, 'value', NULL)"
    )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT vintage, locked FROM submission")).one() == (1, False)
        assert connection.scalar(text("SELECT count(*) FROM observation WHERE submission_id = 1")) == 1
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


CANNABIS = (
    "Cannabis-type drugs (excluding synthetic cannabinoids)', 'Cannabis herb (marijuana)', 'Cannabis herb (marijuana)"
)
COCAINE = "Cocaine-type', 'Cocaine', 'Cocaine (total of the above, including if unspecified/undistinguished, but "
COCAINE += "excluding coca leaf and coca bush)"
#: As ``load_wdr_seizures`` stored them: a value, a true zero (a value of 0), a blank cell, and plant material.
TYPED_ROWS = ", ".join(
    [
        f"(1, 3, 'Africa', 'East Africa', 'Comoros', 'COM', '{CANNABIS}', 2023, 2263, 'value', NULL)",
        f"(1, 4, 'Africa', 'East Africa', 'Comoros', 'COM', '{COCAINE}', 2023, 0, 'value', NULL)",
        "(1, 5, 'Africa', 'East Africa', 'Kenya', 'KEN', 'Opioids', 'Opiates', 'Heroin', 2022, NULL, 'missing', "
        "'not_available')",
        "(1, 6, 'Americas', 'South America', 'Peru', 'PER', 'Cocaine-type', 'Coca-type', 'Coca bush', 2023, 900, "
        "'value', NULL)",
    ]
)


def test_0008_moves_annual_seizure_rows_into_observations(engine: Engine, tmp_path: Path) -> None:
    upgrade(engine, "0007")
    insert_seizure_submission(engine, TYPED_ROWS, lifecycle=True)
    upgrade(engine)
    assert "annual_seizure" not in inspect(engine).get_table_names()
    columns = (
        Observation.submission_id,
        Observation.dataset,
        Observation.element,
        Observation.country_iso3,
        Observation.year,
        Observation.value,
        Observation.value_state,
        Observation.missing_reason,
        Observation.unit,
        Observation.source_row,
        Observation.source_column,
    )
    with engine.connect() as connection:
        moved = [tuple(row) for row in connection.execute(select(*columns).order_by(Observation.source_row))]
        dimensions = connection.scalars(select(Observation.dimensions).order_by(Observation.source_row)).all()
    kilograms = (1, "annual-seizures", "kilograms")
    assert moved == [
        (*kilograms, "COM", 2023, 2263.0, "value", None, "kg", 3, None),
        (*kilograms, "COM", 2023, 0.0, "zero", None, "kg", 4, None),  # a true zero stays apart from a blank
        (*kilograms, "KEN", 2022, None, "missing", "not-available", "kg", 5, None),
        (*kilograms, "PER", 2023, 900.0, "value", None, "kg", 6, None),
    ]
    assert dimensions[0] == {
        "drug_group": "Cannabis-type drugs (excluding synthetic cannabinoids)",
        "drug_subgroup": "Cannabis herb (marijuana)",
        "drug": "Cannabis herb (marijuana)",
        "region": "Africa",
        "subregion": "East Africa",
        "iso3": "COM",
    }
    # The moved rows are served as a submitted file's are: every row as reported, the coca bush out of the headline.
    analytics = tmp_path / "analytics"
    refresh_analytics(engine, analytics)
    store = AnalyticsStore(analytics)
    try:
        reported = seizure_totals(store, SeizureQuery(("country", "drug_group")))
        headline = seizure_totals(store, SeizureQuery(("country", "drug_group"), headline=True))
    finally:
        store.close()
    assert {(r["country"], r["drug_group"], r["kilograms"]) for r in reported.to_pylist()} == {
        ("Comoros", "Cannabis-type drugs (excluding synthetic cannabinoids)", 2263.0),
        ("Comoros", "Cocaine-type", 0.0),
        ("Kenya", "Opioids", None),
        ("Peru", "Cocaine-type", 900.0),
    }
    assert ("Peru", "Cocaine-type") not in {(r["country"], r["drug_group"]) for r in headline.to_pylist()}


def test_0008_down_gives_the_typed_rows_back(engine: Engine) -> None:
    upgrade(engine, "0007")
    insert_seizure_submission(engine, TYPED_ROWS, lifecycle=True)
    upgrade(engine)
    downgrade(engine, "0007")
    query = (
        "SELECT source_row, country_iso3, drug, year, kilograms, value_state, missing_reason FROM annual_seizure "
        "ORDER BY source_row"
    )
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(query))]
        left = connection.scalar(text("SELECT count(*) FROM observation"))
    assert rows == [
        (3, "COM", "Cannabis herb (marijuana)", 2023, 2263.0, "value", None),
        (4, "COM", COCAINE.split("', '")[-1], 2023, 0.0, "value", None),
        (5, "KEN", "Heroin", 2022, None, "missing", "not_available"),
        (6, "PER", "Coca bush", 2023, 900.0, "value", None),
    ]
    assert left == 0


def test_schema_changes_in_a_failed_transaction_leave_no_trace(engine: Engine) -> None:
    class Abort(Exception):
        pass

    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE half_done (x integer)"))
            raise Abort
    except Abort:
        pass
    assert "half_done" not in inspect(engine).get_table_names()
