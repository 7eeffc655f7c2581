"""Cross-field rules from the declaration, DHIS2-style: a rule whose operands are missing is skipped.

Each rule is evaluated over whole columns; a problem is written for each record and field the rule finds broken.
"""

from collections.abc import Iterator, Mapping

import numpy as np
import numpy.typing as npt

from observatory.reporting.declaration import Declaration, Rule, RuleKind
from observatory.reporting.readers.base import is_blank
from observatory.reporting.validation.checked_batch import CheckedBatch, Mask, given
from observatory.reporting.validation.problems import Problem, problem

Numbers = npt.NDArray[np.float64]


def check_rules(declaration: Declaration, checked: CheckedBatch) -> Iterator[Problem]:
    links = checked.batch.linked()
    for rule in declaration.rules:
        broken = _broken(rule, checked)
        if not broken:
            continue
        applies = _applies(rule, checked)
        rows = np.flatnonzero(applies & np.logical_or.reduce(list(broken.values())))
        for index in rows.tolist():
            for name in rule.fields:
                if name in broken and broken[name][index]:
                    yield _problem(declaration, rule, checked, name, index, links.get(index, {}))


def _applies(rule: Rule, checked: CheckedBatch) -> Mask:
    applies = np.ones(checked.batch.size, dtype=bool)
    for name, expected in rule.when.items():
        column = checked.columns[name]
        wanted = " ".join(expected.split()).casefold()
        matches = np.array(
            [
                not is_blank(cell) and " ".join(str(cell).split()).casefold() == wanted
                for cell in (column.cell(entry) for entry in range(len(column.results)))
            ],
            dtype=np.bool_,
        )
        applies &= matches[column.entry]
    return applies


def _broken(rule: Rule, checked: CheckedBatch) -> dict[str, Mask]:
    """For each field the rule blames, the records where it does."""
    numbers = [checked.numbers(name) for name in rule.fields]
    present = [~np.isnan(values) for values in numbers]
    match rule.kind:
        case RuleKind.ORDER:
            blamed = rule.fields[len(rule.fields) // 2] if len(rule.fields) > 2 else rule.fields[1]
            return {blamed: _out_of_order(rule, numbers, present)}
        case RuleKind.TOTAL_WITHIN_PARTS:
            return {rule.fields[0]: _total_outside_parts(rule, numbers, present)}
        case RuleKind.PARTS_WITHIN_TOTAL:
            return {rule.fields[0]: _parts_exceed_total(rule, numbers, present)}
        case RuleKind.COMPULSORY_PAIR:
            return _first_missing(rule, checked)
        case RuleKind.EXCLUSIVE_PAIR:
            return _second_reported(rule, checked)
        case RuleKind.RANGE:
            pairs = zip(rule.fields, numbers, present, strict=True)
            return {name: has & ~_within(rule, values) for name, values, has in pairs}
        case RuleKind.SAME_PLACE:
            return {rule.fields[-1]: _places_differ(rule, checked)}
    return {}


def _out_of_order(rule: Rule, numbers: list[Numbers], present: list[Mask]) -> Mask:
    """Whether some value given exceeds the next value given, beyond the tolerance."""
    broken = np.zeros(len(numbers[0]), dtype=bool)
    last = np.full(len(numbers[0]), np.nan)
    for values, has in zip(numbers, present, strict=True):
        with np.errstate(invalid="ignore"):
            slack = rule.tolerance * np.maximum(np.abs(last), np.abs(values))
            broken |= has & ~np.isnan(last) & (last - values > slack)
        last = np.where(has, values, last)
    return broken


def _total_outside_parts(rule: Rule, numbers: list[Numbers], present: list[Mask]) -> Mask:
    total, parts = numbers[0], np.stack(numbers[1:])
    every = np.logical_and.reduce(present)
    with np.errstate(invalid="ignore"):
        low, high = parts.min(axis=0) * (1 - rule.tolerance), parts.max(axis=0) * (1 + rule.tolerance)
        broken: Mask = every & ~((low <= total) & (total <= high))
    return broken


def _parts_exceed_total(rule: Rule, numbers: list[Numbers], present: list[Mask]) -> Mask:
    parts = np.zeros(len(numbers[0]))
    for values, has in zip(numbers[1:], present[1:], strict=True):
        parts = parts + np.where(has, values, 0.0)
    some = np.logical_or.reduce(present[1:])
    with np.errstate(invalid="ignore"):
        broken: Mask = present[0] & some & (parts > numbers[0] * (1 + rule.tolerance))
    return broken


def _first_missing(rule: Rule, checked: CheckedBatch) -> dict[str, Mask]:
    reported = [checked.reported(name) for name in rule.fields]
    some = np.logical_or.reduce(reported)
    earlier = np.zeros(checked.batch.size, dtype=bool)
    blamed: dict[str, Mask] = {}
    for name, has in zip(rule.fields, reported, strict=True):
        blamed[name] = some & ~has & ~earlier
        earlier |= ~has
    return blamed


def _second_reported(rule: Rule, checked: CheckedBatch) -> dict[str, Mask]:
    count = np.zeros(checked.batch.size, dtype=np.int64)
    blamed: dict[str, Mask] = {}
    for name in rule.fields:
        has = checked.reported(name)
        count += has
        blamed[name] = has & (count == 2)
    return blamed


def _within(rule: Rule, values: Numbers) -> Mask:
    within = np.ones(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.min is not None:
            within &= values >= rule.min
        if rule.max is not None:
            within &= values <= rule.max
    return within


def _places_differ(rule: Rule, checked: CheckedBatch) -> Mask:
    codes = [checked.codes.get(name, np.full(checked.batch.size, None, dtype=object)) for name in rule.fields]
    every = np.logical_and.reduce([given(code) for code in codes])
    differ = np.logical_or.reduce([codes[0] != code for code in codes[1:]])
    broken: Mask = every & differ
    return broken


def _problem(
    declaration: Declaration, rule: Rule, checked: CheckedBatch, name: str, index: int, links: Mapping[str, str]
) -> Problem:
    shown = "; ".join(f"{declaration.field(f).title} {_shown(checked, f, index)}" for f in rule.fields)
    batch = checked.batch
    linked = [
        f"{position.reference} is a formula copying {formula}, and its stored value may be out of date"
        for f, formula in links.items()
        if f in rule.fields and (position := batch.position(f, index)) is not None
    ]
    message = " ".join([f"{rule.message} ({shown}).", *(f"Note: {note}." for note in linked)])
    return problem(rule.code, batch.position(name, index), batch.cell(name, index), message, severity=rule.severity)


def _shown(checked: CheckedBatch, name: str, index: int) -> str:
    value = checked.numbers(name)[index]
    if np.isnan(value):
        code = checked.code(name, index)
        return code or "not given"
    return f"{value:,.10g}"
