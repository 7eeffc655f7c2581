"""Figure ids read back to themselves, and every explanation recomputes its figure's value from the rows it lists."""

import math
import random

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.analytics.figures import PREVALENCE_KINDS, capture_recapture, multiplier
from observatory.errors import BadInput
from observatory.stats.aggregation import aggregate_prevalence
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.provenance import NATIONAL_SCHEMA, FigureId, Identified, explain, recompute

NAMES = st.text(min_size=1, max_size=30)
REGIONS = {"East": "Africa", "West": "Africa", "North": "Americas", "South": "Americas", "Pacific": "Oceania"}


@given(group=NAMES, area=st.sampled_from(["region", "subregion", "country"]), value=NAMES, year=st.integers(1900, 2100))
def test_an_id_reads_back_to_itself_whatever_the_names_hold(group: str, area: str, value: str, year: int) -> None:
    figure_id = FigureId("seizures.total", (("drug_group", group), (area, value)), (year, year))
    assert FigureId.parse(str(figure_id)) == figure_id
    assert str(figure_id).count("/") == 2


def test_an_id_is_the_same_whatever_the_order_of_its_selectors() -> None:
    one = FigureId(
        "seizures.cagr", (("region", "Near and Middle East/South-West Asia"), ("drug_group", "Opioids")), (2019, 2023)
    )
    other = FigureId.parse("seizures.cagr/region=Near and Middle East%2FSouth-West Asia,drug_group=Opioids/2019-2023")
    assert one == other
    assert str(one) == "seizures.cagr/drug_group=Opioids,region=Near and Middle East%2FSouth-West Asia/2019-2023"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("nonsense/x=1", "unsupported figure kind 'nonsense'"),
        ("seizures.total/drug_group=Opioids", "needs a period of the form year"),
        ("seizures.total/drug_group=Opioids/2019-2023", "needs a period of the form year"),
        ("seizures.cagr/drug_group=Opioids/2023", "needs a period of the form span"),
        ("seizures.cagr/drug_group=Opioids/2023-2019", "needs a period of the form span"),
        ("seizures.total/region=Africa/2023", "needs ['drug_group']"),
        ("seizures.total/drug_group=Opioids,colour=red/2023", "got ['colour', 'drug_group']"),
        ("seizures.total/drug_group/2023", "selectors must read name=value"),
        ("seizures.total/drug_group=Opioids/20x3", "the period must be a year or start-end"),
    ],
)
def test_a_malformed_id_is_refused_naming_the_problem(text: str, named: str) -> None:
    with pytest.raises(BadInput) as raised:
        FigureId.parse(text)
    assert named in raised.value.message


