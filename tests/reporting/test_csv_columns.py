"""Delimited text read in columns gives the same report, records and rows to store as the same text read row by row.

``check_file`` reads regular delimited text in columns (Arrow, streamed); ``columns=False`` forces the row reader
every other format uses. Each file below is checked both ways and the outcomes compared whole.
"""

import codecs
import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatory.reporting.declaration import declaration
from observatory.reporting.observation_table import observation_rows
from observatory.reporting.readers import NoReaderFound
from observatory.reporting.validation import Outcome, check_file
from observatory.reporting.validation.cells import parse_number
from observatory.reporting.validation.typed_columns import PLAIN_NUMBER
from tests.reporting.test_wdr_imports import DATA

HEADER = [
    "seizure_date",
    "country",
    "place",
    "drug",
    "quantity",
    "unit",
    "purity",
    "departure_country",
    "transit_countries",
    "conveyance",
    "seizing_agency",
]
GOOD = [
    ["2023-04-30", "Kenya", "Airport", "Heroin", "2.5", "kg", "45.5", "Pakistan", "", "air", "Customs"],
    ["2023-05-01", "Türkiye", "", "Cocaine", "12", "kilograms", "", "Colombia", "Spain; France", "sea", ""],
    ["2023-05-02", "Ghana", "Port, north gate", 'Cannabis "skunk"', "0", "g", "0", "", "", "land", "Police"],
    ["2023-05-03", "Brazil", "", "Cocaine", "1e3", "tablets", "n.a.", "-", "", "", "Police"],
    ["2023-05-04", "USA", "Border", "Methamphetamine", "0.125", "kg", "97.25", "Mexico", "", "land", ""],
]
BROKEN = [
    ["2023-02-30", "Atlantis", "", "Heroin", "-4", "kilogramz", "120", "Narnia", "Spain; Mordor", "boat", ""],
    ["30/04/2023", "Kenia", "Port\nof Mombasa", "Heroin", "1\x01", "", "", "", "", "", ""],
    ["2023-05-01", "Türkiye", "", "Cocaine", "12", "kilograms", "", "Colombia", "Spain; France", "sea", ""],
    ["2023-05-01", "Turkey", "", "Cocaine", "12", "kg", "", "Colombia", "Spain; France", "sea", ""],
    ["", "", "", "", "", "", "", "", "", "", ""],
    ["2023-05-05", "United Kingdom (Scotland)", "", "Heroin", "", "kg", "1,5", "USSR", "", "", ""],
    ["2023-05-06", "Kenya", "", "Heroin", "3.5", "", "", "", "", "", ""],
]


