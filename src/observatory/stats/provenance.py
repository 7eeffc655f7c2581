"""Stable figure ids, and what stands behind a figure: its input rows and their vintages, its constants, its method
steps, and its value recomputed from the listed rows alone.

An id reads ``kind/selectors/period``, e.g. ``seizures.cagr/drug_group=Cocaine-type/2019-2023``: selectors are
``name=value`` pairs in name order joined by commas (``%``, ``/``, ``,`` and ``=`` in a value percent-encoded); the
period is a year or ``start-end``. Calculators, whose inputs are all in their selectors, have no period.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pyarrow as pa

from observatory.errors import BadInput
from observatory.stats.aggregation import AREAS, aggregate_prevalence
from observatory.stats.capture_recapture import ChapmanInterval, chapman, lincoln_petersen
from observatory.stats.figure import Constant, Figure, InputRef
from observatory.stats.multiplier import benchmark_multiplier
from observatory.stats.prevalence_table import PrevalenceScale
from observatory.stats.ranges import Range
from observatory.stats.trends import compound_annual_growth

Row = Mapping[str, Any]
#: The national table prevalence figures are recomputed from (``prevalence_table`` describes it).
NATIONAL_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("country", "subregion", "region", "source", "vintage")]
    + [(name, pa.float64()) for name in ("best", "low", "high", "population")]
)


@dataclass(frozen=True, slots=True)
class FigureId:
    kind: str
    selectors: tuple[tuple[str, str], ...] = ()
    period: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "selectors", tuple(sorted(self.selectors)))
        spec = KINDS.get(self.kind)
        if spec is None:
            raise BadInput(
                f"unsupported figure kind {self.kind!r}; supported: {', '.join(KINDS)}", [{"kind": self.kind}]
            )
        names = {name for name, _ in self.selectors}
        missing, unknown = set(spec.required) - names, names - set(spec.required) - set(spec.optional)
        if missing or unknown or len(names) != len(self.selectors):
            raise BadInput(
                f"{self.kind} needs {list(spec.required)}, accepts {list(spec.optional)}; got {sorted(names)}",
                [{"kind": self.kind, "selectors": sorted(names)}],
            )
        shapes = {"none": self.period is None, "year": self.period is not None and self.period[0] == self.period[1]}
        shapes["span"] = self.period is not None and self.period[0] < self.period[1]
        if not shapes[spec.period]:
            raise BadInput(f"{self.kind} needs a period of the form {spec.period}, not {self.period}")

    @classmethod
    def parse(cls, text: str) -> "FigureId":
        kind, _, rest = text.partition("/")
        part, _, period = rest.partition("/")
        pairs = [item.partition("=") for item in part.split(",") if item]
        if any(not name or not sep for name, sep, _ in pairs):
            raise BadInput(f"figure id {text!r}: selectors must read name=value, joined by commas", [{"id": text}])
        return cls(kind, tuple((name, unquote(value)) for name, _, value in pairs), _period(text, period))

    def __str__(self) -> str:
        selectors = ",".join(f"{name}={_escape(value)}" for name, value in self.selectors)
        if self.period is None:
            return f"{self.kind}/{selectors}"
        start, end = self.period
        return f"{self.kind}/{selectors}/{start if start == end else f'{start}-{end}'}"

    def get(self, name: str) -> str | None:
        return dict(self.selectors).get(name)

    @property
    def years(self) -> range:
        if self.period is None:
            raise BadInput(f"figure {self} has no period")
        return range(self.period[0], self.period[1] + 1)


@dataclass(frozen=True, slots=True)
class Identified:
    id: FigureId
    figure: Figure


@dataclass(frozen=True, slots=True)
class Recomputed:
    value: float
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    id: FigureId
    figure: Figure
    rows: tuple[Row, ...]
    steps: tuple[str, ...]
    recomputed: Recomputed

    @property
    def inputs(self) -> tuple[InputRef, ...]:
        return self.figure.inputs

    @property
    def constants(self) -> tuple[Constant, ...]:
        return self.figure.constants

    @property
    def matches(self) -> bool:
        again, figure = self.recomputed, self.figure
        return (again.value, again.low, again.high) == (figure.value, figure.low, figure.high)


def explain(item: Identified, rows: Sequence[Row]) -> Explanation:
    """The figure's inputs, constants and steps, with its value recomputed from ``rows`` alone."""
    spec = KINDS[item.id.kind]
    submissions = sorted({int(row["submission_id"]) for row in rows if row.get("submission_id") is not None})
    origin = f" from submission(s) {', '.join(map(str, submissions))}" if submissions else ""
    figure = item.figure
    steps = (
        f"inputs: {len(rows)} row(s){origin}, as listed",
        spec.formula,
        f"method {figure.method.id}: {figure.method.description}"
        + ("" if figure.method.confirmed else f" — UNCONFIRMED ({figure.method.source})"),
        *(
            f"constant {c.id} = {c.value!r} ({c.source}){'' if c.confirmed else ' — UNCONFIRMED'}"
            for c in figure.constants
        ),
        *(f"flag {flag.code}: {flag.message}" for flag in figure.flags),
    )
    return Explanation(item.id, figure, tuple(rows), steps, recompute(item.id, rows))


