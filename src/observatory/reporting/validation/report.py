"""The validation report: ``{"ok", "errors", "warnings", "rows"}``; validation never raises for a data problem."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from observatory.reporting.declaration import Severity
from observatory.reporting.validation.problems import Problem


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
        return {
            "ok": self.ok,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
            "rows": self.rows,
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
