"""Rows that repeat: identical in every field (``duplicate-row``), or the same key with other values
(``duplicate-key``). Country and unit fields compare by code, so "Türkiye" and "Turkey" are one key."""

from collections.abc import Iterator, Sequence

from observatory.reporting.declaration import Declaration, Severity
from observatory.reporting.readers.records import Position
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.values import value_json

Key = tuple[object, ...]


def check_duplicates(declaration: Declaration, records: Sequence[Checked]) -> Iterator[Problem]:
    every = tuple(field.id for field in declaration.all_fields())
    key = declaration.uniqueness.key if declaration.uniqueness else ()
    exact = declaration.uniqueness.duplicates if declaration.uniqueness else Severity.WARNING
    conflict = declaration.uniqueness.severity if declaration.uniqueness else Severity.ERROR
    first_row: dict[Key, Checked] = {}
    first_key: dict[Key, Checked] = {}
    for record in records:
        whole = _key(record, every)
        earlier = first_row.setdefault(whole, record)
        if earlier is not record:
            yield _problem("duplicate-row", record, earlier, "repeats exactly", exact)
            continue
        if not key:
            continue
        earlier = first_key.setdefault(_key(record, key), record)
        if earlier is not record:
            names = ", ".join(declaration.field(name).title for name in key)
            yield _problem(
                "duplicate-key", record, earlier, f"has the same {names} as, but other values than,", conflict
            )


def _key(record: Checked, fields: Sequence[str]) -> Key:
    return tuple(record.codes.get(name) or _comparable(record, name) for name in fields)


def _comparable(record: Checked, name: str) -> object:
    value = record.values.get(name)
    if value is None:
        return ("invalid", repr(record.record.cells.get(name)))
    shown = value_json(value)
    text = shown.get("value")
    return (shown["state"], " ".join(text.split()).casefold() if isinstance(text, str) else text)


def _problem(code: str, record: Checked, earlier: Checked, what: str, severity: Severity) -> Problem:
    place = (
        f"row {earlier.row}"
        if earlier.record.sheet == record.record.sheet
        else f"{earlier.record.sheet!r} row {earlier.row}"
    )
    position = Position(record.record.sheet, record.row, None, "")
    message = f"this row {what} {place}. Remove one, or correct the values that differ."
    return problem(code, position, None, message, severity=severity)
