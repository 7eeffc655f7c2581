"""The reader registry and each reader: picked by content, rows numbered as a person sees them."""

import codecs
import json
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook

from observatory.reporting.readers import (
    READERS,
    CsvReader,
    JsonReader,
    NoReaderFound,
    SdmxCsvReader,
    SdmxMlReader,
    XlsxReader,
    read_source,
    reader_for,
)

SDMX_ML = b"""<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
    xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <message:Header>
    <message:ID>ARQ2024</message:ID>
    <message:Test>false</message:Test>
    <message:Prepared>2024-05-01T00:00:00</message:Prepared>
    <message:Sender id="KEN"/>
    <message:Structure structureID="SEIZURES" dimensionAtObservation="TIME_PERIOD">
      <common:Structure><Ref agencyID="UNODC" id="SEIZURES" version="1.0"/></common:Structure>
    </message:Structure>
  </message:Header>
  <message:DataSet structureRef="SEIZURES">
    <generic:Series>
      <generic:SeriesKey>
        <generic:Value id="REF_AREA" value="KEN"/>
        <generic:Value id="DRUG" value="Cannabis herb (marijuana)"/>
      </generic:SeriesKey>
      <generic:Obs>
        <generic:ObsDimension value="2022"/>
        <generic:ObsValue value="1500.5"/>
      </generic:Obs>
      <generic:Obs>
        <generic:ObsDimension value="2023"/>
        <generic:ObsValue value="1720"/>
      </generic:Obs>
    </generic:Series>
  </message:DataSet>
</message:GenericData>
"""


def xlsx(*rows: list[object], title: str = "Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reader"),
    [
        (b"Country,Year\nKenya,2023\n", CsvReader),
        (b"DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nUNODC:SEIZURES(1.0),KEN,2023,5\n", SdmxCsvReader),
        (b'[{"country": "Kenya"}]', JsonReader),
        (b'{"data": [{"country": "Kenya"}]}', JsonReader),
        (SDMX_ML, SdmxMlReader),
        (xlsx(["Country"], ["Kenya"]), XlsxReader),
    ],
    ids=["csv", "sdmx-csv", "json-array", "json-object", "sdmx-ml", "xlsx"],
)
def test_the_reader_is_chosen_by_content_not_name(data: bytes, reader: type) -> None:
    assert isinstance(reader_for(data, "upload.txt"), reader)
    assert next(candidate for candidate in READERS if candidate.handles(data)) is reader


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (b"", "is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Excel 97-2003"),
        (bytes(range(256)) * 4, "none of the accepted formats"),
        (b"<html><body>not a table</body></html>", "none of the accepted formats"),
    ],
    ids=["empty", "pdf-named-csv", "png", "xls", "binary", "html"],
)
def test_no_reader_lists_what_was_tried(data: bytes, detected: str) -> None:
    with pytest.raises(NoReaderFound) as caught:
        read_source(data, "seizures.csv")
    assert detected in caught.value.message and "seizures.csv" in caught.value.message
    assert caught.value.details[0]["tried"] == [reader.title for reader in READERS]


@pytest.mark.parametrize(
    ("text", "encoding", "delimiter"),
    [
        ("Country,Year,Kilograms\nCôte d'Ivoire,2023,12.5\n", "utf-8", ","),
        ("Country;Year;Kilograms\nCôte d'Ivoire;2023;12,5\n", "utf-8-sig", ";"),
        ("Country\tYear\tKilograms\nCôte d'Ivoire\t2023\t12.5\n", "cp1252", "\t"),
        ("Country|Year|Kilograms\nCôte d'Ivoire|2023|12.5\n", "latin-1", "|"),
        ("Country,Year,Kilograms\r\nCôte d'Ivoire,2023,12.5\r\n", "utf-16", ","),
    ],
    ids=["utf8-comma", "bom-semicolon", "cp1252-tab", "latin1-bar", "utf16-crlf"],
)
def test_csv_dialects_and_encodings(text: str, encoding: str, delimiter: str) -> None:
    source = read_source(text.encode(encoding), "a.csv")
    (sheet,) = source.sheets
    assert [row.cells for row in sheet.rows] == [tuple(line.split(delimiter)) for line in text.splitlines()]
    assert f"fields separated by {delimiter!r}" in source.notes


