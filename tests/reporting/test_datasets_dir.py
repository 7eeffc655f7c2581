"""An observatory's own data set, declared in ``OBSERVATORY_DATASETS_DIR``: listed, submitted, checked, approved and
published with no code change; a broken or clashing file is reported (file, line, field) and the others load; the
administrators' upload is checked, written atomically and audited. On both engines."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from observatory.access.policy import Principal, Role
from observatory.analytics.store import AnalyticsStore
from observatory.cli.main import app
from observatory.demo import initialise
from observatory.errors import Forbidden
from observatory.reporting.catalogue import (
    BadDeclaration,
    DatasetCatalogue,
    DatasetIdTaken,
    DeclarationProblem,
    add_declaration,
    check_file,
)
from observatory.reporting.dataset_values import values_csv, values_table
from observatory.reporting.declaration import UnknownDataset, declaration, declarations, packaged, using_catalogue
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from observatory.store.schema import AuditEvent
from observatory.store.serving import Audience

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "drug-related-crime.yaml"
DATASET = "drug-related-crime"
UPLOADER = Principal("gha-focal-point", Role.FOCAL_POINT, frozenset({"GHA"}))
SECOND = Principal("gha-second", Role.FOCAL_POINT, frozenset({"GHA"}))
ANALYST = Principal("analyst", Role.ANALYST)
ADMIN = Principal("root", Role.ADMIN)
GHANA = b"""country,year,offence,sex,persons,source
Ghana,2023,Drug possession/use,Male,1520,Ghana Police Service
Ghana,2023,Drug possession/use,Female,130,Ghana Police Service
Ghana,2023,Drug trafficking,Male,410,Ghana Police Service
Ghana,2023,Total,Total,2060,Ghana Police Service
"""


@pytest.fixture
def datasets_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "datasets"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    monkeypatch.setenv("OBSERVATORY_DATASETS_DIR", str(folder))
    return folder


@pytest.fixture
def records(database_url: str, tmp_path: Path, datasets_dir: Path) -> Iterator[tuple[Engine, Settings]]:
    settings = Settings(var_dir=tmp_path / "var", database_url=database_url)
    assert settings.datasets_dir == datasets_dir  # from OBSERVATORY_DATASETS_DIR
    engine = initialise(settings)
    yield engine, settings
    engine.dispose()


def test_a_declared_data_set_is_submitted_approved_and_published(records: tuple[Engine, Settings]) -> None:
    engine, settings = records
    catalogue = DatasetCatalogue.of(settings)
    assert catalogue.origin(DATASET) == "directory"
    assert DATASET not in declarations()  # the package's alone, until an entry point puts the catalogue in use
    with using_catalogue(catalogue):
        assert DATASET in declarations() and set(packaged()) < set(declarations())
        result = submit_file(engine, UPLOADER, GHANA, "ghana-2023.csv", DATASET, country="GHA")
        assert (result.status, result.values_stored) == ("validated", 4), result.report
        with pytest.raises(Forbidden):  # four eyes hold as for any data set
            apply_step(engine, UPLOADER, result.submission_id, "approve", analytics=settings.analytics_dir)
        for who, step in ((SECOND, "approve"), (ANALYST, "accept"), (ANALYST, "publish")):
            apply_step(engine, who, result.submission_id, step, analytics=settings.analytics_dir)
    store = AnalyticsStore(settings.analytics_dir).for_audience(Audience.PUBLIC)
    try:
        table = values_table(store, catalogue.declaration(DATASET))
        csv_text = values_csv(store, catalogue.declaration(DATASET))
    finally:
        store.close()
    assert table.total == 4
    assert table.columns[:6] == ("submission_id", "vintage", "country", "year", "offence", "sex")
    assert {(r["offence"], r["sex"], r["value"]) for r in table.rows} >= {("Drug trafficking", "Male", 410)}
    assert all(
        r["country"] == "GHA" and r["year"] == 2023 and r["source"] == "Ghana Police Service" for r in table.rows
    )
    assert ",Drug trafficking,Male,persons,410,person,value,," in csv_text  # an integer element, written as one
    assert csv_text.splitlines()[0].startswith("submission_id,vintage,country,year,offence,sex,element,value")


def test_a_declared_data_set_checks_its_values(records: tuple[Engine, Settings]) -> None:
    engine, settings = records
    wrong = GHANA.replace(b"Drug trafficking,Male,410", b"Drug smuggling,Male,-4")
    with using_catalogue(DatasetCatalogue.of(settings)):
        result = submit_file(engine, UPLOADER, wrong, "ghana-2023.csv", DATASET, country="GHA", dry_run=True)
    messages = " ".join(problem["message"] for problem in result.report["errors"])
    assert result.status == "invalid" and "Drug smuggling" in messages and "-4" in messages


BROKEN_YAML = "id: broken-yaml\ntitle: [unclosed\n"
BAD_FIELD = """\
id: bad-field
title: Bad field
dimensions:
  - {id: country, title: Country, type: text, vocabulary: country, required: true}
  - {id: year, title: Year, type: year}
