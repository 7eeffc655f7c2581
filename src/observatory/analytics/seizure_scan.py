"""One read of the annual-seizures snapshot for the trends of drug groups: the headline sums by year and what the
notes say was left out, from a single scan instead of one per part.

The rows of the drug groups (in the area, if any) are grouped by year, submission, ``headline`` and the plant
material each is (``plant_material``, and its drug), with the exact sum of their kilograms (``exact_sums``) and their
counts. From those groups:

- the **headline sums** by year (and drug group): the groups whose rows count in a headline figure, added up exactly,
  with the submissions they come from (``Group``);
- the **left-out notes** by drug group and year (``LeftOut``): the kilograms of plant material and the drugs they
  are, the reported totals counted and left out for their components, and the totals that differ from their
  components.

A year whose rows all fall outside the headline figures has notes but no sums, as before.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from observatory.analytics.exact_sums import ExactSum, summed_split
from observatory.analytics.snapshot import DATASET as SEIZURES
from observatory.analytics.store import AnalyticsStore

#: Per group besides the exact sum of the kilograms: counts for the sums and for the notes.
COUNTS = (
    "count(*) AS records, count(kilograms) AS reported, count(CASE WHEN differs THEN 1 END) AS differing, "
    "count(covers) AS covered, count(CASE WHEN reported_total THEN 1 END) AS totals, "
    "count(CASE WHEN reported_total AND differs THEN 1 END) AS differing_totals"
)
READ = "submission_id, headline, plant_material, drug, kilograms, covers, reported_total"


@dataclass(slots=True)
class Group:
    """One group of snapshot rows: its keys, the exact sum of its kilograms, its records and submissions."""

    keys: dict[str, Any]
    kilograms: ExactSum = field(default_factory=ExactSum)
    records: int = 0
    reported: int = 0
    submissions: set[int] = field(default_factory=set)
    #: Rows of a reported total (or its components) differing from the other side by more than the tolerance.
    differing: int = 0
    #: Rows a reported total covers, or that are such a total.
    covered: int = 0

    def add(self, other: "Group") -> None:
        self.kilograms.add(other.kilograms)
        self.records += other.records
        self.reported += other.reported
        self.submissions |= other.submissions
        self.differing += other.differing
        self.covered += other.covered

    def row(self) -> dict[str, Any]:
        return self.keys | {
            "kilograms": self.kilograms.value if self.reported else None,
            "records": self.records,
            "missing_records": self.records - self.reported,
            "submissions": sorted(self.submissions),
            "differing": self.differing,
            "covered": self.covered,
        }


@dataclass(slots=True)
class LeftOut:
    """What one drug group's rows in one year leave out of its headline figures, or count in their place."""

    plants: ExactSum = field(default_factory=ExactSum)
    #: Plant-material rows with a quantity: without any, there is no plant-material kilogram to report.
    plants_reported: int = 0
    #: The drugs of the plant-material rows (None where a row names none).
    plant_names: set[str | None] = field(default_factory=set)
    totals_used: int = 0
    totals_left_out: int = 0
    differing: int = 0

    @property
    def plant_kilograms(self) -> float | None:
        return self.plants.value if self.plants_reported else None

    @property
    def names(self) -> str | None:
        """The plant drugs in name order, as ``string_agg(DISTINCT drug, '; ' ORDER BY drug)`` lists them."""
        named = sorted(name for name in self.plant_names if name is not None)
        return "; ".join(named) if named else None


@dataclass(frozen=True, slots=True)
class TrendScan:
    #: Headline sums by ``keys``, in key order (nulls first).
    sums: list[Group]
    #: By (drug group, year), in that order (a null year last).
    left_out: dict[tuple[str, Any], LeftOut]

    def groups_seen(self) -> set[str]:
        """The drug groups with any row in the scan, counted in a headline figure or not."""
        return {group for group, _ in self.left_out}


def trend_scan(store: AnalyticsStore, keys: Sequence[str], where: str, parameters: Sequence[Any]) -> TrendScan:
    """The rows matching ``where`` (drug groups and area, not ``headline``), summed by ``keys`` (``year``, or
    ``drug_group`` and ``year``) for the headline figures, and what they leave out by drug group and year."""
    source = store.source(SEIZURES)
    grouped = ", ".join((*keys, "submission_id", "headline", "plant_material", "plant"))
    read = ", ".join(dict.fromkeys((*keys, "drug_group", "year", READ)))

    def run(columns: str, aggregates: str) -> Any:
        inner = f"SELECT {read}, total_check = 'total-differs' AS differs{columns} FROM {source} WHERE {where}"
        return store.arrow(
            f"SELECT {grouped}, any_value(drug_group) AS group_name, {aggregates}, {COUNTS} "
            f"FROM (SELECT *, CASE WHEN plant_material THEN drug END AS plant FROM ({inner})) GROUP BY ALL",
            parameters,
        )

    table, totals = summed_split(run, "kilograms")
    sums: dict[tuple[Any, ...], Group] = {}
    left_out: dict[tuple[str, Any], LeftOut] = {}
    for index, total in enumerate(totals):
        row = {name: values[index] for name, values in table.items()}
        notes = left_out.setdefault((row["group_name"], row["year"]), LeftOut())
        _note(notes, row, total)
        if row["headline"]:
            key = tuple(row[name] for name in keys)
            group = sums.get(key)
            if group is None:
                group = sums[key] = Group(dict(zip(keys, key, strict=True)))
            counts = {name: row[name] for name in ("records", "reported", "differing", "covered")}
            group.add(Group({}, total, submissions={row["submission_id"]}, **counts))
    return TrendScan(
        [sums[key] for key in sorted(sums, key=nulls_first)],
        {key: left_out[key] for key in sorted(left_out, key=_nulls_last)},
    )


def _note(notes: LeftOut, row: dict[str, Any], total: ExactSum) -> None:
    if row["plant_material"]:
        notes.plants.add(total)
        notes.plants_reported += row["reported"]
        notes.plant_names.add(row["plant"])
    if row["headline"]:
        notes.totals_used += row["totals"]
    elif row["headline"] is not None:
        notes.totals_left_out += row["totals"]
    notes.differing += row["differing_totals"]


def nulls_first(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((value is not None, value if value is not None else "") for value in key)


def _nulls_last(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """SQL's ``ORDER BY`` (DuckDB puts nulls last)."""
    return tuple((value is None, value if value is not None else "") for value in key)