def recompute(figure_id: FigureId, rows: Sequence[Row]) -> Recomputed:
    return KINDS[figure_id.kind].recompute(figure_id, rows)


def figure_record(item: Identified | Figure) -> dict[str, Any]:
    """A figure as JSON-ready data: id (None for a figure without one), value, interval, method, inputs with
    vintages, constants, flags and dimensions."""
    figure = item.figure if isinstance(item, Identified) else item
    method = figure.method
    return {
        "id": str(item.id) if isinstance(item, Identified) else None,
        "value": figure.value,
        "low": figure.low,
        "high": figure.high,
        "unit": figure.unit,
        "dimensions": dict(figure.dimensions),
        "method": {"id": method.id, "description": method.description, "confirmed": method.confirmed},
        "inputs": [{"id": ref.id, "vintage": ref.vintage} for ref in figure.inputs],
        "constants": [
            {"id": c.id, "value": c.value, "source": c.source, "confirmed": c.confirmed} for c in figure.constants
        ],
        "flags": [{"code": str(flag.code), "message": flag.message} for flag in figure.flags],
    }


def explanation_record(explanation: Explanation) -> dict[str, Any]:
    again = explanation.recomputed
    return {
        "figure": figure_record(Identified(explanation.id, explanation.figure)),
        "steps": list(explanation.steps),
        "rows": [dict(row) for row in explanation.rows],
        "recomputed": {"value": again.value, "low": again.low, "high": again.high},
        "matches": explanation.matches,
    }


def _escape(value: str) -> str:
    if "%" not in value and "/" not in value and "," not in value and "=" not in value:
        return value
    return value.replace("%", "%25").replace("/", "%2F").replace(",", "%2C").replace("=", "%3D")


def _period(text: str, period: str) -> tuple[int, int] | None:
    if not period:
        return None
    start, _, end = period.partition("-")
    if not start.isdigit() or not (end or start).isdigit():
        raise BadInput(f"figure id {text!r}: the period must be a year or start-end, not {period!r}", [{"id": text}])
    return int(start), int(end or start)


def number(row: Row, name: str, default: float | None = None) -> float:
    """``row[name]`` (a number or its text) as a float, or ``BadInput`` naming it."""
    value = row.get(name, default)
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            pass
    raise BadInput(f"{name} must be a number, not {value!r}", [{"field": name, "value": repr(value)}])


def whole(row: Row, name: str) -> int:
    value = number(row, name)
    if not value.is_integer():
        raise BadInput(f"{name} must be a whole number, not {row.get(name)!r}", [{"field": name}])
    return int(value)


def _yearly(figure_id: FigureId, rows: Sequence[Row], years: range) -> dict[int, float | None]:
    """Σ kilograms by year over the rows the id selects that count in a headline figure (a row marked
    ``headline: False`` is listed but not counted); a year whose rows report nothing is None, never 0."""
    wanted = dict(figure_id.selectors)
    sums: dict[int, list[float]] = {}
    for row in rows:
        if row.get("headline") is False:
            continue
        if row["year"] in years and all(str(row.get(column)) == value for column, value in wanted.items()):
            reported = sums.setdefault(int(row["year"]), [])
            if row.get("kilograms") is not None:
                reported.append(float(row["kilograms"]))
    return {year: math.fsum(values) if values else None for year, values in sorted(sums.items())}


def _total(figure_id: FigureId, rows: Sequence[Row]) -> Recomputed:
    value = _yearly(figure_id, rows, figure_id.years).get(figure_id.years[0])
    if value is None:
        raise BadInput(f"{figure_id}: no listed row reports a quantity")
    return Recomputed(value)


def _change(figure_id: FigureId, rows: Sequence[Row]) -> Recomputed:
    year = figure_id.years[0]
    sums = _yearly(figure_id, rows, range(year - 1, year + 1))
    previous, current = sums.get(year - 1), sums.get(year)
    if not previous or current is None:
        raise BadInput(f"{figure_id}: the listed rows give no change from a non-zero {year - 1} value")
    return Recomputed((current - previous) / previous)


def _growth(figure_id: FigureId, rows: Sequence[Row]) -> Recomputed:
    sums = _yearly(figure_id, rows, figure_id.years)
    table = pa.table(
        {"year": list(sums), "value": list(sums.values())}, pa.schema([("year", pa.int64()), ("value", pa.float64())])
    )
    start, end = figure_id.years[0], figure_id.years[-1]
    return Recomputed(compound_annual_growth(table, start=start, end=end).value)


