"""The two population-size calculators, whose inputs are all in their figure ids: capture–recapture (Chapman,
Lincoln–Petersen) and benchmark–multiplier."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.stats.capture_recapture import chapman, lincoln_petersen
from observatory.stats.multiplier import benchmark_multiplier
from observatory.stats.provenance import FigureId, Identified, chapman_interval, number, whole
from observatory.stats.ranges import Range


def capture_recapture(
    n1: int, n2: int, m: int, *, interval: str = "suggested", confidence: float = 0.95
) -> list[Identified]:
    """Chapman's estimate with its interval, then Lincoln–Petersen's; sources that do not overlap are refused."""
    if m == 0:
        raise BadInput(
            f"no overlap: no one is in both sources (m = 0, n₁ = {n1}, n₂ = {n2}), so they cannot tell how many "
            "both missed; capture–recapture needs m ≥ 1",
            [{"field": "m", "value": 0, "accepted": "m ≥ 1"}],
        )
    method = chapman_interval(interval)
    estimate = chapman(n1, n2, m, interval=method, confidence=confidence).labelled(estimator="chapman")
    counts = (("m", _text(m)), ("n1", _text(n1)), ("n2", _text(n2)))
    options = (("confidence", _text(confidence)), ("interval", str(method)))
    simple = lincoln_petersen(n1, n2, m).labelled(estimator="lincoln-petersen")
    return [
        Identified(FigureId("capture-recapture.chapman", (*counts, *options)), estimate),
        Identified(FigureId("capture-recapture.lincoln-petersen", counts), simple),
    ]


def multiplier(benchmark: float, proportion: float, **ends: float | None) -> Identified:
    """Benchmark ÷ proportion; the interval comes from ``ends`` (``benchmark_low``, ``benchmark_high``,
    ``proportion_low``, ``proportion_high``), an end not given being the best value."""
    unknown = sorted(set(ends) - {f"{name}_{end}" for name in ("benchmark", "proportion") for end in ("low", "high")})
    if unknown:
        raise BadInput(f"unknown end {unknown[0]!r} of a multiplier range", [{"field": name} for name in unknown])
    ranges = {
        name: Range(best, _or(ends.get(f"{name}_low"), best), _or(ends.get(f"{name}_high"), best))
        for name, best in (("benchmark", benchmark), ("proportion", proportion))
    }
    figure = benchmark_multiplier(ranges["benchmark"], ranges["proportion"])
    selectors = [
        (f"{name}{suffix}", _text(getattr(values, end)))
        for name, values in ranges.items()
        for suffix, end in (("", "best"), ("_low", "low"), ("_high", "high"))
    ]
    return Identified(FigureId("multiplier", tuple(selectors)), figure)


def calculator_figure_source(
    _: AnalyticsStore, __: Engine, figure_id: FigureId
) -> tuple[Sequence[Identified], Sequence[str], list[dict[str, Any]]]:
    """The calculator figure ``figure_id`` names, computed from its selectors, which are its one input row."""
    row = dict(figure_id.selectors)
    if figure_id.kind == "multiplier":
        ends = {name: number(row, name) for name in row}
        figure = multiplier(ends.pop("benchmark"), ends.pop("proportion"), **ends).figure
    else:
        counts = (whole(row, "n1"), whole(row, "n2"), whole(row, "m"))
        interval, confidence = row.get("interval", "suggested"), number(row, "confidence", 0.95)
        chosen, simple = capture_recapture(*counts, interval=interval, confidence=confidence)
        figure = (chosen if figure_id.kind.endswith("chapman") else simple).figure
    return [Identified(figure_id, figure)], [], [row]


def _text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _or(value: float | None, default: float) -> float:
    return default if value is None else value
