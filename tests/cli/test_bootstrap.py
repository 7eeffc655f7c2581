"""The one bootstrap of the commands: an empty store is initialised once, a store at the newest migration is only
connected to, an older or newer one stops the command with what to do."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from observatory import demo
from observatory.cli.bootstrap import RecordsStoreNotReady, open_records
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade


def _settings(folder: Path) -> Settings:
    return Settings(var_dir=folder, database_url="")


def test_an_empty_store_is_initialised_once_then_only_opened(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Settings] = []
    initialise = demo.initialise

    def counted(settings: Settings) -> Engine:
        calls.append(settings)
        return initialise(settings)

    monkeypatch.setattr(demo, "initialise", counted)
    settings = Settings(var_dir=tmp_path, database_url=database_url)
    for _ in range(2):
        engine = open_records(settings)
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM reference_release")) == 1
        engine.dispose()
    assert calls == [settings]


def test_a_store_at_an_older_migration_asks_for_init(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    engine = make_engine(settings.records_url)
    upgrade(engine, "0001")
    engine.dispose()
    with pytest.raises(RecordsStoreNotReady, match=r"at migration 0001.*run `observatory init`"):
        open_records(settings)


def test_a_store_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    engine = make_engine(settings.records_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(RecordsStoreNotReady, match="newer version"):
        open_records(settings)