def text(rows: list[list[str]], delimiter: str = ",", terminator: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows([HEADER, *rows])
    return buffer.getvalue()


def both(data: bytes, dataset: str, layout: str | None = None) -> tuple[Outcome, Outcome]:
    plan = declaration(dataset)
    return check_file(data, "file.csv", plan, layout), check_file(data, "file.csv", plan, layout, columns=False)


def assert_same(columns: Outcome, rows: Outcome, dataset: str) -> None:
    assert columns.report.to_json() == rows.report.to_json()
    assert columns.report.rows == rows.report.rows
    assert [(r.row, dict(r.values), dict(r.codes)) for r in columns.records] == [
        (r.row, dict(r.values), dict(r.codes)) for r in rows.records
    ]
    assert [(r.record.cells, r.record.positions) for r in columns.records] == [
        (dict(r.record.cells), dict(r.record.positions)) for r in rows.records
    ]
    if not columns.report.errors:
        assert _stored(columns, dataset) == _stored(rows, dataset)


def _stored(outcome: Outcome, dataset: str) -> list[dict[str, object]]:
    plan = declaration(dataset)
    found = [row for checked in outcome.checked() for row in observation_rows(plan, checked, 1).table().to_pylist()]
    tuples = [
        dict(zip(found[0], row, strict=True)) if found else {}
        for checked in outcome.checked()
        for row in observation_rows(plan, checked, 1).tuples()
    ]
    assert tuples == found
    return found


CASES = [
    ("good", text(GOOD).encode(), "individual-seizures", None),
    ("broken", text(BROKEN).encode(), "individual-seizures", None),
    ("crlf with bom", codecs.BOM_UTF8 + text(GOOD, terminator="\r\n").encode(), "individual-seizures", None),
    ("semicolons, decimal commas", text(GOOD + BROKEN, ";").replace(".", ",").encode(), "individual-seizures", None),
    ("tabs, latin-1", text(GOOD, "\t").encode("latin-1", "replace"), "individual-seizures", None),
    ("utf-16", text(GOOD).encode("utf-16"), "individual-seizures", None),
    ("blank lines", text(GOOD).replace("\n", "\n\n", 3).encode() + b"\n\n", "individual-seizures", None),
    ("no rows", text([]).encode(), "individual-seizures", None),
    ("missing column", b"seizure_date,country,drug,unit\n2023-01-01,Kenya,Heroin,kg\n", "individual-seizures", None),
    ("unknown layout", text(GOOD).encode(), "individual-seizures", "no-such-layout"),
    ("cultivation", b"country,crop,year,best,low,high\nAtlantis,opium poppy,2023,100,90,110\n", "cultivation", None),
    ("treatment", b"country,year,drug,people,male,female\nKenya,2023,Opioids,100,70,40\n", "treatment", None),
]


@pytest.mark.parametrize(("data", "dataset", "layout"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_columns_and_rows_agree(data: bytes, dataset: str, layout: str | None) -> None:
    columns, rows = both(data, dataset, layout)
    assert_same(columns, rows, dataset)


ANNEX = [
    ("unodc_health/cdpe_unodc_drug_deaths.csv", "drug-deaths", None),
    ("unodc_health/cdpe_unodc_pp_inject_drugs.csv", "pwid", "cdpe-pwid"),
    ("unodc_health/cdpe_unodc_hiv_inject_drugs.csv", "pwid", "cdpe-hiv"),
    ("unodc_health/cdpe_unodc_hcv_inject_drugs.csv", "pwid", "cdpe-hcv"),
]


@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared test data is not at {DATA}")
@pytest.mark.parametrize(("path", "dataset", "layout"), ANNEX, ids=[Path(case[0]).stem for case in ANNEX])
def test_annex_extracts_read_in_columns_as_by_rows(path: str, dataset: str, layout: str | None) -> None:
    columns, rows = both((DATA / path).read_bytes(), dataset, layout)
    assert columns.source is None and rows.source is not None
    assert_same(columns, rows, dataset)


@pytest.mark.parametrize(
    ("data", "in_columns"),
    [
        (text(GOOD).encode(), True),
        (text(GOOD).encode() + b"2023-01-01,Kenya\n", False),
        (text(GOOD).replace("seizure_date,", '"seizure\ndate",', 1).encode(), False),
        (text(GOOD).replace("2023-05-01", "2023-05-01,extra", 1).encode(), False),
    ],
    ids=["regular", "a short row", "a header over two lines", "a long row"],
)
def test_irregular_text_is_read_row_by_row(data: bytes, in_columns: bool) -> None:
    columns, rows = both(data, "individual-seizures")
    assert (columns.source is None) is in_columns
    assert_same(columns, rows, "individual-seizures")


CELLS = st.one_of(
    st.sampled_from(["", " ", "\xa0", "..", "n.a.", "-", "unknown", "Kenya", "kg", "Heroin", "2023-04-30", "air"]),
    st.sampled_from(["0", "-0", "1,5", "1.5", "12,345.5", "1e3", "3.", ".5", "Spain; France", "Türkiye", "USSR"]),
    st.text(alphabet=' ,;"\n\r\t.-0123456789aeKkgé\x01\u2028', max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELLS, min_size=len(HEADER), max_size=len(HEADER)), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    terminator=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
)
def test_any_regular_text_reads_alike(rows: list[list[str]], delimiter: str, terminator: str, bom: bool) -> None:
    data = (codecs.BOM_UTF8 if bom else b"") + text(rows, delimiter, terminator).encode()
    try:
        columns, by_rows = both(data, "individual-seizures")
    except NoReaderFound as refused:
        # Text that no reader takes (control characters, say) is refused alike, whichever way it would be read.
        with pytest.raises(NoReaderFound) as again:
            check_file(data, "file.csv", declaration("individual-seizures"), columns=False)
        assert again.value.message == refused.message
        return
    assert_same(columns, by_rows, "individual-seizures")


@settings(max_examples=200, deadline=None)
@given(st.from_regex(PLAIN_NUMBER, fullmatch=True))
def test_arrow_reads_plain_numbers_as_python_does(written: str) -> None:
    (converted,) = pc.cast(pa.array([written]), pa.float64()).to_pylist()
    assert json.dumps(converted) == json.dumps(parse_number(written))
