"""Backup and restore through the service layer, on both engines: the demo store archived, restored into an empty
store that answers every question as the original does; damaged archives and occupied targets are refused with
nothing written."""

import gzip
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, func, inspect, select, table
from sqlalchemy.engine import make_url

from observatory.analytics.refresh import refresh_analytics
from observatory.settings import Settings
from observatory.store import backup_postgres
from observatory.store.archive import CHECKSUMS, MANIFEST, DamagedArchive, read_archive, write_archive
from observatory.store.backup import (
    ArchiveTooNew,
    EngineMismatch,
    RestoreTargetNotEmpty,
    backup,
    public_settings,
    restore,
)
from observatory.store.engine import make_engine
from observatory.store.migrate import alembic_config, upgrade
from observatory.web.app import create_app
from tests.stores import fresh_database_url

#: Questions whose answers must not change across a backup and a restore: figures, the records, full-text search.
QUESTIONS: list[tuple[str, dict[str, str | int]]] = [
    ("/api/v1/health", {}),
    ("/api/v1/seizures", {"group_by": "drug_group,year"}),
    ("/api/v1/stats/seizures/trend", {}),
    ("/api/v1/stats/seizures/totals", {"drug_group": "Cocaine-type", "year": 2022}),
    ("/api/v1/submissions", {}),
    ("/api/v1/completeness", {"dataset": "annual-seizures", "year": 2023}),
    ("/api/v1/search", {"q": "treatment", "mode": "fulltext"}),
    ("/api/v1/policy/summary", {}),
]


def backend(settings: Settings) -> str:
    return "sqlite" if settings.records_url.startswith("sqlite") else "postgresql"


