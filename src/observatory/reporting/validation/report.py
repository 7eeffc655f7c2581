"""The validation report: ``{"ok", "errors", "warnings", "rows", "summary"}``; validation never raises for a data
problem.

Every problem is kept; ``summary`` (``summarize``) reads them as a person fixes a file: one entry per code, errors
first, with how many there are, the first rows and distinct values, the columns, the fix to make, and the problems
grouped by column and value. It works on the JSON problems, so a report stored before summaries existed is
summarised alike.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from observatory.reporting.declaration import Severity
from observatory.reporting.validation.problems import Problem, fix_for

#: How many rows, values and column-and-value groups a summary entry lists.
FIRST = 5
GROUPS = 10


@dataclass(frozen=True, slots=True)
class Report:
    problems: tuple[Problem, ...]
    rows: int

    @classmethod
    def of(cls, problems: Iterable[Problem], rows: int) -> "Report":
        ordered = sorted(problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or "", p.code))
        return cls(tuple(ordered), rows)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        errors = [p.to_json() for p in self.errors]
        warnings = [p.to_json() for p in self.warnings]
        return {
            "ok": self.ok,
            "errors": errors,
            "warnings": warnings,
            "rows": self.rows,
            "summary": summarize([*errors, *warnings]),
        }

    def flatten(self, *keys: str) -> list[list[Any]]:
        """Each problem as a list of the given JSON keys, for short assertions: ``[[12, "unknown-country"]]``."""
        return [[p.to_json()[key] for key in keys] for p in self.problems]

    def counts(self) -> dict[str, int]:
        """How many problems of each code."""
        found: dict[str, int] = {}
        for p in self.problems:
            found[p.code] = found.get(p.code, 0) + 1
        return found


def summarize(problems: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per code of the JSON ``problems``: errors first, then the most frequent.

    Each entry: ``code``, ``severity``, ``count``, ``fix``, ``example`` (the first message), ``columns``, ``rows``
    and ``values`` (the first ``FIRST`` distinct), ``details`` (what the problems say once, e.g. the columns
    found), and ``groups``: the ``GROUPS`` most frequent column-and-value pairs with their count and first rows.
    """
    entries: dict[str, _Entry] = {}
    for found in problems:
        code = str(found["code"])
        entry = entries.get(code)
        if entry is None:
            entry = entries[code] = _Entry(code, str(found["severity"]), str(found.get("message", "")))
        entry.add(found)
    ordered = sorted(entries.values(), key=lambda e: (e.severity != Severity.ERROR.value, -e.count, e.code))
    return [entry.to_json() for entry in ordered]


def report_summary(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The summary of a JSON report: its own, or made from its problems when it was stored without one."""
    stored = report.get("summary")
    if isinstance(stored, list):
        return stored
    return summarize([*report.get("errors", []), *report.get("warnings", [])])


class _Entry:
    """The problems of one code, as they come."""

    def __init__(self, code: str, severity: str, example: str) -> None:
        self.code, self.severity, self.example = code, severity, example
        self.count = 0
        self.columns: dict[str, None] = {}
        self.rows: dict[int, None] = {}
        self.values: dict[tuple[str, str], object] = {}
        self.details: dict[str, object] = {}
        self.groups: dict[tuple[str, tuple[str, str]], _Group] = {}

    def add(self, found: Mapping[str, Any]) -> None:
        self.count += 1
        column = found.get("column") or ""
        row, value = found.get("row"), found.get("value")
        if column:
            self.columns.setdefault(column)
        if isinstance(row, int) and len(self.rows) < FIRST:
            self.rows.setdefault(row)
        key = _value_key(value)
        if value is not None and len(self.values) < FIRST:
            self.values.setdefault(key, value)
        for name, detail in (found.get("details") or {}).items():
            self.details.setdefault(name, detail)
        group = self.groups.get((column, key))
        if group is None:
            group = self.groups[(column, key)] = _Group(column, value, list(found.get("suggestions") or ()))
        group.count += 1
        if isinstance(row, int) and len(group.rows) < FIRST:
            group.rows.append(row)

    def to_json(self) -> dict[str, Any]:
        groups = sorted(self.groups.values(), key=lambda g: -g.count)[:GROUPS]
        return {
            "code": self.code,
            "severity": self.severity,
            "count": self.count,
            "fix": fix_for(self.code),
            "example": self.example,
            "columns": list(self.columns),
            "rows": list(self.rows),
            "values": list(self.values.values()),
            "details": self.details,
            "groups": [group.to_json() for group in groups],
            "more_groups": max(0, len(self.groups) - GROUPS),
        }


@dataclass(slots=True)
class _Group:
    column: str
    value: object
    suggestions: list[str]
    count: int = 0
    rows: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "column": self.column or None,
            "value": self.value,
            "count": self.count,
            "rows": self.rows,
            "suggestions": self.suggestions,
        }


def _value_key(value: object) -> tuple[str, str]:
    """Values compare by type and text, so 1 and "1" stay apart and any JSON value can be a key."""
    return type(value).__name__, str(value)