elements:
  - {id: amount, title: Amount, type: number, unit: parsecs}
"""


def test_broken_and_clashing_files_are_problems_and_the_others_load(datasets_dir: Path) -> None:
    (datasets_dir / "broken-yaml.yaml").write_text(BROKEN_YAML)
    (datasets_dir / "bad-field.yaml").write_text(BAD_FIELD)
    shutil.copy(EXAMPLE, datasets_dir / "annual-seizures.yaml")
    (datasets_dir / "annual-seizures.yaml").write_text(
        EXAMPLE.read_text().replace(f"id: {DATASET}", "id: annual-seizures")
    )
    catalogue = DatasetCatalogue(datasets_dir)
    assert list(catalogue.own()) == [DATASET]
    problems = {problem.file: problem for problem in catalogue.problems()}
    assert set(problems) == {"broken-yaml.yaml", "bad-field.yaml", "annual-seizures.yaml"}
    assert problems["broken-yaml.yaml"].line == 3 and "not valid YAML at line" in problems["broken-yaml.yaml"].message
    assert (problems["bad-field.yaml"].line, problems["bad-field.yaml"].field) == (7, "elements[0].unit")
    assert problems["annual-seizures.yaml"].code == "dataset-id-taken"
    assert "a data set of the package" in problems["annual-seizures.yaml"].message
    with using_catalogue(catalogue):
        assert declaration("annual-seizures") is packaged()["annual-seizures"]


def test_a_file_dropped_in_is_in_effect_at_once_and_gone_when_removed(datasets_dir: Path) -> None:
    catalogue = DatasetCatalogue(datasets_dir)
    assert list(catalogue.own()) == [DATASET]
    (datasets_dir / "other-crime.yaml").write_text(EXAMPLE.read_text().replace(f"id: {DATASET}", "id: other-crime"))
    assert sorted(catalogue.own()) == [DATASET, "other-crime"]
    (datasets_dir / "other-crime.yaml").unlink()
    assert list(catalogue.own()) == [DATASET]
    with using_catalogue(catalogue), pytest.raises(UnknownDataset) as unknown:
        declaration("other-crime")
    assert unknown.value.status == 404 and DATASET in unknown.value.message


def test_the_upload_is_checked_written_and_audited(records: tuple[Engine, Settings], tmp_path: Path) -> None:
    engine, _ = records
    folder = tmp_path / "own"
    catalogue = DatasetCatalogue(folder)
    text = EXAMPLE.read_bytes()
    with pytest.raises(Forbidden):
        add_declaration(engine, UPLOADER, catalogue, text)
    with pytest.raises(BadDeclaration) as bad:
        add_declaration(engine, ADMIN, catalogue, text.replace(b"unit: person", b"unit: parsecs"))
    assert bad.value.status == 400 and bad.value.details[0]["field"] == "elements[0].unit"
    assert bad.value.details[0]["line"] == text.decode().splitlines().index("    unit: person") + 1
    with pytest.raises(DatasetIdTaken):
        add_declaration(engine, ADMIN, catalogue, text.replace(b"id: drug-related-crime", b"id: prevalence"))
    assert not any(folder.iterdir()), "nothing is left of a refused upload"

    declared = add_declaration(engine, ADMIN, catalogue, text)
    assert declared.id == DATASET and (folder / f"{DATASET}.yaml").read_bytes() == text
    assert list(catalogue.own()) == [DATASET] and catalogue.problems() == ()
    with pytest.raises(DatasetIdTaken) as again:
        add_declaration(engine, ADMIN, catalogue, text)
    assert again.value.status == 409 and "declared already" in again.value.message
    add_declaration(engine, ADMIN, catalogue, text.replace(b"title: Drug-related crime", b"title: Drug crime"), True)
    assert catalogue.declaration(DATASET).title == "Drug crime"
    with Session(engine) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "dataset-declared")).all()
    assert [(e.actor, e.entity, e.entity_id, e.detail["replaced"]) for e in events] == [
        ("root", "dataset", DATASET, False),
        ("root", "dataset", DATASET, True),
    ]
    assert [p.name for p in folder.iterdir()] == [f"{DATASET}.yaml"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_declaration_or_a_problem_never_a_crash(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any-thing.yaml"
        path.write_text(text, encoding="utf-8")
        found = check_file(path)
    assert isinstance(found, DeclarationProblem) or found.id == "any-thing"


def test_the_command_line_lists_checks_and_adds(tmp_path: Path, database_url: str) -> None:
    folder = tmp_path / "own"
    env = {
        "OBSERVATORY_VAR_DIR": str(tmp_path / "var"),
        "OBSERVATORY_DATABASE_URL": database_url,
        "OBSERVATORY_DATASETS_DIR": str(folder),
    }
    runner = CliRunner()
    added = runner.invoke(app, ["datasets", "add", str(EXAMPLE)], env=env)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["datasets", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = {row["id"]: row["origin"] for row in json.loads(listed.stdout)["data"]}
    assert rows[DATASET] == "directory" and rows["annual-seizures"] == "package"
    (folder / "bad-field.yaml").write_text(BAD_FIELD)
    checked = runner.invoke(app, ["datasets", "check"], env=env)
    assert checked.exit_code == 1
    assert "problem: bad-field.yaml (line 7, field elements[0].unit)" in checked.stderr
    assert f"ok: {DATASET}.yaml" in checked.stdout
    one = runner.invoke(app, ["datasets", "check", str(EXAMPLE)], env=env)
    assert one.exit_code == 0 and "ok: drug-related-crime.yaml" in one.stdout


def test_a_directory_that_cannot_be_read_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    catalogue = DatasetCatalogue(tmp_path / "not-made-yet")
    (problem,) = catalogue.problems()
    assert problem.code == "no-datasets-dir" and "No such file or directory" in problem.message
    assert catalogue.declarations() == packaged()


def test_the_command_line_submits_to_a_declared_data_set(tmp_path: Path, database_url: str, datasets_dir: Path) -> None:
    env = {"OBSERVATORY_VAR_DIR": str(tmp_path / "var"), "OBSERVATORY_DATABASE_URL": database_url}
    upload = tmp_path / "ghana-2023.csv"
    upload.write_bytes(GHANA)
    command = ["submit", str(upload), "--dataset", DATASET, "--country", "GHA", "--json"]
    checked = CliRunner().invoke(app, [*command, "--dry-run"], env=env)  # OBSERVATORY_DATASETS_DIR: the fixture's
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["status"] == "validated"
    submitted = CliRunner().invoke(app, [*command, "--mapping", "auto"], env=env)
    assert submitted.exit_code == 0, submitted.output
    assert json.loads(submitted.stdout)["values_stored"] == 4
    elsewhere = CliRunner().invoke(app, command, env={**env, "OBSERVATORY_DATASETS_DIR": str(datasets_dir / "x")})
    assert elsewhere.exit_code == 1 and f"(unknown-dataset): no data set {DATASET!r}" in elsewhere.stderr
