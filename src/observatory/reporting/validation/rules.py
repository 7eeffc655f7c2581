"""Cross-field rules from the declaration, DHIS2-style: a rule whose operands are missing is skipped."""

from collections.abc import Iterator, Sequence
from itertools import pairwise

from observatory.reporting.declaration import Declaration, Rule, RuleKind
from observatory.reporting.readers.base import is_blank
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.values import is_reported, number


def check_rules(declaration: Declaration, records: Sequence[Checked]) -> Iterator[Problem]:
    for rule in declaration.rules:
        for record in records:
            if _applies(rule, record):
                yield from _check(declaration, rule, record)


def _applies(rule: Rule, record: Checked) -> bool:
    for name, expected in rule.when.items():
        cell = record.record.cells.get(name)
        if is_blank(cell) or " ".join(str(cell).split()).casefold() != " ".join(expected.split()).casefold():
            return False
    return True


def _check(declaration: Declaration, rule: Rule, record: Checked) -> Iterator[Problem]:
    numbers = {name: _number(record, name) for name in rule.fields}
    present = [name for name in rule.fields if numbers[name] is not None]
    broken: list[str] = []
    match rule.kind:
        case RuleKind.ORDER:
            broken = _out_of_order(rule, [(name, numbers[name] or 0.0) for name in present])
        case RuleKind.TOTAL_WITHIN_PARTS if len(present) == len(rule.fields):
            broken = _total_outside_parts(rule, [numbers[name] or 0.0 for name in rule.fields])
        case RuleKind.PARTS_WITHIN_TOTAL if rule.fields[0] in present and len(present) > 1:
            parts = sum(numbers[name] or 0.0 for name in present[1:])
            broken = [rule.fields[0]] if parts > (numbers[rule.fields[0]] or 0.0) * (1 + rule.tolerance) else []
        case RuleKind.COMPULSORY_PAIR:
            given = [name for name in rule.fields if _reported(record, name)]
            broken = [name for name in rule.fields if name not in given][:1] if given else []
        case RuleKind.EXCLUSIVE_PAIR:
            broken = [name for name in rule.fields if _reported(record, name)][1:2]
        case RuleKind.RANGE:
            broken = [name for name in present if not _within(rule, numbers[name] or 0.0)]
        case RuleKind.SAME_PLACE:
            codes = {record.codes.get(name) for name in rule.fields}
            broken = [rule.fields[-1]] if None not in codes and len(codes) > 1 else []
    for name in dict.fromkeys(broken):
        yield _problem(declaration, rule, record, name)


def _out_of_order(rule: Rule, values: list[tuple[str, float]]) -> list[str]:
    for (_, low), (high_name, high) in pairwise(values):
        if low - high > rule.tolerance * max(abs(low), abs(high)):
            return [rule.fields[len(rule.fields) // 2] if len(rule.fields) > 2 else high_name]
    return []


def _total_outside_parts(rule: Rule, values: list[float]) -> list[str]:
    total, parts = values[0], values[1:]
    low, high = min(parts) * (1 - rule.tolerance), max(parts) * (1 + rule.tolerance)
    return [] if low <= total <= high else [rule.fields[0]]


def _within(rule: Rule, value: float) -> bool:
    return (rule.min is None or value >= rule.min) and (rule.max is None or value <= rule.max)


def _problem(declaration: Declaration, rule: Rule, record: Checked, name: str) -> Problem:
    shown = "; ".join(f"{declaration.field(f).title} {_shown(record, f)}" for f in rule.fields)
    linked = [
        f"{position.reference} is a formula copying {formula}, and its stored value may be out of date"
        for f, formula in record.record.linked.items()
        if f in rule.fields and (position := record.position(f)) is not None
    ]
    message = " ".join([f"{rule.message} ({shown}).", *(f"Note: {note}." for note in linked)])
    return problem(rule.code, record.position(name), record.record.cells.get(name), message, severity=rule.severity)


def _number(record: Checked, name: str) -> float | None:
    value = record.values.get(name)
    return number(value) if value is not None else None


def _reported(record: Checked, name: str) -> bool:
    value = record.values.get(name)
    return value is not None and is_reported(value)


def _shown(record: Checked, name: str) -> str:
    value = _number(record, name)
    if value is None:
        return "not given" if not record.codes.get(name) else record.codes[name]
    return f"{value:,.10g}"