def _prevalence(measure: str) -> Callable[[FigureId, Sequence[Row]], Recomputed]:
    def recompute_prevalence(figure_id: FigureId, rows: Sequence[Row]) -> Recomputed:
        table = pa.Table.from_pylist(
            [{name: row.get(name) for name in NATIONAL_SCHEMA.names} for row in rows], NATIONAL_SCHEMA
        )
        wanted = {"level": figure_id.get("level"), "area": figure_id.get("area"), "measure": measure}
        level = wanted["level"]
        areas = [name for name in AREAS if name == level]
        for figure in aggregate_prevalence(
            table, scale=PrevalenceScale.PERCENT, countries=level == "country", areas=areas
        ):
            labels = dict(figure.dimensions)
            if all(labels.get(name) == value for name, value in wanted.items()):
                return _again(figure)
        raise BadInput(f"{figure_id}: the listed rows have no {wanted['level']} {wanted['area']!r}")

    return recompute_prevalence


def chapman_interval(name: str) -> ChapmanInterval:
    """The Chapman interval method called ``name``; an unsupported one is refused, naming those supported."""
    if name not in tuple(ChapmanInterval):
        accepted = [str(method) for method in ChapmanInterval]
        raise BadInput(
            f"unsupported interval method {name!r}; supported: {', '.join(accepted)}",
            [{"field": "interval", "value": name, "accepted": accepted}],
        )
    return ChapmanInterval(name)


def _again(figure: Figure) -> Recomputed:
    return Recomputed(figure.value, figure.low, figure.high)


def _chapman(_: FigureId, rows: Sequence[Row]) -> Recomputed:
    (row,) = rows
    counts = (whole(row, "n1"), whole(row, "n2"), whole(row, "m"))
    interval = chapman_interval(str(row.get("interval") or ChapmanInterval.SUGGESTED))
    return _again(chapman(*counts, interval=interval, confidence=number(row, "confidence", 0.95)))


def _lincoln_petersen(_: FigureId, rows: Sequence[Row]) -> Recomputed:
    (row,) = rows
    return Recomputed(lincoln_petersen(whole(row, "n1"), whole(row, "n2"), whole(row, "m")).value)


def _multiplier(_: FigureId, rows: Sequence[Row]) -> Recomputed:
    (row,) = rows
    ranges = [
        Range(best, number(row, f"{name}_low", best), number(row, f"{name}_high", best))
        for name in ("benchmark", "proportion")
        for best in [number(row, name)]
    ]
    return _again(benchmark_multiplier(*ranges))


@dataclass(frozen=True, slots=True)
class Kind:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    period: str
    formula: str
    recompute: Callable[[FigureId, Sequence[Row]], Recomputed]


_AREAS = ("country", "region", "subregion")
_PREVALENCE = ("area", "drug", "level")
_SUM = "Σ kg of the selected rows reporting a quantity, per year (a row not reported is left out, not read as 0)"
_IMPUTED = "countries without an estimate imputed; best, low and high each"
KINDS: dict[str, Kind] = {
    "seizures.total": Kind(("drug_group",), _AREAS, "year", _SUM, _total),
    "seizures.yoy": Kind(("drug_group",), _AREAS, "year", f"{_SUM}; (Σ year − Σ year before) ÷ Σ year before", _change),
    "seizures.cagr": Kind(("drug_group",), _AREAS, "span", f"{_SUM}; (Σ end ÷ Σ start)^(1/years) − 1", _growth),
    "prevalence.annual": Kind(
        _PREVALENCE, (), "year", f"{_IMPUTED}: Σ prevalence × population ÷ Σ population", _prevalence("prevalence")
    ),
    "prevalence.users": Kind(_PREVALENCE, (), "year", f"{_IMPUTED}: Σ prevalence × population", _prevalence("users")),
    "prevalence.coverage": Kind(
        _PREVALENCE, (), "year", "population of reporting countries ÷ population", _prevalence("population-covered")
    ),
    "capture-recapture.chapman": Kind(
        ("m", "n1", "n2"), ("confidence", "interval"), "none", "(n₁+1)(n₂+1)/(m+1) − 1, with its interval", _chapman
    ),
    "capture-recapture.lincoln-petersen": Kind(("m", "n1", "n2"), (), "none", "n₁n₂/m", _lincoln_petersen),
    "multiplier": Kind(
        ("benchmark", "proportion"),
        ("benchmark_high", "benchmark_low", "proportion_high", "proportion_low"),
        "none",
        "benchmark ÷ proportion; interval [benchmark low ÷ proportion high, benchmark high ÷ proportion low]",
        _multiplier,
    ),
}
