"""The metadata files of a release: the Frictionless Data Package, CSVW metadata, CITATION.cff and the DCAT-AP entry.

``datapackage.json`` lists a resource per data set CSV and per codelist CSV; each data set's schema types its fields,
restricts OBS_STATUS to the SDMX codes (an enum) and points every coded dimension at its codelist resource (a
foreign key), so that ``frictionless validate`` finds a broken code or flag.
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pyarrow as pa

from observatory.publication.downloads import LICENCE
from observatory.publication.flows import TIME_PERIOD, Flow, flows
from observatory.publication.obs_status import obs_status_codes

SITE = "Drug Observatory"
_TYPES = {pa.float64(): "number", pa.string(): "string"}


def resource_name(identifier: str) -> str:
    return identifier.lower().replace("_", "-")


def _fields(flow: Flow, table: pa.Table) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    for column in table.schema:
        field: dict[str, Any] = {"name": column.name, "type": _TYPES.get(column.type, "string")}
        if column.name in (*flow.key_dimensions, TIME_PERIOD):
            field["constraints"] = {"required": True}
        if column.name == "OBS_STATUS":
            field["constraints"] = {"required": True, "enum": sorted(obs_status_codes())}
        fields.append(field)
    return fields


def datapackage(
    version: str, created: datetime, tables: Mapping[str, pa.Table], codelist_files: Mapping[str, str]
) -> bytes:
    resources: list[dict[str, Any]] = []
    for identifier, table in tables.items():
        flow = flows()[identifier]
        keys = [
            {"fields": dimension.id, "reference": {"resource": resource_name(dimension.codelist), "fields": "id"}}
            for dimension in flow.dimensions
        ]
        resources.append(
            {
                "name": resource_name(identifier),
                "path": f"data/{flow.dataset}.csv",
                "title": flow.name,
                "description": flow.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "sources": [{"title": flow.source or SITE}],
                "schema": {
                    "fields": _fields(flow, table),
                    "primaryKey": [*flow.key_dimensions, TIME_PERIOD],
                    "foreignKeys": keys,
                },
            }
        )
    for identifier, path in codelist_files.items():
        resources.append(
            {
                "name": resource_name(identifier),
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
                        {"name": "name", "type": "string"},
                        {"name": "parent", "type": "string"},
                    ],
                    "primaryKey": ["id"],
                },
            }
        )
    package = {
        "name": "drug-observatory",
        "title": f"{SITE} data release {version}",
        "version": version,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [{"name": LICENCE, "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": sorted(
            ({"title": flow.source} for flow in flows().values() if flow.source), key=lambda s: s["title"]
        ),
        "resources": resources,
    }
    return _json(package)


def csvw(flow: Flow, table: pa.Table) -> bytes:
    columns = [
        {"name": column.name, "titles": column.name, "datatype": "double" if column.type == pa.float64() else "string"}
        for column in table.schema
    ]
    document = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": f"{flow.dataset}.csv",
        "dc:title": flow.name,
        "dc:license": LICENCE,
        "tableSchema": {"columns": columns, "primaryKey": [*flow.key_dimensions, TIME_PERIOD]},
    }
    return _json(document)


def citation(version: str, created: datetime) -> bytes:
    text = (
        "cff-version: 1.2.0\n"
        "message: If you use these data, please cite this release.\n"
        "type: dataset\n"
        f'title: "{SITE} data release {version}"\n'
        f'version: "{version}"\n'
        f"date-released: {created.strftime('%Y-%m-%d')}\n"
        f"license: {LICENCE}\n"
        "authors:\n"
        f'  - name: "{SITE}"\n'
    )
    return text.encode("utf-8")


def dcat_catalog(site_url: str, releases: list[dict[str, Any]]) -> dict[str, Any]:
    """A DCAT-AP catalogue (JSON-LD) of the releases, newest first."""
    base = site_url.rstrip("/")
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
        "@type": "dcat:Catalog",
        "dct:title": f"{SITE} data releases",
        "dct:license": LICENCE,
        "dcat:dataset": [
            {
                "@id": f"{base}/releases/{release['version']}/",
                "@type": "dcat:Dataset",
                "dct:title": f"{SITE} data release {release['version']}",
                "dct:issued": release["created_at"],
                "dcat:version": release["version"],
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": f"{base}/releases/{release['version']}/datapackage.json",
                        "dcat:mediaType": "application/json",
                    }
                ],
            }
            for release in releases
        ],
    }


def _json(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