@pytest.fixture(scope="module")
def archive(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(f"backup-{backend(demo_settings)}") / "observatory.tar.gz"
    backup(demo_settings, path)
    return path


@pytest.fixture
def target(demo_settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Settings of an empty store of the demo's engine: an empty var folder, a new file or schema."""
    for url in fresh_database_url(backend(demo_settings), tmp_path / "store"):
        yield Settings(var_dir=tmp_path / "var", database_url=url)


def row_counts(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings.records_url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {name: connection.scalar(select(func.count()).select_from(table(name))) or 0 for name in names}
    finally:
        engine.dispose()


def answers(settings: Settings) -> list[object]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        responses = [client.get(path, params=params) for path, params in QUESTIONS]
    assert {path: response.status_code for (path, _), response in zip(QUESTIONS, responses, strict=True)} == {
        path: 200 for path, _ in QUESTIONS
    }
    return [response.json() for response in responses]


def is_empty(settings: Settings) -> bool:
    folder_empty = not settings.var_dir.exists() or not any(settings.var_dir.iterdir())
    engine = make_engine(settings.records_url)
    try:
        return folder_empty and _no_tables(engine)
    finally:
        engine.dispose()


def _no_tables(engine: Engine) -> bool:
    if engine.dialect.name == "sqlite":
        database = Path(engine.url.database or "")
        return not database.exists() or database.stat().st_size == 0
    return backup_postgres.relations(engine) == 0


def test_a_restored_store_answers_as_the_original(demo_settings: Settings, archive: Path, target: Settings) -> None:
    restored = restore(target, archive)
    engine = make_engine(target.records_url)
    try:
        refresh_analytics(engine, target.analytics_dir)
    finally:
        engine.dispose()
    assert restored.upgraded_to is None
    assert restored.manifest.tables == row_counts(target) == row_counts(demo_settings)
    assert restored.manifest.tables["submission"] > 0 and restored.manifest.tables["source_file"] > 0
    assert answers(target) == answers(demo_settings)


def test_the_manifest_lists_every_member_with_its_checksum(archive: Path, tmp_path: Path) -> None:
    manifest, members = read_archive(archive, tmp_path)
    assert manifest.engine in ("sqlite", "postgresql") and manifest.alembic_revision
    assert set(members) == {MANIFEST, "settings.json", manifest.records}
    document = json.loads(members[MANIFEST].read_text())
    assert {"observatory_version", "engine", "alembic_revision", "created", "tables"} <= set(document)


def rewritten(archive: Path, destination: Path, change: str) -> Path:
    """The archive with one member's bytes changed (its checksum left as it was), or its manifest swapped."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(destination, "w:gz") as copy:
        for member in source.getmembers():
            handle = source.extractfile(member)
            assert handle is not None
            data = handle.read()
            if member.name == change:
                data = data.replace(b'"engine"', b'"Engine"') if member.name == MANIFEST else b"X" + data[1:]
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return destination


@pytest.mark.parametrize("change", [MANIFEST, "records"])
def test_a_tampered_archive_is_refused_and_nothing_is_written(
    archive: Path, target: Settings, tmp_path: Path, change: str
) -> None:
    name = change if change == MANIFEST else _records_member(archive)
    tampered = rewritten(archive, tmp_path / "tampered.tar.gz", name)
    with pytest.raises(DamagedArchive, match=f"{name} differs from its checksum"):
        restore(target, tampered)
    assert is_empty(target)


def test_a_truncated_archive_is_refused_and_nothing_is_written(archive: Path, target: Settings, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(DamagedArchive, match="damaged or truncated"):
        restore(target, truncated)
    assert is_empty(target)


def test_an_archive_whose_checksums_list_a_missing_member_is_refused(archive: Path, tmp_path: Path) -> None:
    shortened = tmp_path / "shortened.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(shortened, "w:gz") as copy:
        for member in source.getmembers():
            if member.name != MANIFEST:
                copy.addfile(member, source.extractfile(member))
    with pytest.raises(DamagedArchive, match=f"lacks {MANIFEST}"):
        read_archive(shortened, tmp_path / "out")


def test_a_non_empty_var_folder_is_refused(archive: Path, target: Settings) -> None:
    target.var_dir.mkdir(parents=True)
    (target.var_dir / "notes.txt").write_text("mine")
    with pytest.raises(RestoreTargetNotEmpty, match="is not empty"):
        restore(target, archive)
    assert [path.name for path in target.var_dir.iterdir()] == ["notes.txt"]


def test_a_store_that_holds_data_is_refused(demo_settings: Settings, archive: Path, tmp_path: Path) -> None:
    """The demo's own store as the target, with an empty var folder: its records are never overwritten."""
    before = row_counts(demo_settings)
    occupied = demo_settings.model_copy(update={"var_dir": tmp_path / "var"})
    with pytest.raises(RestoreTargetNotEmpty, match=r"records store .* (exists|is not empty)"):
        restore(occupied, archive)
    assert row_counts(demo_settings) == before


def test_the_archive_holds_no_secret(demo_settings: Settings, tmp_path: Path) -> None:
    secret = "k3y-" + "9" * 40
    settings = demo_settings.model_copy(update={"secret_key": SecretStr(secret)})
    path = tmp_path / "a.tar.gz"
    backup(settings, path)
    password = make_url(settings.records_url).password
    everything = gzip.decompress(path.read_bytes())
    assert secret.encode() not in everything
    assert password is None or str(password).encode() not in everything
    archived = public_settings(settings)
    assert archived["secrets_left_out"] == ["secret_key", "smtp_url"]
    assert "secret_key" not in archived["settings"] and "smtp_url" not in archived["settings"]


def remade(archive: Path, folder: Path, **changes: str) -> Path:
    """The archive made again, checksums and all, with ``changes`` to its manifest: as another version made it."""
    _, members = read_archive(archive, folder / "members")
    document = json.loads(members[MANIFEST].read_text())
    members[MANIFEST].write_text(json.dumps(document | changes))
    write_archive(folder / "remade.tar.gz", members)
    return folder / "remade.tar.gz"


def test_an_archive_of_a_newer_version_is_refused(archive: Path, target: Settings, tmp_path: Path) -> None:
    with pytest.raises(ArchiveTooNew, match="newer version"):
        restore(target, remade(archive, tmp_path, alembic_revision="9999"))
    assert is_empty(target)


def test_an_archive_of_the_other_engine_is_refused(archive: Path, target: Settings, tmp_path: Path) -> None:
    other = "postgresql" if target.records_url.startswith("sqlite") else "sqlite"
    with pytest.raises(EngineMismatch, match="across engines is not supported"):
        restore(target, remade(archive, tmp_path, engine=other))
    assert is_empty(target)


def test_an_older_schema_is_restored_then_upgraded_with_the_var_files(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    script = ScriptDirectory.from_config(alembic_config(engine))
    (head,) = script.get_heads()
    revision = script.get_revision(head)
    assert revision is not None and isinstance(revision.down_revision, str)
    upgrade(engine, revision.down_revision)
    source = Settings(var_dir=tmp_path / "source", database_url=database_url)
    (source.var_dir / "mappings").mkdir(parents=True)
    (source.var_dir / "mappings" / "codes.csv").write_text("from,to\nGH,GHA\n")
    (source.var_dir / "analytics").mkdir()
    (source.var_dir / "analytics" / "derived.parquet").write_bytes(b"rebuilt, never archived")
    backup(source, tmp_path / "older.tar.gz")
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    for url in fresh_database_url(backend, tmp_path / "target"):
        restored = restore(Settings(var_dir=tmp_path / "var", database_url=url), tmp_path / "older.tar.gz")
        assert (restored.manifest.alembic_revision, restored.upgraded_to) == (revision.down_revision, head)
    assert restored.manifest.var_files == ["mappings/codes.csv"]
    assert (tmp_path / "var" / "mappings" / "codes.csv").read_text() == "from,to\nGH,GHA\n"
    assert not (tmp_path / "var" / "analytics").exists()


def _records_member(archive: Path) -> str:
    with tarfile.open(archive, "r:gz") as source:
        names = source.getnames()
    assert names[0] == CHECKSUMS
    return next(name for name in names if name.startswith("records."))
