"""``observatory backup``, ``restore`` and ``purge-refused`` on both engines: a restored store answers
``stats seizures-trend --json`` as the original does, refusals exit 1 with a message, and no output or archive
holds the database password or the secret key."""

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from observatory.cli.main import app
from observatory.settings import Settings
from tests.stores import fresh_database_url

SECRET_KEY = "a-secret-key-" + "7" * 32
INVALID = b"country,drug_group,drug_subgroup,drug,year,kilograms\nNarnia,Opioids,Opiates,Heroin,2023,-4\n"


def environment(settings: Settings) -> dict[str, str]:
    return {
        "OBSERVATORY_VAR_DIR": str(settings.var_dir),
        "OBSERVATORY_DATABASE_URL": settings.records_url,
        "OBSERVATORY_SECRET_KEY": SECRET_KEY,
    }


def run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=environment(settings))


def secrets(settings: Settings) -> list[str]:
    password = make_url(settings.records_url).password
    return [SECRET_KEY, *([str(password)] if password else [])]


def shows_no_secret(settings: Settings, result: Result) -> bool:
    return not any(secret in result.output for secret in secrets(settings))


@pytest.fixture
def target(demo_settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    backend = "sqlite" if demo_settings.records_url.startswith("sqlite") else "postgresql"
    for url in fresh_database_url(backend, tmp_path / "store"):
        yield Settings(var_dir=tmp_path / "var", database_url=url)


def test_a_restored_store_answers_seizures_trend_identically(
    demo_settings: Settings, target: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "observatory.tar.gz"
    made = run(demo_settings, "backup", str(archive), "--json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["engine"] in ("sqlite", "postgresql")
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "analytics store rebuilt" in restored.output
    original = run(demo_settings, "stats", "seizures-trend", "--json")
    again = run(target, "stats", "seizures-trend", "--json")
    assert original.exit_code == again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(original.stdout) and json.loads(again.stdout)["table"]
    everything = gzip.decompress(archive.read_bytes())
    assert all(secret.encode() not in everything for secret in secrets(demo_settings))
    assert all(shows_no_secret(demo_settings, result) for result in (made, restored, original, again))


def test_a_damaged_archive_exits_1_and_leaves_the_target_empty(target: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "not-a-backup.tar.gz"
    archive.write_bytes(gzip.compress(b"nothing of ours"))
    result = run(target, "restore", str(archive))
    assert result.exit_code == 1
    assert "damaged-archive" in result.output and "Traceback" not in result.output
    assert not any(target.var_dir.iterdir())


def test_restoring_over_a_store_exits_1_without_showing_its_password(demo_settings: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "observatory.tar.gz"
    assert run(demo_settings, "backup", str(archive)).exit_code == 0
    occupied = demo_settings.model_copy(update={"var_dir": tmp_path / "empty-var"})
    result = run(occupied, "restore", str(archive))
    assert result.exit_code == 1 and "restore-target-not-empty" in result.output
    assert shows_no_secret(demo_settings, result)


def test_a_backup_never_overwrites_a_file(demo_settings: Settings, tmp_path: Path) -> None:
    existing = tmp_path / "taken.tar.gz"
    existing.write_bytes(b"keep me")
    result = run(demo_settings, "backup", str(existing))
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert existing.read_bytes() == b"keep me"


@pytest.fixture
def fresh(database_url: str, tmp_path: Path) -> Settings:
    return Settings(var_dir=tmp_path / "var", database_url=database_url)


def test_purge_refused_removes_the_bytes_of_a_refused_file(fresh: Settings, tmp_path: Path) -> None:
    upload = tmp_path / "narnia.csv"
    upload.write_bytes(INVALID)
    submitted = run(fresh, "submit", str(upload), "--dataset", "annual-seizures", "--json")
    assert submitted.exit_code == 1 and json.loads(submitted.stdout)["status"] == "invalid"
    kept = run(fresh, "purge-refused", "--json")
    assert kept.exit_code == 0 and json.loads(kept.stdout)["files"] == []
    dry = run(fresh, "purge-refused", "--days", "0", "--dry-run", "--json")
    assert [file["name"] for file in json.loads(dry.stdout)["files"]] == ["narnia.csv"]
    purged = run(fresh, "purge-refused", "--days", "0", "--json")
    assert purged.exit_code == 0, purged.output
    assert json.loads(purged.stdout)["purged_files"] == 1 and "refused files purged: 1" in purged.output
