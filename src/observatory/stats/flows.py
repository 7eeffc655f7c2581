"""Trafficking flows from individual seizures: a weighted graph of routes, the top routes of a year, and the
routes that are new or growing since the year before.

A seizure's route is its reported path: departure country, then the transit countries in the order given, then
the destination country; when the destination is not reported, the country of seizure ends the route (the drug
was stopped there, so that is the last place it is known to have reached). Countries missing from the report are
skipped, a country repeated at once counts once, and a path of fewer than two countries is no route (counted in
the notes). A route is either each leg of the path (``Unit.LEG``: departure → first transit, …) or the whole path
(``Unit.ROUTE``). Each route is weighted by the number of seizures and their kilogram-equivalents (seizures whose
quantity could not be converted add to the count but not to the kilograms, and are counted).

Status in the year asked (per drug): ``new`` when absent the year before while the drug has routes that year;
``growing`` when its measure grew by ``growth_threshold`` times or more and it has at least ``minimum_seizures``
seizures; ``continuing`` otherwise; ``no-baseline`` when the drug has no route at all the year before. The
threshold and the minimum are our choices, not a source's, so they are flagged as unconfirmed constants.

Input (``SEIZURE_SCHEMA``): one row per seizure, countries as ISO 3166 alpha-3 codes.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Any, TypeVar

import pyarrow as pa

from observatory.errors import BadInput
from observatory.stats.figure import Constant, Figure, Flag, FlagCode, InputRef, Method
from observatory.stats.inputs import positive

SEIZURE_SCHEMA = pa.schema(
    [
        ("seizure", pa.string()),
        ("submission_id", pa.int64()),
        ("vintage", pa.string()),
        ("year", pa.int32()),
        ("drug", pa.string()),
        ("country", pa.string()),
        ("departure", pa.string()),
        ("transits", pa.list_(pa.string())),
        ("destination", pa.string()),
        ("kilograms", pa.float64()),
        ("factor", pa.string()),
        ("factor_value", pa.float64()),
        ("factor_source", pa.string()),
        ("factor_confirmed", pa.bool_()),
    ]
)
SEPARATOR = " → "
COUNT = Method("flows/seizures", "number of seizures whose reported route includes the route")
KILOGRAMS = Method(
    "flows/kilograms", "Σ kilogram-equivalents of those seizures (bulk weight, reference conversion table)"
)
GROWTH = Method("flows/growth", "measure in the year ÷ measure in the year before")


class Unit(StrEnum):
    LEG = "leg"
    ROUTE = "route"


class Measure(StrEnum):
    SEIZURES = "seizures"
    KILOGRAMS = "kilograms"


@dataclass(frozen=True, slots=True)
class FlowOptions:
    unit: Unit = Unit.LEG
    measure: Measure = Measure.SEIZURES
    growth_threshold: float = 2.0
    minimum_seizures: int = 2
    top: int = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", member(Unit, "unit", self.unit))
        object.__setattr__(self, "measure", member(Measure, "measure", self.measure))
        if positive("growth_threshold", self.growth_threshold) <= 1:
            raise BadInput(
                f"growth_threshold must be > 1 (a growth factor), not {self.growth_threshold}",
                [{"parameter": "growth_threshold", "value": self.growth_threshold, "accepted": "> 1"}],
            )
        for name, number in (("minimum_seizures", self.minimum_seizures), ("top", self.top)):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise BadInput(f"{name} must be a whole number ≥ 1, not {number!r}", [{"parameter": name}])

    @classmethod
    def of(
        cls, unit: str, measure: str, growth_threshold: float = 2.0, minimum_seizures: int = 2, top: int = 10
    ) -> "FlowOptions":
        """Options from text, such as a request's parameters."""
        return cls(
            member(Unit, "unit", unit), member(Measure, "measure", measure), growth_threshold, minimum_seizures, top
        )

    @property
    def constants(self) -> tuple[Constant, ...]:
        source = "chosen for this platform; no source sets a threshold for a growing trafficking route"
        return (
            Constant("flows-growth-threshold", self.growth_threshold, source, confirmed=False),
            Constant("flows-minimum-seizures", self.minimum_seizures, source, confirmed=False),
        )


