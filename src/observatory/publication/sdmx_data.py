"""Answer an SDMX data query: the flow, the key and the parameters in; a written message and its media type out.

Formats, by name (``format=``) or media type (``Accept``):

    genericdata          application/vnd.sdmx.genericdata+xml;version=2.1     (the default; also application/xml)
    structurespecificdata application/vnd.sdmx.structurespecificdata+xml;version=2.1
    csv                  application/vnd.sdmx.data+csv;version=2.0.0          (also text/csv)
    json                 application/vnd.sdmx.data+json;version=2.0.0         (also application/json)

A query that selects nothing is ``NoResults`` (404); one over ``limit`` observations is ``TooLarge`` (413).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from observatory.errors import BadInput, NotFound, ObservatoryError
from observatory.publication.data_text import CSV_TYPE, JSON_TYPE, sdmx_csv, sdmx_json
from observatory.publication.data_xml import GENERIC_TYPE, SPECIFIC_TYPE, generic_xml, structure_specific_xml
from observatory.publication.flows import TIME_PERIOD, flow
from observatory.publication.keys import DataQuery, select
from observatory.publication.messages import DataMessage

#: The most observations one answer holds; ask for less with a key, periods or firstNObservations.
MAX_OBSERVATIONS = 250_000
STRUCTURE_TYPE = "application/vnd.sdmx.structure+xml;version=2.1"


class NoResults(NotFound):
    code = "no-results"


class TooLarge(ObservatoryError):
    status = 413
    code = "too-large"


class UnknownFormat(BadInput):
    code = "unknown-format"


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    media_type: str
    write: Callable[[DataMessage], bytes]
    aliases: tuple[str, ...] = ()


FORMATS = (
    Format("genericdata", GENERIC_TYPE, generic_xml, ("application/xml", "text/xml", "generic")),
    Format("structurespecificdata", SPECIFIC_TYPE, structure_specific_xml, ("structurespecific",)),
    Format("csv", CSV_TYPE, sdmx_csv, ("text/csv", "sdmx-csv")),
    Format("csvlabels", CSV_TYPE, lambda message: sdmx_csv(message, labels="both"), ()),
    Format("json", JSON_TYPE, sdmx_json, ("application/json", "sdmx-json")),
)


def choose_format(format_name: str | None, accept: str | None) -> Format:
    """The format ``format=`` names, else the first ``Accept`` entry we write, else Generic SDMX-ML."""
    if format_name:
        for candidate in FORMATS:
            if format_name in (candidate.name, *candidate.aliases):
                return candidate
        names = [candidate.name for candidate in FORMATS]
        raise UnknownFormat(
            f"unknown format {format_name!r}; accepted: {', '.join(names)}",
            [{"parameter": "format", "value": format_name, "accepted": names}],
        )
    for entry in _accepted(accept or ""):
        for candidate in FORMATS:
            if entry == _bare(candidate.media_type) or entry in candidate.aliases:
                return candidate
    return FORMATS[0]


def _accepted(accept: str) -> list[str]:
    """The media types of an Accept header, best first, with their version parameter kept."""
    entries: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        pieces = [piece.strip() for piece in part.split(";") if piece.strip()]
        if not pieces:
            continue
        quality = 1.0
        kept = [pieces[0].lower()]
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                quality = _quality(value)
            else:
                kept.append(f"{name.strip().lower()}={value.strip()}")
        entries.append((-quality, position, ";".join(kept)))
    return [entry for _, _, entry in sorted(entries)]


def _quality(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def _bare(media_type: str) -> str:
    return media_type.lower().replace(" ", "")


def answer(
    tables: Mapping[str, pa.Table],
    flow_name: str,
    query: DataQuery,
    chosen: Format,
    *,
    prepared: datetime,
    at_observation: str = TIME_PERIOD,
    vintage: str | None = None,
    limit: int = MAX_OBSERVATIONS,
) -> bytes:
    """The data message answering ``query`` on ``flow_name``, written in ``chosen``."""
    found = flow(flow_name)
    message = DataMessage(found, tables[found.id], prepared, at_observation, query.detail, vintage)
    selected = select(found, message.table, query)
    if selected.num_rows == 0:
        raise NoResults(f"no observations of {found.id} match the query", [{"dataflow": found.id}])
    if selected.num_rows > limit:
        raise TooLarge(
            f"the query selects {selected.num_rows} observations, more than the {limit} one answer holds; "
            "narrow the key or the periods",
            [{"observations": selected.num_rows, "limit": limit}],
        )
    chosen_message = DataMessage(found, selected, prepared, at_observation, query.detail, vintage)
    return chosen.write(chosen_message)
