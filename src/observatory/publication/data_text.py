"""SDMX-CSV 2.0 and SDMX-JSON 2.0 data messages.

Our own writers: sdmx1 writes SDMX-CSV 1.0 only and has no SDMX-JSON writer.

- SDMX-CSV 2.0: the header is ``STRUCTURE,STRUCTURE_ID,ACTION``, the dimensions, OBS_VALUE, then the attributes;
  every row is ``dataflow,DOBS:<FLOW>(1.0),I,...``. ``labels=both`` writes ``code: label`` in dimension columns. A
  missing value is an empty OBS_VALUE with its OBS_STATUS.
- SDMX-JSON 2.0: ``meta``, then ``data`` with one structure (dimensions and attributes listing the values used,
  by position) and one data set of series (``"0:3:1"``) holding observations ``[value, attribute indices...]``.
"""

import csv
import io
import json
from typing import Any

from observatory.publication.flows import AGENCY, ATTRIBUTE_NAMES, ATTRIBUTES, VERSION
from observatory.publication.messages import ALL_DIMENSIONS, DataMessage, number
from observatory.publication.obs_status import obs_status_codes

CSV_TYPE = "application/vnd.sdmx.data+csv;version=2.0.0"
JSON_TYPE = "application/vnd.sdmx.data+json;version=2.0.0"
JSON_SCHEMA = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/v2.0.0/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json"


def sdmx_csv(message: DataMessage, labels: str = "id") -> bytes:
    """The SDMX-CSV 2.0 message; ``labels`` is ``id`` or ``both``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    attributes = ATTRIBUTES if message.with_attributes else ()
    value_column = ("OBS_VALUE",) if message.detail != "nodata" else ()
    writer.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *message.dimensions, *value_column, *attributes])
    structure_id = f"{AGENCY}:{message.flow.id}({VERSION})"
    for row in message.rows():
        cells: list[str] = ["dataflow", structure_id, "I"]
        for name in message.dimensions:
            label = row.get(f"{name}_LABEL")
            cells.append(f"{row[name]}: {label}" if labels == "both" and label else str(row[name]))
        if value_column:
            cells.append(number(row["OBS_VALUE"]) or "")
        for name in attributes:
            value = row.get(name)
            cells.append((number(value) if isinstance(value, float) else value) or "")
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def sdmx_json(message: DataMessage) -> bytes:
    """The SDMX-JSON 2.0 data message."""
    rows = message.rows()
    positions = {name: _values(rows, name) for name in (*message.dimensions, *ATTRIBUTES)}
    series_dims, obs_dims = message.series_dimensions, message.observation_dimensions
    attributes = [name for name in ATTRIBUTES if positions[name]] if message.with_attributes else []
    series: dict[str, dict[str, Any]] = {}
    flat: dict[str, list[Any]] = {}
    for row in rows:
        observation = [_number_or_none(row["OBS_VALUE"]) if message.detail != "nodata" else None]
        observation += [_index(positions[name], row.get(name)) for name in attributes]
        obs_key = ":".join(str(positions[name].index(row[name])) for name in obs_dims)
        if message.at_observation == ALL_DIMENSIONS:
            flat[obs_key] = observation
            continue
        key = ":".join(str(positions[name].index(row[name])) for name in series_dims)
        entry = series.setdefault(key, {"attributes": [], "observations": {}})
        if message.with_observations:
            entry["observations"][obs_key] = observation
    urn = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={AGENCY}:{message.flow.id}({VERSION})"
    dataset: dict[str, Any] = {"structure": 0, "action": "Information", "links": [{"rel": "dataflow", "urn": urn}]}
    dataset |= {"observations": flat} if message.at_observation == ALL_DIMENSIONS else {"series": series}
    document = {
        "meta": {
            "schema": JSON_SCHEMA,
            "id": message.message_id,
            "test": False,
            "prepared": message.prepared.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "contentLanguages": ["en"],
            "sender": {"id": AGENCY, "name": "Drug Observatory"},
        },
        "data": {"structures": [_structure(message, positions, attributes, rows)], "dataSets": [dataset]},
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=False).encode("utf-8")


def _values(rows: list[dict[str, Any]], name: str) -> list[Any]:
    seen: dict[Any, None] = {}
    for row in rows:
        value = row.get(name)
        if value is not None:
            seen.setdefault(number(value) if isinstance(value, float) else value, None)
    return list(seen)


def _index(values: list[Any], value: Any) -> int | None:
    if value is None:
        return None
    return values.index(number(value) if isinstance(value, float) else value)


def _number_or_none(value: Any) -> float | int | None:
    text = number(value)
    if text is None:
        return None
    as_float = float(text)
    return int(as_float) if as_float.is_integer() else as_float


def _attribute_value(name: str, value: Any) -> dict[str, Any]:
    if name == "OBS_STATUS":
        return {"id": value, "name": obs_status_codes().get(value, value)}
    return {"value": value}


def _structure(
    message: DataMessage, positions: dict[str, list[Any]], attributes: list[str], rows: list[dict[str, Any]]
) -> dict[str, Any]:
    labels: dict[str, dict[str, str]] = {}
    for row in rows:
        for name in message.dimensions:
            labels.setdefault(name, {})[row[name]] = row.get(f"{name}_LABEL") or row[name]

    def dimension(name: str, position: int) -> dict[str, Any]:
        values = [{"id": code, "name": labels.get(name, {}).get(code, code)} for code in positions[name]]
        return {"id": name, "name": ATTRIBUTE_NAMES.get(name, name), "keyPosition": position, "values": values}

    order = list(message.dimensions)
    urn = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={AGENCY}:{message.flow.id}({VERSION})"
    return {
        "links": [{"rel": "dataflow", "urn": urn}],
        "name": message.flow.name,
        "dimensions": {
            "dataSet": [],
            "series": [dimension(name, order.index(name)) for name in message.series_dimensions],
            "observation": [dimension(name, order.index(name)) for name in message.observation_dimensions],
        },
        "measures": {"observation": [{"id": "OBS_VALUE", "name": ATTRIBUTE_NAMES["OBS_VALUE"]}]},
        "attributes": {
            "dataSet": [],
            "series": [],
            "observation": [
                {
                    "id": name,
                    "name": ATTRIBUTE_NAMES[name],
                    "relationship": {"observation": {}},
                    "values": [_attribute_value(name, value) for value in positions[name]],
                }
                for name in attributes
            ],
        },
    }
