from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from observatory.store.metadata import metadata
from observatory.store.migrate import downgrade, upgrade


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


def test_a_store_holding_data_upgrades_to_the_newest_schema(engine: Engine) -> None:
    upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO source_file (id, name, sha256, size_bytes, content) VALUES (1, 'f', :h, 1, :c)"),
            {"h": "0" * 64, "c": b"x"},
        )
        connection.execute(
            text(
                "INSERT INTO submission (id, dataset, source_file_id, status, submitted_by, row_count) "
                "VALUES (1, 'annual-seizures', 1, 'published', 'unodc', 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO annual_seizure (submission_id, source_row, region, subregion, country, country_iso3, "
                "drug_group, drug_subgroup, drug, year, kilograms, value_state) "
                "VALUES (1, 3, 'Africa', 'East Africa', 'Comoros', 'COM', 'NPS', 'NPS', 'NPS', 2023, 10, 'value')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT vintage, locked FROM submission")).one() == (1, False)
        assert connection.scalar(text("SELECT count(*) FROM annual_seizure")) == 1
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


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
