"""SDMX REST 2.1 data queries: the series key, the periods and the observation limits, applied to a publication table.

The key has one part per key dimension, separated by ``.``; a part lists codes joined by ``+`` (OR), an empty part
is a wildcard, and the key ``all`` (or none) is everything. ``A.COL+PER...`` on a flow of five dimensions asks for
Colombia or Peru, every value of the other three. A key of the wrong length or with a character an SDMX id cannot
hold is a syntax error (400), like a period that is not a year (``2023``, ``2023-01``, ``2023-01-01`` or
``2023-A1``) or an ``updatedAfter`` that is not a date.
"""

import re
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from observatory.errors import BadInput
from observatory.publication.flows import TIME_PERIOD, Flow

_CODE = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_PERIOD = re.compile(r"^(\d{4})(?:-A1|-\d{2}(?:-\d{2})?|-[QS]\d|-W\d{2})?$")
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")


class SdmxSyntaxError(BadInput):
    code = "sdmx-syntax"


@dataclass(frozen=True, slots=True)
class DataQuery:
    """A parsed data query: per key dimension the codes asked for (None: any), the years, and the limits."""

    parts: tuple[frozenset[str] | None, ...]
    start: int | None = None
    end: int | None = None
    first_n: int | None = None
    last_n: int | None = None
    detail: str = "full"
    updated_after: datetime | None = None
    #: With ``updated_after``: the SOURCE_DETAIL values of the submissions received after it (``updates``).
    updated_sources: frozenset[str] | None = None


def parse_key(flow: Flow, key: str | None) -> tuple[frozenset[str] | None, ...]:
    """The codes each key dimension is restricted to, or ``SdmxSyntaxError`` naming the part at fault."""
    size = len(flow.key_dimensions)
    if key is None or key in ("", "all"):
        return (None,) * size
    parts = key.split(".")
    if len(parts) != size:
        raise SdmxSyntaxError(
            f"the key {key!r} has {len(parts)} part(s); {flow.id} has {size} key dimensions: "
            f"{'.'.join(flow.key_dimensions)}",
            [{"parameter": "key", "value": key, "dimensions": list(flow.key_dimensions)}],
        )
    parsed: list[frozenset[str] | None] = []
    for dimension, part in zip(flow.key_dimensions, parts, strict=True):
        if part == "":
            parsed.append(None)
            continue
        codes = part.split("+")
        bad = [code for code in codes if not _CODE.match(code)]
        if bad:
            raise SdmxSyntaxError(
                f"the key part {part!r} of {dimension} is not a list of codes joined by '+'",
                [{"parameter": "key", "dimension": dimension, "value": part}],
            )
        parsed.append(frozenset(codes))
    return tuple(parsed)


def parse_period(name: str, text: str | None) -> int | None:
    """The year a ``startPeriod`` or ``endPeriod`` names (observations are yearly)."""
    if text is None or text == "":
        return None
    found = _PERIOD.match(text)
    if found is None:
        raise SdmxSyntaxError(
            f"{name} {text!r} is not an SDMX period (2023, 2023-A1, 2023-01, 2023-01-01, 2023-Q1...)",
            [{"parameter": name, "value": text}],
        )
    return int(found.group(1))


def parse_updated_after(text: str | None) -> datetime | None:
    if text is None or text == "":
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise SdmxSyntaxError(
            f"updatedAfter {text!r} is not an ISO 8601 date or time", [{"parameter": "updatedAfter", "value": text}]
        ) from exc


def parse_detail(text: str | None) -> str:
    detail = text or "full"
    if detail not in DETAILS:
        raise SdmxSyntaxError(
            f"detail {detail!r} is not one of {', '.join(DETAILS)}", [{"parameter": "detail", "value": detail}]
        )
    return detail


def select(flow: Flow, table: pa.Table, query: DataQuery) -> pa.Table:
    """The rows of ``table`` the query asks for, with the first/last N observations of each series."""
    mask = pa.array([True] * table.num_rows, pa.bool_())
    for dimension, codes in zip(flow.key_dimensions, query.parts, strict=True):
        if codes is not None:
            mask = pc.and_(mask, pc.is_in(table[dimension], pa.array(sorted(codes), pa.string())))
    years = pc.cast(table[TIME_PERIOD], pa.int32())
    if query.start is not None:
        mask = pc.and_(mask, pc.greater_equal(years, query.start))
    if query.end is not None:
        mask = pc.and_(mask, pc.less_equal(years, query.end))
    if query.updated_sources is not None:
        mask = pc.and_(mask, pc.is_in(table["SOURCE_DETAIL"], pa.array(sorted(query.updated_sources), pa.string())))
    chosen = table.filter(mask)
    if query.first_n is None and query.last_n is None:
        return chosen
    return _limited(flow, chosen, query.first_n, query.last_n)


def _limited(flow: Flow, table: pa.Table, first_n: int | None, last_n: int | None) -> pa.Table:
    """Per series (rows are sorted by key, then period), its first ``first_n`` and last ``last_n`` observations."""
    keys = list(zip(*(table[name].to_pylist() for name in flow.key_dimensions), strict=True))
    keep: list[int] = []
    start = 0
    while start < len(keys):
        end = start
        while end < len(keys) and keys[end] == keys[start]:
            end += 1
        indices = list(range(start, end))
        wanted = set(indices[: first_n or 0]) | set(indices[len(indices) - (last_n or 0) :] if last_n else [])
        keep += sorted(wanted)
        start = end
    return table.take(pa.array(keep, pa.int64()))