@dataclass(slots=True)
class _Weight:
    seizures: set[str] = field(default_factory=set)
    kilograms: list[float] = field(default_factory=list)
    unconverted: int = 0
    inputs: set[tuple[int, str | None]] = field(default_factory=set)
    factors: set[tuple[str, float, str, bool]] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Flows:
    year: int
    options: FlowOptions
    #: Every route of every year: drug, year, route (text), stops, seizures, kilograms, unconverted, submissions.
    graph: pa.Table
    #: The routes of ``year``: as in ``graph``, plus previous_*, growth, status, rank and top.
    routes: tuple[dict[str, Any], ...]
    #: Seizures, kilograms and (when it has one) growth of every top, new or growing route of ``year``.
    figures: tuple[Figure, ...]
    notes: tuple[str, ...]


E = TypeVar("E", Unit, Measure)


def member(kind: type[E], name: str, value: str) -> E:
    """The member of ``kind`` called ``value``, or ``BadInput`` naming those supported."""
    accepted = [str(item) for item in kind]
    if value not in accepted:
        raise BadInput(
            f"unsupported {name} {value!r}; supported: {', '.join(accepted)}",
            [{"parameter": name, "value": value, "accepted": accepted}],
        )
    return kind(value)


def route_of(departure: str | None, transits: Sequence[str], destination: str | None, country: str) -> list[str]:
    """The stops of a seizure's reported route (see the module documentation)."""
    stops: list[str] = []
    for stop in (departure, *transits, destination or country):
        if stop and (not stops or stops[-1] != stop):
            stops.append(stop)
    return stops if len(stops) > 1 else []


def trafficking_flows(seizures: pa.Table, year: int | None = None, options: FlowOptions | None = None) -> Flows:
    """The graph of every year, and the top, new and growing routes of ``year`` (the latest when None)."""
    chosen = options or FlowOptions()
    missing = [name for name in SEIZURE_SCHEMA.names if name not in seizures.column_names]
    if missing:
        raise BadInput(f"the seizures table lacks column(s) {missing}", [{"field": name} for name in missing])
    weights, notes = _weights(seizures.to_pylist(), chosen.unit)
    years = sorted({key[1] for key in weights})
    if not years:
        return Flows(year or 0, chosen, _graph({}), (), (), (*notes, "no seizure with a route"))
    current = years[-1] if year is None else year
    ranked = _classified(weights, current, chosen)
    routes = tuple(row for row, _ in ranked)
    figures = tuple(f for row, found in ranked if row["top"] or row["status"] in ("new", "growing") for f in found)
    return Flows(current, chosen, _graph(weights), routes, figures, tuple(notes))


def _weights(
    rows: Iterable[dict[str, Any]], unit: Unit
) -> tuple[dict[tuple[str, int, tuple[str, ...]], _Weight], list[str]]:
    weights: defaultdict[tuple[str, int, tuple[str, ...]], _Weight] = defaultdict(_Weight)
    routeless = undated = 0
    for row in rows:
        stops = route_of(row["departure"], row["transits"] or [], row["destination"], row["country"])
        if row["year"] is None:
            undated += 1
            continue
        if not stops:
            routeless += 1
            continue
        keys = [tuple(stops)] if unit is Unit.ROUTE else list(pairwise(stops))
        for key in dict.fromkeys(keys):
            weight = weights[(row["drug"], int(row["year"]), key)]
            weight.seizures.add(row["seizure"])
            weight.inputs.add((int(row["submission_id"]), row["vintage"]))
            if row["kilograms"] is None:
                weight.unconverted += 1
            else:
                weight.kilograms.append(float(row["kilograms"]))
                factor = (row["factor"], row["factor_value"], row["factor_source"], row["factor_confirmed"])
                weight.factors.add(factor)
    notes = []
    if routeless:
        notes.append(f"{routeless} seizure(s) without a route: fewer than two countries known")
    if undated:
        notes.append(f"{undated} seizure(s) without a usable date left out")
    return dict(weights), notes


