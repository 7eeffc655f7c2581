"""Every WDR annex file goes in through ``observatory submit`` and comes back out through ``observatory submission
export``: each exported value equals its source cell, read again independently (openpyxl for workbooks, Python's
csv module for text), and blanks come back as missing, never as zero."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner, Result

from observatory.cli.main import app
from observatory.reporting.declaration import declaration
from observatory.reporting.readers.base import is_blank
from observatory.reporting.readers.records import Position
from observatory.reporting.workbook import Cell
from tests.reporting.test_wdr_imports import (
    CASES,
    DATA,
    IDS,
    Case,
    Lookup,
    _composed,
    _csv,
    _number,
    _openpyxl,
    outcome,
)
from tests.stores import BACKENDS, fresh_database_url

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared test data is not at {DATA}")
Invoke = Callable[..., Result]


@pytest.fixture(scope="module", params=BACKENDS)
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Invoke]:
    folder = tmp_path_factory.mktemp(f"round-trip-{request.param}")
    runner = CliRunner()
    for url in fresh_database_url(request.param, folder):
        env = {"OBSERVATORY_VAR_DIR": str(folder / "var"), "OBSERVATORY_DATABASE_URL": url}
        yield partial(_invoke, runner, env)


def _invoke(runner: CliRunner, env: dict[str, str], *args: str) -> Result:
    return runner.invoke(app, list(args), env=env)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_exported_values_equal_the_source_cells(run: Invoke, case: Case) -> None:
    layout = ["--layout", case.layout] if case.layout else []
    submitted = run("submit", str(DATA / case.path), "--dataset", case.dataset, *layout, "--json")
    assert submitted.exit_code == 0, submitted.output
    report = json.loads(submitted.stdout)
    assert report["errors"] == [] and report["values_stored"] > 0
    exported = run("submission", "export", str(report["submission_id"]))
    assert exported.exit_code == 0, exported.output
    lines = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(lines) == report["values_stored"]
    lookup = _independent_reading(DATA / case.path, case.dataset)
    compared = 0
    for line, (row, position) in zip(lines, _cells(case), strict=True):
        assert int(line["source_row"]) == row
        if position is not None and position.column is not None and line["element"] not in _composed(case):
            assert line["source_cell"] == position.reference
            cell = lookup(position.sheet, position.row, position.column)
            assert _same(line, cell), (line, position)
            compared += 1
    assert compared >= case.records


def _independent_reading(path: Path, dataset: str) -> Lookup:
    """openpyxl for workbooks, but calamine for the Purities sheet, which openpyxl cannot open; csv for text."""
    if not path.name.endswith(".xlsx"):
        return _csv(path)
    if dataset != "drug-purity":
        return _openpyxl(path)
    book = CalamineWorkbook.from_path(str(path))
    grids = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    return lambda sheet, row, column: grids[sheet][row - 1][column]


def _cells(case: Case) -> Iterator[tuple[int, Position | None]]:
    """The row of each stored value's record and the cell the value came from, in the order they were stored."""
    elements = [element.id for element in declaration(case.dataset).elements]
    for checked in outcome(case).records:
        for element in elements:
            if element in checked.values:
                yield checked.record.row, checked.record.positions.get(element)


def _same(line: dict[str, str], cell: Cell) -> bool:
    """A value equals its cell; a missing or not-applicable value stands for a blank or a marker, never a number."""
    if line["state"] in ("missing", "not-applicable"):
        return is_blank(cell) or _number(cell) is None
    try:
        return _number(cell) == pytest.approx(float(line["value"]), rel=1e-12)
    except ValueError:
        return " ".join(line["value"].split()) == " ".join(str(cell).split())
