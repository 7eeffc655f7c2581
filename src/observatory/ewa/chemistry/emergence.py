"""Emergence of new psychoactive substances: how many were first identified each year, by group and family.

The dates are the first-identification dates of the Slovenian National Forensic Laboratory's list
(``Substance.first_identified``, the earliest over the records merged into a registry substance), so each
registry substance counts once, in the year it was first identified. A substance's family and UNODC group
are its registry classification; one without a structure takes the family its source category names
(``source_categories.toml``), or "others".

Every table is dense: a row for each year from the first to the last identification and each group (or
family), with ``new`` (first identified that year) and ``cumulative`` (identified up to that year).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

from observatory.ewa.chemistry.classification import registry_classifications
from observatory.ewa.chemistry.references import source_label
from observatory.ewa.chemistry.source_categories import source_categories
from observatory.ewa.chemistry.vocabulary import Family, NpsGroup, family_profiles
from observatory.reference.substances import substance_registry


@dataclass(frozen=True, slots=True)
class Emergence:
    substance_id: str
    name: str
    year: int
    family: Family
    nps_group: NpsGroup


def dated_substances() -> list[Emergence]:
    """Every registry substance with a first-identification date, with its family and group."""
    registry = substance_registry()
    classified = registry_classifications()
    categories = source_categories()
    profiles = family_profiles()
    dated: list[Emergence] = []
    for substance in registry.substances:
        if substance.first_identified is None:
            continue
        classification = classified.get(substance.id)
        if classification is not None and classification.family and classification.nps_group:
            family, group = classification.family, classification.nps_group
        else:
            label = source_label(substance, registry, categories, profiles)
            family = label.family if label else Family.OTHERS
            group = profiles[family].nps_group
        dated.append(Emergence(substance.id, substance.preferred_name, substance.first_identified.year, family, group))
    return dated


def emergence_by_year() -> pa.Table:
    """Columns ``year``, ``new``, ``cumulative``."""
    counts = Counter(item.year for item in dated_substances())
    years = _years(counts)
    new = [counts[year] for year in years]
    return pa.table(
        {
            "year": pa.array(years, pa.int16()),
            "new": pa.array(new, pa.int64()),
            "cumulative": pa.array(_running(new), pa.int64()),
        }
    )


def emergence_by_group() -> pa.Table:
    """Columns ``year``, ``nps_group`` (the nine UNODC groups), ``new``, ``cumulative``."""
    return _by(((item.year, item.nps_group) for item in dated_substances()), "nps_group", list(NpsGroup))


def emergence_by_family() -> pa.Table:
    """Columns ``year``, ``family`` (the chemical families), ``new``, ``cumulative``."""
    return _by(((item.year, item.family) for item in dated_substances()), "family", list(Family))


def _by(pairs: Iterable[tuple[int, StrEnum]], column: str, values: list[StrEnum]) -> pa.Table:
    counts = Counter(pairs)
    years = _years(Counter(year for year, _ in counts.elements()))
    new = [[counts[(year, value)] for year in years] for value in values]
    table = pa.table(
        {
            "year": pa.array(years * len(values), pa.int16()),
            column: pa.array([str(value) for value in values for _ in years], pa.string()),
            "new": pa.array([count for series in new for count in series], pa.int64()),
            "cumulative": pa.array([total for series in new for total in _running(series)], pa.int64()),
        }
    )
    return table.sort_by([("year", "ascending"), (column, "ascending")])


def _years(counts: Counter[int]) -> list[int]:
    return list(range(min(counts), max(counts) + 1)) if counts else []


def _running(values: list[int]) -> list[int]:
    total, running = 0, []
    for value in values:
        total += value
        running.append(total)
    return running