def _classified(
    weights: dict[tuple[str, int, tuple[str, ...]], _Weight], year: int, options: FlowOptions
) -> list[tuple[dict[str, Any], list[Figure]]]:
    """The routes of ``year`` ranked within each drug, each with its figures."""
    baseline = {drug for drug, when, _ in weights if when == year - 1}
    by_drug: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for (drug, when, key), weight in weights.items():
        if when == year:
            before = weights.get((drug, year - 1, key))
            by_drug[drug].append(_route(drug, year, key, weight, before, drug in baseline, options))
    ranked = []
    for drug in sorted(by_drug):
        rows = sorted(by_drug[drug], key=lambda r: (-r[str(options.measure)], -r["seizures"], r["route"]))
        for rank, row in enumerate(rows, start=1):
            row |= {"rank": rank, "top": rank <= options.top}
            ranked.append((row, _figures(row, weights[(drug, year, tuple(row["stops"]))], options)))
    return ranked


def _route(
    drug: str,
    year: int,
    key: tuple[str, ...],
    weight: _Weight,
    before: _Weight | None,
    baseline: bool,
    options: FlowOptions,
) -> dict[str, Any]:
    now, then = _amounts(weight), _amounts(before)
    measure = str(options.measure)
    growth = now[measure] / then[measure] if then[measure] else None
    status = "no-baseline" if not baseline else "new" if before is None else "continuing"
    if growth is not None and growth >= options.growth_threshold and now["seizures"] >= options.minimum_seizures:
        status = "growing"
    return {
        "drug": drug,
        "year": year,
        "route": SEPARATOR.join(key),
        "stops": list(key),
        **now,
        "previous_seizures": then["seizures"],
        "previous_kilograms": then["kilograms"],
        "growth": growth,
        "status": status,
        "kilograms_confirmed": all(confirmed for *_, confirmed in weight.factors),
        "submissions": sorted({sid for sid, _ in weight.inputs}),
    }


def _amounts(weight: _Weight | None) -> dict[str, Any]:
    if weight is None:
        return {"seizures": 0, "kilograms": 0.0, "unconverted": 0}
    return {
        "seizures": len(weight.seizures),
        "kilograms": math.fsum(weight.kilograms),
        "unconverted": weight.unconverted,
    }


def _figures(row: dict[str, Any], weight: _Weight, options: FlowOptions) -> list[Figure]:
    labels = {"drug": row["drug"], "year": str(row["year"]), "route": row["route"], "status": row["status"]}
    inputs = tuple(InputRef(f"individual-seizures/submission-{sid}", vintage) for sid, vintage in sorted(weight.inputs))
    factors = tuple(
        Constant(f"conversion/{name}", value, source, confirmed) for name, value, source, confirmed in weight.factors
    )
    flags: tuple[Flag, ...] = ()
    if weight.unconverted:
        message = f"{weight.unconverted} of {row['seizures']} seizures have no kilogram-equivalent (not counted)"
        flags = (Flag(FlagCode.UNCONVERTED, message),)
    count = Figure(value=row["seizures"], unit="seizures", method=COUNT, inputs=inputs)
    mass = Figure(value=row["kilograms"], unit="kg", method=KILOGRAMS, inputs=inputs, constants=factors, flags=flags)
    figures = [count.labelled(**labels, measure="seizures"), mass.labelled(**labels, measure="kilograms")]
    if row["growth"] is not None:
        growth = Figure(value=row["growth"], unit="ratio", method=GROWTH, inputs=inputs, constants=options.constants)
        figures.append(growth.labelled(**labels, measure=f"growth-{options.measure}"))
    return figures


def _graph(weights: dict[tuple[str, int, tuple[str, ...]], _Weight]) -> pa.Table:
    rows = [
        {
            "drug": drug,
            "year": year,
            "route": SEPARATOR.join(key),
            "stops": list(key),
            **_amounts(weight),
            "submissions": sorted({sid for sid, _ in weight.inputs}),
        }
        for (drug, year, key), weight in sorted(weights.items())
    ]
    schema = pa.schema(
        [
            ("drug", pa.string()),
            ("year", pa.int32()),
            ("route", pa.string()),
            ("stops", pa.list_(pa.string())),
            ("seizures", pa.int64()),
            ("kilograms", pa.float64()),
            ("unconverted", pa.int64()),
            ("submissions", pa.list_(pa.int64())),
        ]
    )
    return pa.Table.from_pylist(rows, schema)
