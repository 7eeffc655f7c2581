"""The figures the web pages, the API and the CLI serve, one import for all, and the explanation of any figure from
its id alone: the topic module that computes it, then the rows it comes from.

seizure_figures     seizure trends and area totals (annual-seizures snapshot)
prevalence_figures  subregional, regional and global prevalence, users and coverage
calculators         capture–recapture and benchmark–multiplier
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine

from observatory.analytics.calculators import calculator_figure_source, capture_recapture, multiplier
from observatory.analytics.prevalence_figures import (
    PREVALENCE_KINDS,
    Prevalence,
    population_for,
    prevalence,
    prevalence_figure_source,
)
from observatory.analytics.seizure_figures import (
    Area,
    AreaCheck,
    Trend,
    seizure_area_totals,
    seizure_figure_source,
    seizure_trends,
)
from observatory.analytics.store import AnalyticsStore
from observatory.errors import NotFound
from observatory.stats.provenance import Explanation, FigureId, Identified, explain

__all__ = [
    "PREVALENCE_KINDS",
    "RESOLVERS",
    "Area",
    "AreaCheck",
    "Prevalence",
    "Trend",
    "capture_recapture",
    "explain_figure",
    "multiplier",
    "population_for",
    "prevalence",
    "seizure_area_totals",
    "seizure_trends",
]

Sourced = tuple[Sequence[Identified], Sequence[str], list[dict[str, Any]]]
Resolver = Callable[[AnalyticsStore, Engine, FigureId], Sourced]
#: Figure kind family (the part of the kind before the dot) → the figures of that family the id belongs with,
#: the notes that say why one may be missing, and the input rows.
RESOLVERS: dict[str, Resolver] = {
    "seizures": seizure_figure_source,
    "prevalence": prevalence_figure_source,
    "capture-recapture": calculator_figure_source,
    "multiplier": calculator_figure_source,
}


def explain_figure(store: AnalyticsStore, engine: Engine, text: str) -> Explanation:
    """The explanation of the figure ``text`` names: computed again, with the rows it comes from."""
    figure_id = FigureId.parse(text)
    items, notes, rows = RESOLVERS[figure_id.kind.partition(".")[0]](store, engine, figure_id)
    return explain(_find(figure_id, items, notes), rows)


def _find(figure_id: FigureId, items: Sequence[Identified], notes: Sequence[str]) -> Identified:
    for item in items:
        if item.id == figure_id:
            return item
    why = f": {'; '.join(notes)}" if notes else ""
    raise NotFound(f"no figure {figure_id} in the approved data{why}", [{"id": str(figure_id)}])
