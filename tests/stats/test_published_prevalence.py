"""WDR table 1.1 read into its tidy table: every cell equals an independent openpyxl read of the shared copy, the
shipped copy is that file, "-" stays unpublished, and a malformed sheet is refused naming its cell."""

import hashlib
import math
from collections.abc import Sequence

import pytest
from openpyxl import load_workbook

from observatory.analytics.prevalence_comparison import PUBLISHED_TABLE, published_table
from observatory.errors import BadInput
from observatory.stats.published_prevalence import DRUGS, TableDrug, published_sums, read_published_prevalence
from tests.stats.paths import PUBLISHED

pytestmark = pytest.mark.skipif(not PUBLISHED.is_file(), reason=f"the shared test data is not at {PUBLISHED}")
#: Column of each drug's first cell (users best) in the sheet, found by reading it: blocks of three drugs.
BLOCKS = {
    "cannabis": (3, 2),
    "opioids": (3, 8),
    "opiates": (3, 14),
    "cocaine": (34, 2),
    "amphetamines": (34, 8),
    "ecstasy": (34, 14),
}


def openpyxl_cells() -> dict[tuple[str, str, str, str], float | None]:
    """(drug, area label as in column A, measure, end) → the cell, read with openpyxl, None for "-"."""
    sheet = load_workbook(PUBLISHED, data_only=True).worksheets[0]
    cells: dict[tuple[str, str, str, str], float | None] = {}
    for drug, (header, column) in BLOCKS.items():
        row = header + 3
        while True:
            label = " ".join(str(sheet.cell(row, 1).value).split())
            for offset, (measure, end) in enumerate(
                (m, e) for m in ("users", "prevalence") for e in ("best", "low", "high")
            ):
                value = sheet.cell(row, column + offset).value
                cells[(drug, "World" if label == "GLOBAL ESTIMATE" else label, measure, end)] = (
                    None if value == "-" else float(value)
                )
            if label == "GLOBAL ESTIMATE":
                break
            row += 1
    return cells


def test_the_shipped_table_is_the_shared_file_unmodified() -> None:
    assert hashlib.sha256(PUBLISHED_TABLE.read_bytes()).digest() == hashlib.sha256(PUBLISHED.read_bytes()).digest()


def test_every_cell_equals_the_openpyxl_read() -> None:
    expected = openpyxl_cells()
    table = published_table().to_pylist()
    ours = {(r["drug"], r["area"], r["measure"], end): r[end] for r in table for end in ("best", "low", "high")}
    assert ours.keys() == expected.keys()
    assert len(ours) == 6 * 24 * 2 * 3
    for key, value in expected.items():
        assert ours[key] == value or (value is not None and math.isclose(ours[key], value, rel_tol=1e-15)), key


def test_users_are_persons_displayed_in_thousands() -> None:
    sheet = load_workbook(PUBLISHED).worksheets[0]
    assert sheet["B6"].number_format == "#,###," and sheet["B6"].value == 63_310_000
    africa = next(r for r in published_table().to_pylist() if r["area"] == "Africa" and r["measure"] == "users")
    assert africa["best"] == 63_310_000


@pytest.mark.parametrize(
    ("area", "level", "region"),
    [
        ("World", "global", None),
        ("Africa", "region", "Africa"),
        ("East Africa", "subregion", "Africa"),
        ("South-West Asia/Near and Middle East", "subregion", "Asia"),
        ("Eastern and South-Eastern Europe", "subregion", "Europe"),
        ("Polynesia", "subregion", "Oceania"),
    ],
)
def test_areas_keep_their_level_and_region(area: str, level: str, region: str | None) -> None:
    rows = [r for r in published_table().to_pylist() if r["area"] == area]
    assert len(rows) == 12 and {(r["level"], r["region"]) for r in rows} == {(level, region)}


def test_the_published_users_add_up_to_their_rounding() -> None:
    checks = published_sums(published_table())
    assert {c["area"] for c in checks if c["level"] == "global"} == {"World"}
    assert len([c for c in checks if c["level"] == "global"]) == 6 * 3
    assert max(abs(c["difference"]) for c in checks) <= 10_000


HEADER = ["Region or subregion", "Cannabis", "", "", "", "", ""]
KINDS = ["", "Number (thousands)", "", "", "Prevalence (percentage)", "", ""]
ENDS = ["", "Best estimate", "Lower", "Upper", "Best estimate", "Lower", "Upper"]
AFRICA = ["Africa", 10.0, 5.0, 20.0, 1.0, 0.5, 2.0]
GLOBAL = ["GLOBAL ESTIMATE", 10.0, 5.0, 20.0, 1.0, 0.5, 2.0]


def grid(*rows: Sequence[object]) -> list[tuple[int, Sequence[object]]]:
    return list(enumerate(rows, start=3))


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        ([HEADER, KINDS, ENDS, ["Africa", "n.a.", 5.0, 20.0, 1.0, 0.5, 2.0], GLOBAL], "(cell B6), value 'n.a.'"),
        ([HEADER, KINDS, ENDS, ["Africa", -1.0, 5.0, 20.0, 1.0, 0.5, 2.0], GLOBAL], "(cell B6), value -1.0"),
        ([HEADER, KINDS, ENDS, ["East Africa", *AFRICA[1:]], GLOBAL], "a subregion before any region"),
        ([["Region or subregion", "Heroin", "", "", "", "", ""], KINDS, ENDS, AFRICA, GLOBAL], "not a drug of table"),
        (
            [HEADER, ["", "Prevalence", "", "", "Number", "", ""], ENDS, AFRICA, GLOBAL],
            "expected a heading starting 'Number'",
        ),
        ([HEADER, KINDS, ENDS, AFRICA], "the block ends before its GLOBAL ESTIMATE row"),
        ([HEADER, KINDS, ENDS, AFRICA, ["", *AFRICA[1:]], GLOBAL], "a blank label"),
        ([["Title"], AFRICA], "no block for Cannabis"),
    ],
)
def test_a_malformed_sheet_is_refused_naming_its_cell(rows: list[Sequence[object]], named: str) -> None:
    with pytest.raises(BadInput) as raised:
        read_published_prevalence(grid(*rows), "PrevAllDrugtypes")
    assert named in raised.value.message


def test_every_drug_block_is_read_from_a_minimal_sheet() -> None:
    def block(drugs: Sequence[TableDrug]) -> list[Sequence[object]]:
        titles = [cell for drug in drugs for cell in (drug.title, "", "", "", "", "")]
        data: list[Sequence[object]] = [["Africa", *AFRICA[1:] * 3], ["GLOBAL ESTIMATE", *["-"] * 18]]
        return [["Region or subregion", *titles], ["", *KINDS[1:] * 3], ["", *ENDS[1:] * 3], *data]

    rows, second = block(DRUGS[:3]), block(DRUGS[3:])
    table = read_published_prevalence(grid(*rows, *second), "sheet")
    assert table.num_rows == 6 * 2 * 2
    world = [r for r in table.to_pylist() if r["level"] == "global"]
    assert all(r["best"] is None and r["low"] is None for r in world)