def test_csv_decimal_comma_is_detected_when_fields_are_not_comma_separated() -> None:
    (sheet,) = read_source(b"Country;Best\nKenya;1,5\nGhana;0,25\nMali;2\n", "a.csv").sheets
    assert sheet.decimal == ","
    (sheet,) = read_source(b'Country,Deaths\nKenya,"1,387"\nUSA,"52,404"\n', "a.csv").sheets
    assert sheet.decimal == "."


def test_csv_rows_are_numbered_by_the_line_they_start_on() -> None:
    data = b'Country,Notes\nKenya,"two\nlines"\n\nGhana,one\n'
    (sheet,) = read_source(data, "a.csv").sheets
    assert [(row.number, row.cells) for row in sheet.rows] == [
        (1, ("Country", "Notes")),
        (2, ("Kenya", "two\nlines")),
        (4, ()),
        (5, ("Ghana", "one")),
    ]


def test_json_records_are_numbered_by_the_line_they_start_on() -> None:
    data = json.dumps([{"country": "Kenya", "year": 2023}, {"country": "Ghana", "kg": 1.5, "tags": ["a"]}], indent=2)
    (sheet,) = read_source(data.encode(), "a.json").sheets
    assert sheet.header == ("country", "year", "kg", "tags")
    assert [(row.number, row.cells) for row in sheet.rows] == [
        (2, ("Kenya", 2023, None, None)),
        (6, ("Ghana", None, 1.5, '["a"]')),
    ]


def test_json_records_under_a_key() -> None:
    data = b'{"meta": {"n": 1}, "data": [\n {"country": "Kenya"},\n {"country": "Ghana"}]}'
    (sheet,) = read_source(data, "a.json").sheets
    assert [(row.number, row.cells) for row in sheet.rows] == [(2, ("Kenya",)), (3, ("Ghana",))]


def test_sdmx_csv_keeps_its_header_and_line_numbers() -> None:
    data = b"DATAFLOW,REF_AREA,DRUG,TIME_PERIOD,OBS_VALUE\nUNODC:SEIZURES(1.0),KEN,Cocaine,2023,5.5\n"
    source = read_source(data, "a.csv")
    (sheet,) = source.sheets
    assert source.format == "sdmx-csv" and sheet.header == ("DATAFLOW", "REF_AREA", "DRUG", "TIME_PERIOD", "OBS_VALUE")
    assert [(row.number, row.cells[1:]) for row in sheet.rows] == [(2, ("KEN", "Cocaine", "2023", "5.5"))]


def test_sdmx_ml_observations_with_their_line_and_series_key() -> None:
    source = read_source(SDMX_ML, "a.xml")
    (sheet,) = source.sheets
    assert source.format == "sdmx-ml" and sheet.header == ("REF_AREA", "DRUG", "TIME_PERIOD", "OBS_VALUE")
    lines = [number for number, line in enumerate(SDMX_ML.splitlines(), start=1) if b"<generic:Obs>" in line]
    assert [(row.number, row.cells) for row in sheet.rows] == [
        (lines[0], ("KEN", "Cannabis herb (marijuana)", "2022", "1500.5")),
        (lines[1], ("KEN", "Cannabis herb (marijuana)", "2023", "1720")),
    ]


def test_xlsx_rows_are_spreadsheet_rows_and_formulas_are_not_evaluated() -> None:
    data = xlsx(["Seizures, 2023"], [], ["Country", "Year", "Kilograms"], ["Kenya", date(2023, 6, 30), "=1+1"])
    (sheet,) = read_source(data, "a.xlsx").sheets
    assert sheet.name == "Sheet1"
    assert [row.number for row in sheet.rows] == [1, 2, 3, 4]
    assert sheet.rows[3].cells[0] == "Kenya" and sheet.rows[3].cells[1] == date(2023, 6, 30)
    assert sheet.rows[3].cells[2] in ("", None), "openpyxl stores no cached result, and nothing computes one"


def test_utf8_bom_is_not_part_of_the_first_heading() -> None:
    (sheet,) = read_source(codecs.BOM_UTF8 + b"Country,Year\nKenya,2023\n", "a.csv").sheets
    assert sheet.rows[0].cells[0] == "Country"
