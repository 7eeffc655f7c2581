"""Validation results as data: what a rule fixed and what no rule could fix, each with a stable code.

Codes are part of the interface: tests, dashboards and the data stewards' checklists match on them.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    source: str
    record: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "source": self.source,
            "record": self.record,
            "message": self.message,
            "value": self.value,
        }


@dataclass(slots=True)
class Report:
    fixed: list[Finding] = field(default_factory=list)
    unresolved: list[Finding] = field(default_factory=list)

    def fix(self, code: str, source: str, record: str, message: str, value: str = "") -> None:
        """Record a defect a rule repaired (or a row a rule excluded)."""
        self.fixed.append(Finding(code, source, record, message, value))

    def flag(self, code: str, source: str, record: str, message: str, value: str = "") -> None:
        """Record a defect or conflict no rule could settle; it needs a person."""
        self.unresolved.append(Finding(code, source, record, message, value))

    def extend(self, other: "Report") -> None:
        self.fixed.extend(other.fixed)
        self.unresolved.extend(other.unresolved)

    def fixed_counts(self) -> Counter[str]:
        return Counter(finding.code for finding in self.fixed)

    def unresolved_counts(self) -> Counter[str]:
        return Counter(finding.code for finding in self.unresolved)

    def with_code(self, code: str) -> list[Finding]:
        return [finding for finding in (*self.fixed, *self.unresolved) if finding.code == code]
