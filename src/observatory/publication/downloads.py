"""Tables as files: CSV, Parquet and XLSX (with a notes sheet), the same bytes for the same table every time.

``download`` turns an API answer (``{"data": [rows], "meta": {...}}``) into a file: the rows as a table, with a
``<column>_name`` beside every column of ISO3 country codes (labels as well as codes), and the answer's ``meta``
(source, vintage, flags, licence) on the XLSX notes sheet. The XLSX file is written with fixed timestamps (in the
document properties and in the zip entries), so that a release rebuilt from the same inputs is byte-identical.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from observatory.errors import BadInput
from observatory.reference.geography import UnknownCountry, place

LICENCE = "CC-BY-4.0"
_FIXED = datetime(2000, 1, 1)
_COUNTRY_COLUMNS = ("country", "country_iso3", "iso3", "REF_AREA")


@dataclass(frozen=True, slots=True)
class Download:
    media_type: str
    extension: str


DOWNLOADS = {
    "json": Download("application/json", ".json"),
    "csv": Download("text/csv; charset=utf-8", ".csv"),
    "parquet": Download("application/vnd.apache.parquet", ".parquet"),
    "xlsx": Download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


class NotATable(BadInput):
    code = "not-a-table"
    status = 406


def download(document: Any, wanted: str, *, name: str) -> tuple[bytes, str]:
    """The API answer ``document`` as a ``wanted`` file (a key of ``DOWNLOADS``)."""
    rows = document.get("data") if isinstance(document, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise NotATable(
            f"this answer is not a table of rows, so it has no {wanted} form; ask for JSON",
            [{"parameter": "format", "value": wanted}],
        )
    table = labelled(rows_table(rows))
    meta = document.get("meta") if isinstance(document.get("meta"), dict) else {}
    if wanted == "csv":
        return table_csv(table), DOWNLOADS[wanted].media_type
    if wanted == "parquet":
        return table_parquet(table), DOWNLOADS[wanted].media_type
    return table_xlsx(table, notes(meta, title=name)), DOWNLOADS[wanted].media_type


def rows_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows as a table; nested values (lists, objects) become JSON text."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    flat = [{name: _flat(row.get(name)) for name in names} for row in rows]
    if not flat:
        return pa.table({name: pa.array([], pa.string()) for name in names})
    return pa.Table.from_pylist(flat)


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict | list) else value


def labelled(table: pa.Table) -> pa.Table:
    """``table`` with a ``<column>_name`` beside each column of ISO3 codes."""
    for column in _COUNTRY_COLUMNS:
        if column in table.column_names and f"{column}_name" not in table.column_names:
            values = table[column].to_pylist()
            if values and all(isinstance(value, str) and len(value) == 3 for value in values if value is not None):
                position = table.column_names.index(column) + 1
                table = table.add_column(position, f"{column}_name", pa.array([_name(v) for v in values], pa.string()))
    return table


def _name(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return place(code).name
    except UnknownCountry:
        return None


def table_csv(table: pa.Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in zip(*(table[name].to_pylist() for name in table.column_names), strict=True):
        writer.writerow(["" if value is None else _cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def table_parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def notes(meta: Mapping[str, Any], *, title: str) -> list[tuple[str, str]]:
    """The notes sheet's rows: what the data are, where from, which vintage, the flags and the licence."""
    found = [("title", title)]
    found += [(str(name), _flat(value) if value is not None else "") for name, value in meta.items()]
    found.append(
        (
            "flags",
            "OBS_STATUS (SDMX CL_OBS_STATUS): A value (a zero is A with 0), O missing, "
            "L not collected, Q confidential, M not applicable",
        )
    )
    found.append(("licence", LICENCE))
    return [(name, str(value)) for name, value in found]


def table_xlsx(table: pa.Table, note_rows: Sequence[tuple[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(table.column_names)
    for row in zip(*(table[name].to_pylist() for name in table.column_names), strict=True):
        sheet.append([_xlsx_cell(value) for value in row])
    notes_sheet = workbook.create_sheet("notes")
    for name, value in note_rows:
        notes_sheet.append([name, value])
    workbook.properties.created = workbook.properties.modified = _FIXED
    raw = io.BytesIO()
    workbook.save(raw)
    return _fixed_zip(raw.getvalue())


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _number(value):
        return "'" + value  # never a formula (CSV/formula injection)
    return value


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _fixed_zip(content: bytes) -> bytes:
    """The zip ``content`` rewritten with every entry dated 1980-01-01, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            target.writestr(info, data)
    return out.getvalue()
