"""Whether a record's drug sub-group and drug belong to its drug group, as the WDR annex tables file them.

The check runs after the vocabularies, on the names they store (table 7.1's spellings), once per distinct pair of
group and sub-group or drug. It warns and does not refuse: the tables show what countries reported, not a closed
list, and a country may file a drug where no table has it yet.
"""

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from observatory.reference.drug_names import Level
from observatory.reference.seizure_drug_names import groups_of
from observatory.reporting.declaration import Field
from observatory.reporting.validation.checked_batch import CheckedBatch
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.typed_columns import State
from observatory.reporting.validation.vocabularies import DRUG_LEVELS

CODES = {Level.SUBGROUP: "subgroup-outside-group", Level.DRUG: "drug-outside-group"}
#: Up to this many pairs of distinct cells, the pairs that occur are found by marking a table, not by sorting.
MAX_TABLE = 16_000_000


def check_drug_hierarchy(fields: tuple[Field, ...], checked: CheckedBatch) -> Iterator[tuple[int, Problem]]:
    """(record index, problem) for each record whose sub-group or drug the tables never file under its group."""
    by_level: dict[Level, Field] = {}
    for field in fields:
        if field.vocabulary in DRUG_LEVELS:
            by_level.setdefault(DRUG_LEVELS[field.vocabulary], field)
    group = by_level.get(Level.GROUP)
    if group is None:
        return
    for level in (Level.SUBGROUP, Level.DRUG):
        member = by_level.get(level)
        if member is not None:
            yield from _outside(checked, group, member, level)


def _outside(checked: CheckedBatch, group: Field, member: Field, level: Level) -> Iterator[tuple[int, Problem]]:
    groups, names = checked.codes.get(group.id), checked.codes.get(member.id)
    if groups is None or names is None:
        return
    # Each distinct cell has one code (drug names depend on no year), so a pair of entries stands for a pair of
    # names: each pair that occurs is checked once.
    first, second = checked.columns[group.id], checked.columns[member.id]
    rows = np.flatnonzero(_named(checked, group) & _named(checked, member))
    if not len(rows):
        return
    width = len(second.results)
    pairs = first.entry[rows] * width + second.entry[rows]
    group_of, name_of = _entry_codes(first.entry, groups, rows), _entry_codes(second.entry, names, rows)
    messages: dict[int, str] = {}
    for pair in _distinct(pairs, len(first.results) * width).tolist():
        message = _message(group, member, level, group_of[pair // width], name_of[pair % width])
        if message:
            messages[pair] = message
    if not messages:
        return
    batch = checked.batch
    flagged = np.isin(pairs, np.fromiter(messages, dtype=np.int64, count=len(messages)))
    for row, pair in zip(rows[flagged].tolist(), pairs[flagged].tolist(), strict=True):
        yield row, problem(CODES[level], batch.position(member.id, row), batch.cell(member.id, row), messages[pair])


def _distinct(pairs: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
    """The distinct values of ``pairs`` (all below ``size``): marked in a table when it is small, else sorted."""
    if size > MAX_TABLE:
        return np.unique(pairs)
    occurring = np.zeros(size, dtype=bool)
    occurring[pairs] = True
    return np.flatnonzero(occurring)


def _named(checked: CheckedBatch, field: Field) -> npt.NDArray[np.bool_]:
    """The records whose cell of ``field`` is a name the vocabulary knew (and so has a code)."""
    named: npt.NDArray[np.bool_] = checked.kept(field.id) & (checked.columns[field.id].row_states() == State.VALUE)
    return named


def _entry_codes(entry: npt.NDArray[np.int64], codes: npt.NDArray[np.object_], rows: npt.NDArray[np.intp]) -> list[str]:
    by_entry = np.full(int(entry.max(initial=0)) + 2, None, dtype=object)
    by_entry[entry[rows]] = codes[rows]
    return list(by_entry.tolist())


def _message(group: Field, member: Field, level: Level, group_name: str, name: str) -> str:
    """Why ``name`` does not belong to ``group_name``; empty if it does, or if no table names it (an accepted
    spelling outside the hierarchy)."""
    filed = groups_of(name, level)
    if not filed or group_name in filed:
        return ""
    return (
        f"{member.title} {name!r} is not filed under {group.title.lower()} {group_name!r} in any WDR table; "
        f"the tables file it under {'; '.join(sorted(filed))}. Check the group, or confirm the row."
    )
