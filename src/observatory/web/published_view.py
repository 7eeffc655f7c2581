"""Selections of published data for people: the data browser, country profiles and maps all read them here.

    view = selection("ANNUAL_SEIZURES", key="A..COCAINE-TYPE_DRUGS..", start=2019, end=2023, group_by=("REF_AREA",))
    rows = aggregate(published.tables, view)            # one row per group and year
    table = pivot(rows, view.group_by)                  # rows by group, one column per year (pages)

A selection is a dataflow, an SDMX series key (``publication.keys``: the same syntax and the same ``select`` as the
SDMX API, so the SDMX download of a selection is the very same observations), years, and the dimensions to group
by. Values add up only where the data set says its rows add up (quantities seized); for any other flow a group must
hold one observation, else the selection is ``NotAdditive`` (400) naming the dimensions to keep or pin.
"""

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pyarrow as pa

from observatory.errors import BadInput, UnknownParameter
from observatory.i18n import gettext as _
from observatory.publication.flows import FREQ, TIME_PERIOD, Flow, flow
from observatory.publication.keys import DataQuery, parse_key, select
from observatory.publication.obs_status import NORMAL
from observatory.reporting.declaration import declaration

#: Most rows a page shows (the downloads hold them all).
PAGE_ROWS = 400


class NotAdditive(BadInput):
    code = "not-additive"


class UnknownDimension(BadInput):
    code = "unknown-dimension"


@dataclass(frozen=True, slots=True)
class Selection:
    flow: Flow
    key: str
    start: int | None
    end: int | None
    group_by: tuple[str, ...]

    @property
    def additive(self) -> bool:
        uniqueness = declaration(self.flow.dataset).uniqueness
        return uniqueness is not None and not uniqueness.key

    def sdmx_url(self) -> str:
        periods = "&".join(
            f"{name}={year}" for name, year in (("startPeriod", self.start), ("endPeriod", self.end)) if year
        )
        return f"/api/v1/sdmx/rest/data/{self.flow.id}/{self.key or 'all'}" + (f"?{periods}" if periods else "")

    def api_url(self, format_name: str | None = None) -> str:
        parts = [f"key={quote(self.key or 'all', safe='.')}", f"group_by={','.join(self.group_by)}"]
        parts += [f"{name}={year}" for name, year in (("start", self.start), ("end", self.end)) if year]
        parts += [f"format={format_name}"] if format_name else []
        return f"/api/v1/published/{self.flow.id}?" + "&".join(parts)


@dataclass(slots=True)
class Row:
    labels: tuple[str, ...]
    values: dict[int, float | None] = field(default_factory=dict)
    missing: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class YearTable:
    """Rows by group and one column per year; a year absent from a row's ``values`` had no observation."""

    headings: tuple[str, ...]
    years: list[int]
    rows: list[Row]
    unit: str


def selection(
    flow_name: str,
    *,
    key: str | None = None,
    start: int | None = None,
    end: int | None = None,
    group_by: tuple[str, ...] = (),
) -> Selection:
    found = flow(flow_name)
    parse_key(found, key)
    dimensions = [name for name in found.key_dimensions if name != FREQ]
    unknown = [name for name in group_by if name not in dimensions]
    if unknown:
        raise UnknownDimension(
            f"{found.id} has no dimension {unknown[0]!r}; group by any of {', '.join(dimensions)}",
            [{"parameter": "group_by", "value": unknown[0], "accepted": dimensions}],
        )
    return Selection(found, "" if key in (None, "all") else str(key), start, end, tuple(group_by))


def key_of(flow_: Flow, chosen: dict[str, list[str]]) -> str:
    """The series key of per-dimension codes (no codes: a wildcard); ``all`` when nothing is chosen."""
    parts = ["+".join(sorted(chosen.get(name, []))) for name in flow_.key_dimensions]
    return "all" if not any(parts) else ".".join(parts)


def chosen_codes(view: Selection) -> dict[str, list[str]]:
    parsed = parse_key(view.flow, view.key or None)
    return {name: sorted(codes) for name, codes in zip(view.flow.key_dimensions, parsed, strict=True) if codes}


def selected(tables: dict[str, pa.Table], view: Selection) -> pa.Table:
    query = DataQuery(parse_key(view.flow, view.key or None), view.start, view.end)
    return select(view.flow, tables[view.flow.id], query)


