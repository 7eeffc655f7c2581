"""The reporting universe file: each place a current one, named as M49 names it, with its kind, status and source."""

from pathlib import Path

import pytest

from observatory.errors import SourceFileError
from observatory.reference.reporting_universe import Kind, Member, read_universe

HEADER = "iso3,name,kind,status,source\n"
GHANA = "GHA,Ghana,member-state,confirmed,UNTERM\n"


def write(folder: Path, rows: str) -> Path:
    path = folder / "universe.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_row_becomes_a_member(tmp_path: Path) -> None:
    rows = GHANA + '"MAC","China, Macao Special Administrative Region",territory,unconfirmed,WDR\n'
    assert read_universe(write(tmp_path, rows)) == (
        Member("GHA", "Ghana", Kind.MEMBER_STATE, True, "UNTERM"),
        Member("MAC", "China, Macao Special Administrative Region", Kind.TERRITORY, False, "WDR"),
    )


@pytest.mark.parametrize(
    ("rows", "row", "column", "reason"),
    [
        ("ZZZ,Nowhere,territory,confirmed,x\n", 2, "iso3", "not the ISO 3166 alpha-3 code of a current place"),
        ("SUN,Union of Soviet Socialist Republics,member-state,confirmed,x\n", 2, "iso3", "of a current place"),
        (GHANA + GHANA, 3, "iso3", "listed twice"),
        ("GHA,Gold Coast,member-state,confirmed,x\n", 2, "name", "GHA is named 'Ghana'"),
        ("GHA,Ghana,state,confirmed,x\n", 2, "kind", "expected one of ['member-state'"),
        ("GHA,Ghana,member-state,maybe,x\n", 2, "status", "expected one of ['confirmed', 'unconfirmed']"),
        ("GHA,Ghana,member-state,confirmed, \n", 2, "source", "every place needs its source"),
    ],
)
def test_a_bad_row_is_refused_with_its_cell(tmp_path: Path, rows: str, row: int, column: str, reason: str) -> None:
    with pytest.raises(SourceFileError, match=f"row {row}, column '{column}'") as raised:
        read_universe(write(tmp_path, rows))
    assert reason in raised.value.message