@settings(max_examples=60, deadline=None)
@given(
    n1=st.integers(1, 10**6),
    n2=st.integers(1, 10**6),
    share=st.floats(0.0001, 1.0),
    interval=st.sampled_from(["suggested", "normal", "binomial", "poisson"]),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_capture_recapture_recomputes_from_its_id_alone(
    n1: int, n2: int, share: float, interval: str, confidence: float
) -> None:
    m = max(1, int(share * min(n1, n2)))
    for item in capture_recapture(n1, n2, m, interval=interval, confidence=confidence):
        again = FigureId.parse(str(item.id))
        explanation = explain(item, [dict(again.selectors)])
        assert explanation.matches
        assert explanation.recomputed.value == item.figure.value


@settings(max_examples=60, deadline=None)
@given(
    benchmark=st.floats(0, 1e9),
    spread=st.floats(0, 0.5),
    proportion=st.floats(0.001, 1.0),
)
def test_the_multiplier_recomputes_from_its_id_alone(benchmark: float, spread: float, proportion: float) -> None:
    low, high = proportion * (1 - spread), min(1.0, proportion * (1 + spread))
    item = multiplier(benchmark, proportion, proportion_low=low, proportion_high=high)
    explanation = explain(item, [dict(FigureId.parse(str(item.id)).selectors)])
    assert explanation.matches
    assert (explanation.recomputed.low, explanation.recomputed.high) == (item.figure.low, item.figure.high)


@st.composite
def national_tables(draw: st.DrawFn) -> list[dict[str, object]]:
    rows = []
    for number in range(draw(st.integers(1, 8))):
        subregion = draw(st.sampled_from(sorted(REGIONS)))
        row: dict[str, object] = {"country": f"C{number}", "subregion": subregion, "region": REGIONS[subregion]}
        row["population"] = draw(st.floats(1e3, 1e9))
        if number == 0 or draw(st.booleans()):
            best = draw(st.floats(0, 50))
            row |= {"best": best, "source": f"prevalence/submission-{number}", "vintage": "1"}
            if draw(st.booleans()):
                row |= {"low": best * draw(st.floats(0, 1)), "high": best + draw(st.floats(0, 50))}
        rows.append(row)
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=national_tables())
def test_every_prevalence_figure_recomputes_from_the_national_table_it_lists(rows: list[dict[str, object]]) -> None:
    table = pa.Table.from_pylist(
        [{name: row.get(name) for name in NATIONAL_SCHEMA.names} for row in rows], NATIONAL_SCHEMA
    )
    for figure in aggregate_prevalence(table, scale=PrevalenceScale.PERCENT):
        labels = dict(figure.dimensions)
        selectors = (("drug", "Cocaine"), ("level", labels["level"]), ("area", labels["area"]))
        figure_id = FigureId(f"prevalence.{PREVALENCE_KINDS[labels['measure']]}", selectors, (2023, 2023))
        explanation = explain(Identified(figure_id, figure), rows)
        assert explanation.matches, (figure_id, figure, explanation.recomputed)


@settings(max_examples=60, deadline=None)
@given(kilograms=st.lists(st.one_of(st.none(), st.floats(0, 1e9)), min_size=1, max_size=60), seed=st.integers())
def test_a_seizure_total_is_exactly_the_same_in_any_order_of_its_rows(kilograms: list[float | None], seed: int) -> None:
    if all(value is None for value in kilograms):
        kilograms = [*kilograms, 1.0]
    rows = [{"drug_group": "Opioids", "year": 2023, "kilograms": value, "country_iso3": "GHA"} for value in kilograms]
    shuffled = random.Random(seed).sample(rows, len(rows))
    figure_id = FigureId("seizures.total", (("drug_group", "Opioids"),), (2023, 2023))
    expected = math.fsum(value for value in kilograms if value is not None)
    assert recompute(figure_id, rows).value == recompute(figure_id, shuffled).value == expected


def test_rows_outside_the_selection_do_not_count() -> None:
    rows = [
        {"drug_group": "Opioids", "region": "Africa", "year": 2023, "kilograms": 10.0},
        {"drug_group": "Opioids", "region": "Europe", "year": 2023, "kilograms": 5.0},
        {"drug_group": "Opioids", "region": "Africa", "year": 2022, "kilograms": 8.0},
        {"drug_group": "Cocaine-type", "region": "Africa", "year": 2023, "kilograms": 1.0},
        {"drug_group": "Opioids", "region": "Africa", "year": 2023, "kilograms": None},
    ]
    total = FigureId.parse("seizures.total/drug_group=Opioids,region=Africa/2023")
    change = FigureId.parse("seizures.yoy/drug_group=Opioids,region=Africa/2023")
    growth = FigureId.parse("seizures.cagr/drug_group=Opioids,region=Africa/2022-2023")
    assert (recompute(total, rows).value, recompute(change, rows).value) == (10.0, 0.25)
    assert recompute(growth, rows).value == pytest.approx(0.25)


def test_an_explanation_names_unconfirmed_methods_and_constants() -> None:
    item = multiplier(2000, 0.25)
    steps = explain(item, [dict(item.id.selectors)]).steps
    assert any("UNCONFIRMED" in step for step in steps)
    assert item.figure.value == 8000
