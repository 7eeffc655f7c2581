"""Cells kept across blocks (``csv_columns.Dictionaries``): the same problems whatever the block size."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import observatory.reporting.readers.csv_columns as csv_columns
from observatory.reporting.declaration import declaration
from observatory.reporting.validation import check_file

HEADER = ["seizure_date", "country", "place", "drug", "quantity", "unit", "purity", "seizing_agency"]
CELLS = {
    "seizure_date": ["2023-09-21", "2022-02-14", "2023-13-45", "", "2021"],
    "country": ["Saint Lucia", "Turkey", "Türkiye", "turkey ", "Atlantis", "", "Kosovo"],
    "place": ["", "port", "a\nb"],
    "drug": ["Opioids", "cannabis", "", "CANNABIS"],
    "quantity": ["0.247", "12", "-5", "abc", "", "0", "-0", "100.0", "100", "12\xa0000"],
    "unit": ["kg", "kilograms", "bushels", "", "g"],
    "purity": ["90.2", "150", "", "x", "73.7"],
    "seizing_agency": ["Customs", "Police", ""],
}
ROW = st.tuples(*(st.sampled_from(CELLS[name]) for name in HEADER))


def _problems(data: bytes, block: int) -> list[object]:
    kept = csv_columns.BLOCK_BYTES
    csv_columns.BLOCK_BYTES = block
    try:
        return list(check_file(data, "s.csv", declaration("individual-seizures")).report.problems)
    finally:
        csv_columns.BLOCK_BYTES = kept


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=300), st.sampled_from([64, 200, 1000]))
def test_same_problems_whatever_the_block_size(rows: list[tuple[str, ...]], block: int) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = text.getvalue().encode()
    assert _problems(data, block) == _problems(data, 1 << 22)


def test_dictionaries_append_then_start_again() -> None:
    import pyarrow as pa

    dictionaries = csv_columns.Dictionaries()
    cells, origin, found = dictionaries.add(0, pa.array(["a", "b"]))
    assert found is None and cells.to_pylist() == ["a", "b"]
    cells, again, found = dictionaries.add(0, pa.array(["c", "a"]))
    assert again is origin and cells.to_pylist() == ["a", "b", "c"] and found is not None
    assert found.tolist() == [2, 0]
    cells, same, _ = dictionaries.add(0, pa.array([str(number) for number in range(5000)]))
    assert same is origin and len(cells) == 5003
    # Most of these cells are new, and the kept ones would pass twice the block's: the column starts again.
    cells, other, found = dictionaries.add(0, pa.array([f"x{number}" for number in range(1100)]))
    assert other is not origin and found is None and len(cells) == 1100
