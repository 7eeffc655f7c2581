"""Bulk intake of event files from laboratories and drug-checking services: one CSV file, one report.

    from observatory.ewa.intake import import_events
    report = import_events(engine, data, kind="drug-checking", mapping="auto", dry_run=True)
    report["rows"], report["new_events"], report["matched_existing"], report["unresolved_rows"]

The file is read whole and checked before anything is written; the new events, their substances and the
source go into the store in one transaction (nothing is half-written), and a dry run writes nothing. Columns
are mapped by ``auto`` (only certain headers) or a YAML mapping (:mod:`~observatory.ewa.intake.mapping`); names
resolve through the registry, curated aliases and the out-of-scope list (:mod:`~observatory.ewa.intake.names`);
dates keep their precision; samples the store holds already are matched, not duplicated
(:mod:`~observatory.ewa.intake.matching`).
"""

import csv
import io
from typing import Any

from sqlalchemy import Engine

from observatory.errors import BadInput
from observatory.ewa.events.model import EventKind
from observatory.ewa.events.recording import write_events, write_sources, write_substances
from observatory.ewa.events.sources import REPORTED, event_source, event_sources
from observatory.ewa.intake.mapping import Mapping, auto_mapping, file_mapping
from observatory.ewa.intake.matching import known_samples
from observatory.ewa.intake.names import name_resolver
from observatory.ewa.intake.samples import normal_url, read_samples
from observatory.store.engine import transaction

KINDS = {
    "drug-checking": EventKind.DRUG_CHECKING,
    "toxicology": EventKind.TOXICOLOGY,
    "seizure-lab": EventKind.FORENSIC_SAMPLE,
    "first-identification": EventKind.FIRST_IDENTIFICATION,
}
MAX_BYTES = 50_000_000
ACTOR = "observatory ewa import"

__all__ = ["KINDS", "import_events"]


def import_events(
    engine: Engine,
    data: bytes,
    *,
    kind: str,
    source: str | None = None,
    mapping: str = "auto",
    dry_run: bool = False,
    actor: str = ACTOR,
) -> dict[str, Any]:
    """Import the CSV ``data``; ``mapping`` is "auto" or the text of a YAML mapping. The report holds ``rows``,
    ``samples``, ``new_events``, ``matched_existing`` (and how), ``unresolved_rows``, ``unresolved`` names with
    suggestions, ``unknown_columns`` with suggestions, ``bad_dates`` and ``written``. ``BadInput`` for an unknown
    kind or source, a file that is not CSV text, or a mapping that does not fit. Without ``source``, the source
    whose web site most of the file's URLs are on, else events reported to the network (``reported``)."""
    if kind not in KINDS:
        raise BadInput(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", [{"parameter": "kind", "value": kind}])
    headers, rows = _read(data)
    columns = auto_mapping(headers) if mapping == "auto" else file_mapping(headers, mapping)
    source = event_source(source).key if source else infer_source(columns, rows)
    names = name_resolver()
    samples = read_samples(rows, columns, source, KINDS[kind], names)
    with transaction(engine) as session:
        known = known_samples(session, source)
        matches = [(event, known.match(event)) for event in samples.events]
        fresh = [event for event, match in matches if match is None]
        if not dry_run:
            write_sources(session, [event_source(source)])
            write_substances(session, samples.substances.values())
            write_events(session, fresh, actor)
    how: dict[str, int] = {}
    for _, match in matches:
        if match is not None:
            how[match[0]] = how.get(match[0], 0) + 1
    unresolved = [r for r in names.resolved.values() if r.how == "unresolved"]
    return {
        "source": source,
        "rows": len(rows),
        "samples": len(samples.events),
        "new_events": len(fresh),
        "matched_existing": sum(how.values()),
        "matched_by": how,
        "unresolved_rows": len(samples.unresolved_rows),
        "unresolved": [{"name": r.name, "suggestions": list(r.suggestions)} for r in unresolved],
        "resolved_by": dict(samples.resolved_by),
        "unknown_columns": list(columns.unknown),
        "mapping": _mapping_view(columns),
        "bad_dates": samples.bad_dates[:50],
        "samples_without_substance": samples.without_substance,
        "countries": sorted({event.country for event in samples.events if event.country}),
        "dry_run": dry_run,
        "written": 0 if dry_run else len(fresh),
    }


def infer_source(mapping: Mapping, rows: list[dict[str, str]]) -> str:
    """The event source whose site at least half of the rows' URLs are on; else ``reported``."""
    urls = [normal_url(mapping.value("url", row)) for row in rows if mapping.value("url", row)]
    for key, candidate in event_sources().items():
        site = normal_url(candidate.url).split("/", 1)[0] if candidate.url else ""
        if site and urls and sum(url.startswith(site) for url in urls) * 2 >= len(rows):
            return key
    return REPORTED


def _read(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    if len(data) > MAX_BYTES:
        raise BadInput(f"the file has {len(data):,} bytes; at most {MAX_BYTES:,}", [{"parameter": "file"}])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"the file is not UTF-8 text: {error.reason} at byte {error.start}", [{"parameter": "file"}]
        ) from error
    if "\x00" in text:
        raise BadInput("the file is not CSV text (it holds NUL characters)", [{"parameter": "file"}])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [header for header in reader.fieldnames or [] if header]
    if not headers:
        raise BadInput("the file has no header row", [{"parameter": "file"}])
    return headers, [{key: value or "" for key, value in row.items() if key} for row in reader]


def _mapping_view(mapping: Mapping) -> dict[str, str]:
    return dict(mapping.columns)
