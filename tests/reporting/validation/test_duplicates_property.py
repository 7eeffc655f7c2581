"""Repeated rows found by hashing agree with a plain reference, whatever the hashes: rows are compared exactly once
their hashes collide, so a hash space of a few values (``hash_bits``) must give the same problems as 64 bits."""

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.reporting.declaration import Declaration, declaration
from observatory.reporting.validation.duplicates import Duplicates, _colliding, _shown
from observatory.reporting.validation.run import check_file
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.values import Observed, Zero, number

HEADER = "country,crop,year,best,low,high,notes"
COLUMNS = {
    "country": ["Myanmar", "Afghanistan", "Türkiye", "Turkey", "Atlantis", ""],
    "crop": ["opium poppy", "Opium  Poppy", "coca bush", "tulips"],
    "year": ["2022", "2023", "", "20x"],
    "best": ["100", "100.0", "0", "-0", "", "-5", "abc"],
    "low": ["90", "90.00", "", "n/a"],
    "high": ["110", ""],
    "notes": ["", "Survey", "survey ", "SURVEY", "other"],
}
rows = st.lists(st.tuples(*(st.sampled_from(values) for values in COLUMNS.values())), min_size=1, max_size=40)


def _comparable(record: Checked, name: str) -> object:
    """A field of a record as the reference compares it: its code, its number, its shown value, or its cell."""
    code = record.codes.get(name)
    if code:
        return ("code", code)
    value = record.values.get(name)
    if value is None:
        return ("invalid", repr(record.record.cells.get(name)))
    amount = number(value) if isinstance(value, Observed | Zero) else None
    return ("number", float(amount) + 0.0) if amount is not None and amount == amount else _shown(value)


def reference(plan: Declaration, records: Sequence[Checked]) -> list[tuple[str, int, int]]:
    """(code, row, earlier row) of each repeat, comparing every record with every earlier one in file order."""
    names = [f.id for f in plan.all_fields()]
    key = [names.index(name) for name in plan.uniqueness.key] if plan.uniqueness else []
    first_row: dict[tuple[object, ...], int] = {}
    first_key: dict[tuple[object, ...], int] = {}
    found = []
    for record in records:
        every = tuple(_comparable(record, name) for name in names)
        row = record.record.row
        if every in first_row:
            found.append(("duplicate-row", row, first_row[every]))
            continue
        first_row[every] = row
        if key:
            some = tuple(every[i] for i in key)
            if some in first_key:
                found.append(("duplicate-key", row, first_key[some]))
            else:
                first_key[some] = row
    return found


def csv(lines: Sequence[tuple[str, ...]]) -> bytes:
    return "\n".join([HEADER, *(",".join(line) for line in lines), ""]).encode()


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=3), st.sampled_from([64, 3, 1, 0]))
def test_repeats_match_a_plain_reference_whatever_the_hash_space(files: list[list[tuple[str, ...]]], bits: int) -> None:
    """Several batches (one per file, rows numbered anew in each, as sheets would be), hashes cut to ``bits``."""
    plan = declaration("cultivation")
    duplicates = Duplicates(plan, hash_bits=bits)
    records: list[Checked] = []
    for lines in files:
        outcome = check_file(csv(lines), "c.csv", plan)
        for checked in outcome.checked():
            duplicates.add(checked)
            records.extend(checked.records())
    found = [
        (p.code, p.row, int(re.findall(r"row (\d+)\.", p.message)[-1]))
        for p in duplicates.problems()
        if p.row is not None
    ]
    assert found == reference(plan, records)


def test_the_check_file_report_lists_the_reference_repeats() -> None:
    lines = [
        ("Myanmar", "opium poppy", "2023", "100", "90", "110", "Survey"),
        ("Myanmar", "opium  poppy", "2023", "100.0", "90.00", "110", "survey "),
        ("Türkiye", "opium poppy", "2023", "5", "", "", ""),
        ("Turkey", "opium poppy", "2023", "6", "", "", ""),
    ]
    plan = declaration("cultivation")
    outcome = check_file(csv(lines), "c.csv", plan)
    found = [(p.code, p.row) for p in outcome.report.problems if p.code.startswith("duplicate")]
    assert found == [("duplicate-row", 3), ("duplicate-key", 5)]
    assert [(code, row) for code, row, _ in reference(plan, outcome.records)] == found


@given(st.lists(st.integers(0, 7), max_size=300), st.booleans())
def test_colliding_hashes_are_those_another_record_shares(small: list[int], spread: bool) -> None:
    """Counting into buckets finds the records whose hash repeats, as counting every hash does."""
    hashed = np.array(small, dtype=np.uint64)
    if spread:  # the same collisions, high bits set: buckets of the low bits see other collisions than the hashes
        hashed = hashed * np.uint64(0x9E37_79B9_7F4A_7C15)
    counts = Counter(hashed.tolist())
    assert _colliding(hashed).tolist() == [counts[value] > 1 for value in hashed.tolist()]


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(5_000, 40_000), st.integers(0, 50))
def test_colliding_among_many_records(seed: int, size: int, repeats: int) -> None:
    """Beyond the records sorted directly: random 64-bit hashes with a few repeated ones planted."""
    rng = np.random.default_rng(seed)
    hashed = rng.integers(0, 2**63, size, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, size, dtype=np.uint64)
    hashed[rng.integers(0, size, repeats)] = hashed[rng.integers(0, size, repeats)]
    counts = Counter(hashed.tolist())
    assert _colliding(hashed).tolist() == [counts[value] > 1 for value in hashed.tolist()]
