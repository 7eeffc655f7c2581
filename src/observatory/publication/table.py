"""The publication table of a flow: one row per SDMX observation, codes and labels, built from served values.

Columns: the flow's key dimensions (codes), TIME_PERIOD, OBS_VALUE, the attributes (``flows.ATTRIBUTES``), then a
``<DIMENSION>_LABEL`` column per key dimension. Rows are sorted by key and period, so the same values always make
the same table (and the same bytes in every format).

Rows come from the analytics store's public view only (published submissions; ``store.serving``). Several rows with
the same key and period add up when the data set declares that no key is unique (annual seizures: the ARQ records
separate entries that add up); otherwise the first of them (newest vintage) is published.
"""

import json
import math
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from observatory.analytics.observations import observations
from observatory.analytics.store import AnalyticsStore
from observatory.publication.flows import ATTRIBUTES, FREQ, INDICATOR, NOT_APPLICABLE, TIME_PERIOD, Flow, code_id
from observatory.publication.obs_status import NORMAL, obs_status
from observatory.reference.geography import UnknownCountry, place
from observatory.reporting.declaration import declaration
from observatory.store.serving import Audience

_NUMBERS = ("OBS_VALUE", "LOWER_BOUND", "UPPER_BOUND")
_COMMENTS = ("notes", "specific_notes", "adjustment_notes", "interpretation")


def table_schema(flow: Flow) -> pa.Schema:
    fields = [(name, pa.string()) for name in flow.key_dimensions]
    fields += [(TIME_PERIOD, pa.string()), ("OBS_VALUE", pa.float64())]
    fields += [(name, pa.float64() if name in _NUMBERS else pa.string()) for name in ATTRIBUTES]
    fields += [(f"{name}_LABEL", pa.string()) for name in flow.key_dimensions]
    return pa.schema(fields)


def publication_table(store: AnalyticsStore, flow: Flow) -> pa.Table:
    """The flow's observations as the public sees them."""
    public = store.for_audience(Audience.PUBLIC)
    return from_observations(flow, observations(public, flow.dataset).to_pylist())


def from_observations(flow: Flow, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """The publication table of observation rows (``analytics.observations.OBSERVATION_SCHEMA``)."""
    by_source: dict[tuple[Any, Any], dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_source.setdefault((row["submission_id"], row["source_row"]), {})[row["element"]] = row
    additive = _additive(flow)
    published: dict[tuple[str, ...], dict[str, Any]] = {}
    for elements in by_source.values():
        for element in flow.elements:
            found = elements.get(element)
            if found is None:
                continue
            made = _observation(flow, element, found, elements)
            key = tuple(made[name] for name in (*flow.key_dimensions, TIME_PERIOD))
            if key not in published:
                published[key] = made
            elif additive:
                _add(published[key], made)
    ordered = [published[key] for key in sorted(published)]
    return pa.Table.from_pylist(ordered, schema=table_schema(flow))


def _additive(flow: Flow) -> bool:
    uniqueness = declaration(flow.dataset).uniqueness
    return uniqueness is not None and not uniqueness.key


def _observation(flow: Flow, element: str, row: dict[str, Any], elements: dict[str, dict[str, Any]]) -> dict[str, Any]:
    dimensions = json.loads(row["dimensions"] or "{}")
    made: dict[str, Any] = {}
    for dimension in flow.dimensions:
        code, label = _coded(flow, dimension.id, dimension.field, element, row, dimensions)
        made[dimension.id], made[f"{dimension.id}_LABEL"] = code, label
    status = obs_status(row["value_state"], row["missing_reason"])
    made |= {
        TIME_PERIOD: str(row["year"]),
        "OBS_VALUE": row["value"] if status == NORMAL else None,
        "OBS_STATUS": status,
        "UNIT_MEASURE": row["unit"] or flow.unit(element) or None,
        "UNIT_MULT": "0",
        "COMMENT_OBS": next((str(dimensions[name]) for name in _COMMENTS if dimensions.get(name)), None),
        "LOWER_BOUND": _bound(flow, elements, "low"),
        "UPPER_BOUND": _bound(flow, elements, "high"),
        "SOURCE_DETAIL": f"submission {row['submission_id']}",
        "VINTAGE": None if row["vintage"] is None else str(row["vintage"]),
    }
    return made


def _coded(
    flow: Flow, identifier: str, field: str | None, element: str, row: dict[str, Any], dimensions: dict[str, Any]
) -> tuple[str, str]:
    if identifier == FREQ:
        return "A", "Annual"
    if identifier == INDICATOR:
        return code_id(element), declaration(flow.dataset).field(element).title
    if identifier == "REF_AREA":
        iso3 = row["country_iso3"] or ""
        return (iso3, _country_name(iso3)) if iso3 else (NOT_APPLICABLE, "Not applicable")
    value = dimensions.get(field or "")
    if value is None or str(value).strip() == "":
        return NOT_APPLICABLE, "Not applicable"
    return code_id(str(value)), str(value)


def _country_name(iso3: str) -> str:
    try:
        return place(iso3).name
    except UnknownCountry:
        return iso3


def _bound(flow: Flow, elements: dict[str, dict[str, Any]], name: str) -> float | None:
    if not flow.bounds or name not in elements:
        return None
    value = elements[name]["value"]
    return None if value is None or not math.isfinite(value) else float(value)


def _add(into: dict[str, Any], row: dict[str, Any]) -> None:
    """Add ``row``'s value to ``into``'s: reported values add up; a key with none stays missing."""
    if row["OBS_STATUS"] != NORMAL:
        return
    if into["OBS_STATUS"] != NORMAL:
        into |= {"OBS_STATUS": NORMAL, "OBS_VALUE": row["OBS_VALUE"]}
        return
    into["OBS_VALUE"] = math.fsum([into["OBS_VALUE"] or 0.0, row["OBS_VALUE"] or 0.0])
