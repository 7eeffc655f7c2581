"""Which column of an event file is which field: ``auto`` (only the headers ``intake_columns.toml`` lists) or a
mapping file (YAML) naming columns and recoding values.

A mapping file::

    columns:            # file column: field
      Sample: record
      Tested: date
    values:             # field: {value in the file: value recorded}
      sold_as:
        XTC: MDMA

Columns neither the mapping nor ``auto`` places are reported with the closest field as a suggestion.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from observatory.errors import BadInput
from observatory.ewa.chemistry.data_files import EWA_DATA, read_toml

COLUMNS_FILE = EWA_DATA / "intake_columns.toml"
REQUIRED = ("date", "substance")


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


@cache
def known_headers(path: Path = COLUMNS_FILE) -> dict[str, str]:
    """Header key → field, from ``intake_columns.toml``."""
    return {header_key(header): name for name, headers in read_toml(path).items() for header in headers}


def fields() -> tuple[str, ...]:
    return tuple(dict.fromkeys(known_headers().values()))


@dataclass(frozen=True, slots=True)
class Mapping:
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    unknown: tuple[dict[str, Any], ...] = ()

    def value(self, name: str, row: dict[str, str]) -> str:
        """The field ``name`` of ``row`` (recoded), "" when the file has no such column."""
        column = next((column for column, target in self.columns.items() if target == name), None)
        text = " ".join((row.get(column) or "").split()) if column else ""
        return self.values.get(name, {}).get(text, text)

    def has(self, name: str) -> bool:
        return name in self.columns.values()


def auto_mapping(headers: list[str]) -> Mapping:
    """Each header ``intake_columns.toml`` lists, mapped to its field; the others reported."""
    return _checked(headers, _auto_columns(headers), {})


def _auto_columns(headers: list[str]) -> dict[str, str]:
    known = known_headers()
    columns: dict[str, str] = {}
    for header in headers:
        target = known.get(header_key(header))
        if target is not None and target not in columns.values():
            columns[header] = target
    return columns


def file_mapping(headers: list[str], text: str) -> Mapping:
    """The mapping of a YAML document; ``BadInput`` for a document that is not one, or names unknown fields or
    columns."""
    try:
        content = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise BadInput(f"the mapping is not valid YAML: {error}", [{"parameter": "mapping"}]) from error
    if not isinstance(content, dict) or not isinstance(content.get("columns", {}), dict):
        raise BadInput("the mapping holds 'columns' (file column: field) and 'values'", [{"parameter": "mapping"}])
    columns = {str(key): str(value) for key, value in content.get("columns", {}).items()}
    values = {
        str(key): {str(a): str(b) for a, b in (table or {}).items()} for key, table in content.get("values", {}).items()
    }
    problems = [{"column": c, "reason": f"unknown field {t!r}"} for c, t in columns.items() if t not in fields()]
    problems += [{"column": c, "reason": "not a column of the file"} for c in columns if c not in headers]
    if problems:
        raise BadInput(f"the mapping does not fit the file: {problems[0]['reason']}", problems)
    automatic = {h: t for h, t in _auto_columns(headers).items() if t not in columns.values() and h not in columns}
    return _checked(headers, {**automatic, **columns}, values)


def _checked(headers: list[str], columns: dict[str, str], values: dict[str, dict[str, str]]) -> Mapping:
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        raise BadInput(
            f"no column of the file is the {' or '.join(missing)}: name it in a mapping file",
            [{"field": name, "headers": headers} for name in missing],
        )
    unknown = tuple(
        {"column": header, "suggestions": difflib.get_close_matches(header_key(header), fields(), n=2, cutoff=0.5)}
        for header in headers
        if header not in columns
    )
    return Mapping(columns, values, unknown)
