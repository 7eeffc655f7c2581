"""Publication: what the observatory gives reusers to take away — SDMX, downloads and citable releases.

    from observatory.publication import current, answer, choose_format, parse_key, build_release

    published = current(analytics_store)              # publication tables + SDMX structures, public view only
    fmt = choose_format("csv", None)                  # or from an Accept header
    flow_ = flow("ANNUAL_SEIZURES")
    body = answer(published.tables, flow_.id, DataQuery(parse_key(flow_, "A.COL+PER...")), fmt,
                  prepared=published.prepared)
    made = build_release(engine, analytics_store, settings.var_dir)   # <var>/releases/2026.1/

Modules: ``flows`` (dataflows from the declarations), ``codelists`` and ``structures`` (sdmx1 model, SDMX-ML
structure messages and queries), ``table`` (publication tables), ``keys`` (REST key and period syntax),
``data_xml`` and ``data_text`` (Generic / Structure-Specific SDMX-ML 2.1, SDMX-CSV 2.0, SDMX-JSON 2.0),
``obs_status`` (SDMX CL_OBS_STATUS: zero, missing and not applicable kept apart), ``downloads`` (CSV, Parquet,
XLSX), ``releases`` and ``release_files`` (frozen vintages, Data Package, CSVW, CITATION.cff, DCAT-AP).
"""

from observatory.publication.catalogue import Published, current
from observatory.publication.downloads import DOWNLOADS, download
from observatory.publication.flows import Flow, UnknownFlow, flow, flows
from observatory.publication.keys import DataQuery, SdmxSyntaxError, parse_key, parse_period
from observatory.publication.obs_status import obs_status, obs_status_codes
from observatory.publication.release_files import dcat_catalog
from observatory.publication.releases import (
    NothingPublished,
    Release,
    UnknownRelease,
    build_release,
    list_releases,
    release,
    release_published,
    verify_release,
)
from observatory.publication.sdmx_data import FORMATS, NoResults, TooLarge, answer, choose_format
from observatory.publication.structures import StructureQuery, query_structures, structure_xml

__all__ = [
    "DOWNLOADS",
    "FORMATS",
    "DataQuery",
    "Flow",
    "NoResults",
    "NothingPublished",
    "Published",
    "Release",
    "SdmxSyntaxError",
    "StructureQuery",
    "TooLarge",
    "UnknownFlow",
    "UnknownRelease",
    "answer",
    "build_release",
    "choose_format",
    "current",
    "dcat_catalog",
    "download",
    "flow",
    "flows",
    "list_releases",
    "obs_status",
    "obs_status_codes",
    "parse_key",
    "parse_period",
    "query_structures",
    "release",
    "release_published",
    "structure_xml",
    "verify_release",
]
