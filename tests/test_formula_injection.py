"""Every CSV and workbook the platform writes keeps formula-like text inert (OWASP CSV injection): a table of
exporter × dangerous first character, and a property over any text.

The exporters are fed hostile text where the data would come from (stored values, figures, routes), as text stored
before validation refused it, or brought by another source, would reach them. Each returns every cell as a
spreadsheet would see it: CSV read back with Python's csv module, workbooks with openpyxl (a formula cell as its
formula, ``=…``).
"""

import contextlib
import csv
import io
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import create_engine

from observatory.access.policy import Principal, Role
from observatory.analytics.prevalence_comparison import TableComparison
from observatory.cli import stats, stats_flows, stats_wdr
from observatory.reference.formula_text import TRIGGERS, inert
from observatory.reporting import export, templates
from observatory.stats.provenance import Identified
from tests.reference.test_formula_text import live

ADMIN = Principal("root", Role.ADMIN)
Exporter = Callable[[str], list[str]]


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@contextlib.contextmanager
def _patched(target: object, name: str, value: object) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(target, name, value)
        yield


def _printed(write: Callable[[], None]) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write()
    return _csv_cells(out.getvalue())


def submission_values_csv(text: str) -> list[str]:
    """``reporting.export.submission_csv``: the web download ``values.csv`` and ``observatory submission export``."""
    base = {"source_row": 2, "country_iso3": "GHA", "year": 2023, "value_state": "value", "missing_reason": None}
    rows = [
        {**base, "source_column": text, "element": text, "dimensions": {"drug": text, text: text}, "unit": text}
        | {"value": -5.0, "value_text": None},
        {**base, "source_column": "E3", "element": "kilograms", "dimensions": {"drug": "Heroin"}, "unit": "kg"}
        | {"value": None, "value_text": text, "value_state": "missing", "missing_reason": text},
    ]
    with _patched(export, "observations", lambda *_: rows):
        return _csv_cells(export.submission_csv(create_engine("sqlite://"), ADMIN, 1))


def country_template_xlsx(text: str) -> list[str]:
    """``reporting.templates.country_template``: the .xlsx sent to focal points (web and ``observatory template``)."""
    last_year = [
        {"country": "GHA", "year": 2023, "drug_group": text, "drug_subgroup": text, "drug": text, "kilograms": -5.0}
    ]
    with _patched(templates, "approved_history", lambda *_: last_year):
        content = templates.country_template(create_engine("sqlite://"), ADMIN, "annual-seizures", "GHA", 2024)
    cells = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells.append(f"={cell.value}" if cell.data_type == "f" else str(cell.value))
    return cells


def stats_figures_csv(text: str) -> list[str]:
    """``observatory stats … --csv`` (``cli.stats._print_csv``)."""
    record: dict[str, Any] = {
        "id": text,
        "value": -5.0,
        "low": None,
        "high": None,
        "unit": text,
        "dimensions": {"drug": text},
        "method": {"id": text, "confirmed": True},
        "inputs": [{"id": text, "vintage": text}],
        "constants": [],
        "flags": [{"code": text}],
    }
    with _patched(stats, "figure_record", lambda _: record):
        return _printed(lambda: stats._print_csv([cast(Identified, None)]))


def stats_flows_csv(text: str) -> list[str]:
    """``observatory stats flows --csv``."""
    route = {"drug": text, "year": 2023, "route": text, "rank": 1, "status": text, "seizures": 3, "kilograms": -5.0}
    return _printed(lambda: stats_flows._print_csv([route]))


def wdr_1_1_csv(text: str) -> list[str]:
    """``observatory stats wdr-1-1 --csv``."""
    row = {"drug": text, "area": text, "ours": -5.0, "published": 1.5, "reasons": text}
    with _patched(stats_wdr, "comparison_csv_rows", lambda _: [row]):
        return _printed(lambda: stats_wdr._print_csv(cast(TableComparison, None)))


EXPORTERS: dict[str, Exporter] = {
    "submission values CSV": submission_values_csv,
    "country template XLSX": country_template_xlsx,
    "stats figures CSV": stats_figures_csv,
    "stats flows CSV": stats_flows_csv,
    "WDR 1.1 comparison CSV": wdr_1_1_csv,
}
PAYLOADS = {
    "=": "=cmd|' /C calc'!A0",
    "+": '+HYPERLINK("https://example.org/?leak","click")',
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "CR": "\r=1+1",
    "blank": "  =1+1",
    "CR inside": "Heroin\r=cmd|' /C calc'!A0",
}
#: How each payload is written: behind a quote, line breaks as line feeds (which the CSV writer quotes).
WRITTEN = {prefix: inert(payload) for prefix, payload in PAYLOADS.items()} | {
    "CR": "'\n=1+1",
    "CR inside": "Heroin\n=cmd|' /C calc'!A0",
}


@pytest.mark.parametrize("prefix", PAYLOADS)
@pytest.mark.parametrize("exporter", EXPORTERS)
def test_every_exporter_writes_formula_like_text_behind_a_quote(exporter: str, prefix: str) -> None:
    payload = PAYLOADS[prefix]
    cells = EXPORTERS[exporter](payload)
    assert WRITTEN[prefix] in cells
    assert payload not in cells
    assert [cell for cell in cells if live(cell) or "\r" in cell] == []
    assert {"-5", "-5.0"} & set(cells), "a negative number is written as the number it is"


@pytest.mark.parametrize("exporter", EXPORTERS)
def test_plain_text_and_numbers_are_written_as_they_are(exporter: str) -> None:
    cells = EXPORTERS[exporter]("Cocaine hydrochloride")
    assert "Cocaine hydrochloride" in cells and not [cell for cell in cells if cell.startswith("'")]


#: Any text, often led by a character a spreadsheet treats specially; no control characters, which a workbook
#: cannot hold (validation refuses them, ``control-character``).
hostile = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(["", " ", *TRIGGERS]),
    st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\r")),
)


@pytest.mark.parametrize("exporter", EXPORTERS)
@settings(max_examples=25, deadline=None)
@given(text=hostile)
def test_no_written_cell_starts_a_live_formula(exporter: str, text: str) -> None:
    assert [cell for cell in EXPORTERS[exporter](text) if live(cell) or "\r" in cell] == []
