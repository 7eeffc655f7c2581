"""Values far from the country's own history: a modified z-score beyond the threshold (Iglewicz and Hoaglin,
3.5 by default) and a jump by a large factor from the latest earlier year. Both are warnings.

The history is a table like the template (one mapping of field id → cell per row), typed by the same rules.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from observatory.reporting.declaration import Declaration
from observatory.reporting.declaration import Outliers as OutlierRules
from observatory.reporting.readers.batches import RecordBatch
from observatory.reporting.readers.records import Position, Record
from observatory.reporting.validation.checked_batch import CheckedBatch
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.schema import Schema, check_batch
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.values import Observed, Period, number
from observatory.reporting.workbook import Cell

History = Sequence[Mapping[str, Cell]]
Series = dict[tuple[object, ...], dict[int, float]]
#: Scales the median absolute deviation (and, when it is 0, the mean absolute deviation) to a standard deviation.
MAD_SCALE, MEAN_AD_SCALE = 0.6745, 1.253314


class Outliers:
    """The country's history as series, built once; ``check`` then compares each batch with it."""

    def __init__(self, declaration: Declaration, history: History) -> None:
        self.rules = declaration.outliers
        self.past = _series(declaration, self.rules, history) if self.rules is not None and history else None

    def check(self, checked: CheckedBatch) -> Iterator[Problem]:
        if self.rules is None or self.past is None:
            return
        yield from check_outliers(self.rules, self.past, checked.records())


def check_outliers(rules: OutlierRules, past: Series, records: Iterable[Checked]) -> Iterator[Problem]:
    for record in records:
        key, year = _key(record, rules), _year(record, rules)
        if key is None or year is None:
            continue
        for element in rules.elements:
            value = number(record.values[element]) if element in record.values else None
            earlier = {y: v for y, v in past.get((*key, element), {}).items() if y != year}
            if value is not None and earlier:
                yield from _check(rules, record, element, year, value, earlier)


def _check(
    rules: OutlierRules, record: Checked, element: str, year: int, value: float, earlier: dict[int, float]
) -> Iterator[Problem]:
    position, cell = record.position(element), record.record.cells.get(element)
    if len(earlier) >= rules.min_history:
        score = modified_z(value, list(earlier.values()))
        if abs(score) > rules.modified_z:
            median = statistics.median(earlier.values())
            yield problem(
                "outlier-modified-z",
                position,
                cell,
                f"{value:,.10g} is far from this country's earlier values (median {median:,.10g} over "
                f"{len(earlier)} years; modified z-score {score:.1f}, threshold {rules.modified_z}). "
                "Please confirm it.",
            )
    before = [y for y in earlier if y < year]
    if before:
        latest = max(before)
        yield from _jump(rules, position, cell, value, year, latest, earlier[latest])


def _jump(
    rules: OutlierRules, position: Position | None, cell: Cell, value: float, year: int, latest: int, previous: float
) -> Iterator[Problem]:
    if previous <= 0 or value <= 0:
        return
    factor = value / previous
    if factor >= rules.jump_factor or factor <= 1 / rules.jump_factor:
        change = f"{factor:,.1f} times" if factor > 1 else f"1/{1 / factor:,.1f} of"
        yield problem(
            "year-on-year-jump",
            position,
            cell,
            f"{value:,.10g} in {year} is {change} the {previous:,.10g} reported for {latest}. Please confirm it.",
        )


def modified_z(value: float, history: Sequence[float]) -> float:
    """How far ``value`` lies from the median of ``history``, in robust standard deviations."""
    median = statistics.median(history)
    deviations = [abs(x - median) for x in history]
    mad = statistics.median(deviations)
    if mad > 0:
        return MAD_SCALE * (value - median) / mad
    mean_ad = statistics.fmean(deviations)
    if mean_ad > 0:
        return (value - median) / (MEAN_AD_SCALE * mean_ad)
    return 0.0 if value == median else float("inf") if value > median else float("-inf")


def _series(declaration: Declaration, rules: OutlierRules, history: History) -> Series:
    found: Series = defaultdict(dict)
    records = [
        Record("history", number_, dict(row), {name: Position("history", number_, None, name) for name in row})
        for number_, row in enumerate(history, start=1)
    ]
    checked_batch, _ = check_batch(Schema.of(declaration), RecordBatch(records))
    for checked in checked_batch.records():
        key, year = _key(checked, rules), _year(checked, rules)
        if key is None or year is None:
            continue
        for element in rules.elements:
            value = number(checked.values[element]) if element in checked.values else None
            if value is not None:
                found[(*key, element)][year] = value
    return found


def _key(record: Checked, rules: OutlierRules) -> tuple[object, ...] | None:
    key: list[object] = []
    for name in rules.series:
        value = record.values.get(name)
        if value is None:
            return None
        code = record.codes.get(name)
        key.append(
            code or (" ".join(str(value.value).split()).casefold() if isinstance(value, Observed) else value.state)
        )
    return tuple(key)


def _year(record: Checked, rules: OutlierRules) -> int | None:
    value = record.values.get(rules.year)
    return value.value.start if isinstance(value, Observed) and isinstance(value.value, Period) else None