def aggregate(tables: dict[str, pa.Table], view: Selection) -> list[dict[str, Any]]:
    """One row per group and year: the group's codes and labels, ``year``, ``value``, ``unit``, ``status`` (SDMX
    OBS_STATUS: A reported, else why there is no value), ``observations`` and ``missing`` (observations with none)."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in selected(tables, view).to_pylist():
        key = (*(row[name] for name in view.group_by), row[TIME_PERIOD], row["UNIT_MEASURE"])
        groups.setdefault(key, []).append(row)
    crowded = [rows for rows in groups.values() if len(rows) > 1]
    if crowded and not view.additive:
        raise NotAdditive(_crowded_message(view, crowded[0]), [{"parameter": "group_by", "value": list(view.group_by)}])
    return [_grouped(view, rows) for _, rows in sorted(groups.items(), key=lambda item: _order(item[0]))]


def _order(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if part is None else str(part) for part in key)


def _crowded_message(view: Selection, rows: list[dict[str, Any]]) -> str:
    varying = [
        name for name in view.flow.key_dimensions if name not in view.group_by and len({row[name] for row in rows}) > 1
    ]
    return f"{view.flow.id} values do not add up: group by {', '.join(varying)} as well, or choose one code of each"


def _grouped(view: Selection, rows: list[dict[str, Any]]) -> dict[str, Any]:
    first = rows[0]
    made: dict[str, Any] = {}
    for name in view.group_by:
        made[name.lower()] = first[name]
        made[f"{name.lower()}_label"] = first[f"{name}_LABEL"]
    reported = [row["OBS_VALUE"] for row in rows if row["OBS_STATUS"] == NORMAL and row["OBS_VALUE"] is not None]
    made |= {
        "year": int(first[TIME_PERIOD]),
        "value": math.fsum(reported) if reported else None,
        "unit": first["UNIT_MEASURE"],
        "status": NORMAL if reported else first["OBS_STATUS"],
        "observations": len(rows),
        "missing": len(rows) - len(reported),
    }
    if len(rows) == 1:
        made |= {"lower_bound": first["LOWER_BOUND"], "upper_bound": first["UPPER_BOUND"]}
    return made


def default_group_by(tables: dict[str, pa.Table], view: Selection) -> tuple[str, ...]:
    """For a flow whose values do not add up, every dimension that varies in the selection (no sum is made)."""
    if view.additive:
        return view.group_by
    table = selected(tables, view)
    return tuple(name for name in view.flow.key_dimensions if name != FREQ and len(set(table[name].to_pylist())) > 1)


def pivot(rows: list[dict[str, Any]], group_by: tuple[str, ...], headings: tuple[str, ...]) -> YearTable:
    """Aggregated rows as a table of groups by year (labels, not codes)."""
    units = sorted({record["unit"] or "" for record in rows})
    made: dict[tuple[str, ...], Row] = {}
    years: set[int] = set()
    for record in rows:
        labels = tuple(str(record[f"{name.lower()}_label"]) for name in group_by) or ("",)
        if len(units) > 1:
            labels += (record["unit"] or "",)
        found = made.setdefault(labels, Row(labels))
        years.add(record["year"])
        found.values[record["year"]] = record["value"]
        if record["missing"]:
            found.missing[record["year"]] = record["missing"]
    headings += (_("Unit"),) if len(units) > 1 else ()
    ordered = sorted(made.values(), key=lambda row: tuple(label.casefold() for label in row.labels))
    return YearTable(headings, sorted(years), ordered, units[0] if len(units) == 1 else "")


#: Query parameters of the pages besides the dimensions of the flow.
FORM_PARAMETERS = frozenset({"dataset", "start", "end", "group_by", "year", "lang"})


def form_codes(
    flow_: Flow, pairs: list[tuple[str, str]], *, extra: frozenset[str] = FORM_PARAMETERS
) -> dict[str, list[str]]:
    """Codes chosen per dimension from a page's form (``REF_AREA=COL&REF_AREA=PER``); an unknown name is 400."""
    chosen: dict[str, list[str]] = {}
    accepted = set(flow_.key_dimensions) - {FREQ}
    for name, value in pairs:
        if name in extra:
            continue
        if name not in accepted:
            raise UnknownParameter(
                f"unknown query parameter {name!r}; {flow_.id} accepts {', '.join(sorted(accepted | extra))}",
                [{"parameter": name, "accepted": sorted(accepted | extra)}],
            )
        if value:
            chosen.setdefault(name, []).append(value)
    return chosen


def options(table: pa.Table, flow_: Flow) -> dict[str, list[tuple[str, str]]]:
    """Per dimension (FREQ aside) the codes the flow's published table holds, with their labels, by label."""
    made: dict[str, list[tuple[str, str]]] = {}
    for name in flow_.key_dimensions:
        if name == FREQ:
            continue
        pairs = set(zip(table[name].to_pylist(), table[f"{name}_LABEL"].to_pylist(), strict=True))
        made[name] = sorted(pairs, key=lambda pair: (str(pair[1]).casefold(), pair[0]))
    return made


def years(table: pa.Table) -> list[int]:
    return sorted({int(year) for year in table[TIME_PERIOD].to_pylist()})


class UnknownCode(BadInput):
    code = "unknown-code"


def check_codes(tables: dict[str, pa.Table], view: Selection) -> None:
    """A code the flow's published table does not hold is 400, naming the codes it holds."""
    table = tables[view.flow.id]
    for name, codes in chosen_codes(view).items():
        held = set(table[name].to_pylist())
        unknown = sorted(set(codes) - held)
        if unknown:
            accepted = sorted(held)
            raise UnknownCode(
                f"{view.flow.id} publishes no {name} {unknown[0]!r}; it holds {', '.join(accepted[:40])}"
                + (" …" if len(accepted) > 40 else ""),
                [{"parameter": name, "value": unknown[0], "accepted": accepted}],
            )
