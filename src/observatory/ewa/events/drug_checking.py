"""Drug-checking results from the EcstasyData pill tests: one event per tested sample, with every substance found.

The file has one row per sample and substance (``pill_id`` repeats). A sample flagged as sold as ecstasy is
recorded as sold as MDMA (``drug_checking.toml``), and as misrepresented when it held anything else or no MDMA.
Findings that are not substances ("None detected", "Trace detected") go into the event's note. The testing
service ("DanceSafe", "SaferParty.ch") is the event's reporter.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from observatory.errors import SourceFileError
from observatory.ewa.chemistry.data_files import entry_error, read_toml
from observatory.ewa.events.batch import Batch
from observatory.ewa.events.model import DatePrecision, EventKind, Found, NewEvent
from observatory.ewa.events.places import country_of, place_within
from observatory.ewa.events.sources import DRUG_CHECKING, EVENT_DATA
from observatory.ewa.events.substances import SubstanceEntry, reported_entry
from observatory.reference.substances.source_files import read_csv

COLUMNS = (
    "pill_id",
    "date",
    "name",
    "sold_as_ecstasy",
    "source",
    "location",
    "latitude",
    "longitude",
    "url",
    "substance",
    "substance_percentage",
)


@dataclass(frozen=True, slots=True)
class DrugCheckingConfig:
    file: Path
    source: str
    sold_as_ecstasy: str
    not_substances: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)


@cache
def drug_checking_config(path: Path = DRUG_CHECKING) -> DrugCheckingConfig:
    table = read_toml(path)
    try:
        return DrugCheckingConfig(
            file=EVENT_DATA / str(table["file"]),
            source=str(table["source"]),
            sold_as_ecstasy=str(table["sold_as_ecstasy"]),
            not_substances=frozenset(str(name) for name in table["not_substances"]),
            aliases={str(name): str(alias) for name, alias in table.get("aliases", {}).items()},
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise entry_error(path, "top level", f"bad or missing field ({error})") from error


def drug_checking_batch(config: DrugCheckingConfig | None = None) -> Batch:
    config = config or drug_checking_config()
    samples: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(config.file, COLUMNS):
        samples[row["pill_id"]].append(row)
    batch = Batch(config.source)
    expected = batch.add_substance(reported_entry(config.sold_as_ecstasy))
    entries: dict[str, SubstanceEntry] = {}
    for pill, rows in samples.items():
        event = _event(pill, rows, config, expected, batch, entries)
        if event is None:
            batch.skipped["unreadable date"] += 1
        else:
            batch.events.append(event)
    return batch


def _event(
    pill: str,
    rows: list[dict[str, str]],
    config: DrugCheckingConfig,
    expected: str,
    batch: Batch,
    entries: dict[str, SubstanceEntry],
) -> NewEvent | None:
    first = rows[0]
    try:
        day = date.fromisoformat(first["date"].strip())
    except ValueError:
        return None
    found, findings = _found(rows, config, batch, entries)
    sold_as = config.sold_as_ecstasy if first["sold_as_ecstasy"].strip() == "1" else None
    keys = {item.key for item in found}
    notes = [f"sold under the name {first['name'].strip()!r}"] if first["name"].strip() else []
    notes += [f"also reported: {', '.join(findings)}"] if findings else []
    url = first["url"].strip()
    return NewEvent(
        source=config.source,
        record=pill,
        kind=EventKind.DRUG_CHECKING,
        occurred_on=day,
        found=found,
        country=country_of(first["location"]),
        date_precision=DatePrecision.DAY,
        place=place_within(first["location"]),
        latitude=_number(first["latitude"]),
        longitude=_number(first["longitude"]),
        sold_as=sold_as,
        misrepresented=None if sold_as is None else keys != {expected},
        reporter=first["source"].strip() or None,
        note="; ".join(notes) or None,
        url=f"https://{url}" if url and not url.startswith("http") else url or None,
    )


def _found(
    rows: list[dict[str, str]], config: DrugCheckingConfig, batch: Batch, entries: dict[str, SubstanceEntry]
) -> tuple[tuple[Found, ...], list[str]]:
    shares: dict[str, float | None] = {}
    names: dict[str, str] = {}
    findings: list[str] = []
    for row in rows:
        name = row["substance"].strip()
        if not name or name in config.not_substances:
            findings += [name] if name else []
            continue
        if name not in entries:
            entries[name] = _resolved(name)
        key = batch.add_substance(entries[name])
        share = _number(row["substance_percentage"])
        previous = shares.get(key)
        shares[key] = share if previous is None else previous + (share or 0.0)
        names.setdefault(key, name)
    return tuple(Found(key, names[key], shares[key]) for key in shares), findings


def _resolved(name: str) -> SubstanceEntry:
    """The substance the intake's resolver names (registry, curated aliases, out-of-scope list), so that a file
    loaded here and its other publications imported with ``ewa import`` name the same substances."""
    from observatory.ewa.intake.names import shared_resolver

    resolution = shared_resolver().resolve(name)
    return resolution.entry if resolution.entry is not None else reported_entry(name)


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError as error:
        raise SourceFileError(f"{text!r} is not a number", [{"value": text}]) from error
