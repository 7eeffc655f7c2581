"""The headline rule on seizure rows, case by case and as a property: plant material never counts; per country ×
year × what a total covers, the larger of the total and the sum of its components counts and the other does not."""

import json
import math
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.analytics.observations import OBSERVATION_SCHEMA
from observatory.analytics.snapshot import seizure_rows

COCAINE = ("Cocaine-type", "Cocaine")
TOTAL = "Cocaine (total of the above, including if unspecified/undistinguished, but excluding coca leaf and coca bush)"
ATS = "Amphetamine-type stimulants (excluding “ecstasy”)"
ATS_TOTAL = 'Reported total ATS (excluding "ecstasy")'


def observation(
    row: int, group: str, subgroup: str, drug: str, kg: float | None, country: str = "COL"
) -> dict[str, Any]:
    dimensions = {"drug_group": group, "drug_subgroup": subgroup, "drug": drug}
    return {
        "observation_id": row,
        "submission_id": 1,
        "vintage": 1,
        "dataset": "annual-seizures",
        "element": "kilograms",
        "country_iso3": country,
        "year": 2023,
        "value": kg,
        "value_state": "value" if kg is not None else "missing",
        "missing_reason": None if kg is not None else "not-available",
        "unit": "kg",
        "source_row": row,
        "dimensions": json.dumps(dimensions),
        "drug_group": group,
        "drug": drug,
    }


def headline_sum(rows: list[dict[str, Any]]) -> float:
    table = seizure_rows(pa.Table.from_pylist(rows, OBSERVATION_SCHEMA))
    return math.fsum(r["kilograms"] for r in table.to_pylist() if r["headline"] and r["kilograms"] is not None)


CASES = [
    ("total larger than components", [(*COCAINE, TOTAL, 100.0), (*COCAINE, "Cocaine hydrochloride", 60.0)], 100.0),
    ("components larger than total", [(*COCAINE, TOTAL, 50.0), (*COCAINE, "Cocaine hydrochloride", 60.0)], 60.0),
    ("total only", [(*COCAINE, TOTAL, 50.0)], 50.0),
    ("components only", [(*COCAINE, '"Crack" cocaine', 5.0), (*COCAINE, "Cocaine hydrochloride", 6.0)], 11.0),
    (
        "plants never count",
        [("Cocaine-type", "Coca-type", "Coca bush", 1e7), (*COCAINE, "Cocaine hydrochloride", 6.0)],
        6.0,
    ),
    (
        "a sub-group total leaves other sub-groups alone",
        [
            (*COCAINE, TOTAL, 10.0),
            ("Cocaine-type", "Other coca/cocaine-type drugs", "Other coca/cocaine-type drugs", 3.0),
        ],
        13.0,
    ),
    (
        "a group total covers every sub-group",
        [
            (ATS, ATS_TOTAL, "Total amphetamine-type stimulants (ATS)", 100.0),
            (ATS, "Methamphetamine", "Methamphetamine", 30.0),
            (ATS, "Amphetamine", "Amphetamine", 20.0),
        ],
        100.0,
    ),
    ("a missing total leaves the components", [(*COCAINE, TOTAL, None), (*COCAINE, "Cocaine hydrochloride", 6.0)], 6.0),
]


@pytest.mark.parametrize(("rows", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_headline_rule(rows: list[tuple[str, str, str, float | None]], expected: float) -> None:
    assert headline_sum([observation(i, *row) for i, row in enumerate(rows, start=3)]) == pytest.approx(expected)


def test_a_total_further_than_one_percent_from_its_components_is_marked() -> None:
    rows = [observation(3, *COCAINE, TOTAL, 100.0), observation(4, *COCAINE, "Cocaine hydrochloride", 99.5)]
    close = seizure_rows(pa.Table.from_pylist(rows, OBSERVATION_SCHEMA)).to_pylist()
    assert {r["total_check"] for r in close} == {"total-agrees"}
    rows[1] = observation(4, *COCAINE, "Cocaine hydrochloride", 90.0)
    apart = seizure_rows(pa.Table.from_pylist(rows, OBSERVATION_SCHEMA)).to_pylist()
    assert {r["total_check"] for r in apart} == {"total-differs"}


quantities = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(total=quantities, parts=st.lists(quantities, max_size=5), plants=st.lists(quantities, max_size=3))
def test_headline_is_the_larger_side_and_never_more_than_the_plain_sum(
    total: float | None, parts: list[float | None], plants: list[float | None]
) -> None:
    rows = [observation(3, *COCAINE, TOTAL, total)]
    rows += [observation(10 + i, *COCAINE, "Cocaine hydrochloride", kg) for i, kg in enumerate(parts)]
    rows += [observation(20 + i, "Cocaine-type", "Coca-type", "Coca leaf", kg) for i, kg in enumerate(plants)]
    reported = [kg for kg in parts if kg is not None]
    expected = max(total if total is not None else 0.0, math.fsum(reported))
    assert headline_sum(rows) == pytest.approx(expected, rel=1e-12, abs=1e-9)
    plain = math.fsum(kg for kg in (total, *parts, *plants) if kg is not None)
    assert headline_sum(rows) <= plain + 1e-6
