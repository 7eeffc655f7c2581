"""The UNODC programmes of the seed publication: read from ``programmes.csv``, checked, kept in the store."""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.errors import BadInput, NotFound, SourceFileError
from observatory.policy import vocabulary
from observatory.reference import sdg
from observatory.store.engine import transaction
from observatory.store.policy_schema import Programme

PROGRAMMES_FILE = vocabulary.POLICY_DATA / "programmes.csv"
COLUMNS = ("code", "name", "chapters", "sdg_targets", "sdg_goals", "countries", "seed_pages", "description")
SEED = "UNODC (2018) People at the centre: UNODC support for UNGASS 2016 on the world drug problem"
SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class ProgrammeRecord:
    code: str
    name: str
    chapters: tuple[int, ...]
    sdg_targets: tuple[str, ...]
    sdg_goals: tuple[str, ...]
    countries: tuple[str, ...]
    description: str
    source: str


def read_programmes(path: Path = PROGRAMMES_FILE) -> tuple[ProgrammeRecord, ...]:
    """Every row checked (chapters, SDG codes, ISO3 codes, unique codes); any problem fails the whole file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(enumerate(reader, start=2))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise SourceFileError(f"{path}: missing column(s) {missing}", [{"file": str(path), "row": 1}])
    records: list[ProgrammeRecord] = []
    for number, row in rows:
        try:
            records.append(_record(row))
        except BadInput as error:
            raise SourceFileError(
                f"{path}: row {number}: {error.message}",
                [{"file": str(path), "row": number, **d} for d in error.details],
            ) from None
    codes = [record.code for record in records]
    if len(set(codes)) != len(codes):
        raise SourceFileError(f"{path}: programme codes repeat", [{"file": str(path), "codes": codes}])
    return tuple(records)


def _record(row: dict[str, str]) -> ProgrammeRecord:
    if not row["code"].strip() or not row["name"].strip() or not row["description"].strip():
        raise BadInput("code, name and description are required", [{"code": row["code"]}])
    chapters = tuple(_chapter(part) for part in _parts(row["chapters"]))
    if not chapters:
        raise BadInput("a programme needs at least one chapter", [{"column": "chapters"}])
    return ProgrammeRecord(
        code=row["code"].strip(),
        name=row["name"].strip(),
        chapters=chapters,
        sdg_targets=tuple(vocabulary.sdg_target_code(part) for part in _parts(row["sdg_targets"])),
        sdg_goals=tuple(sdg.goal(part).code for part in _parts(row["sdg_goals"])),
        countries=tuple(vocabulary.country(part).iso3 for part in _parts(row["countries"])),
        description=row["description"].strip(),
        source=f"{SEED}, pp. {row['seed_pages'].strip()}",
    )


def _chapter(text: str) -> int:
    if not text.isdigit():
        raise BadInput(f"chapter {text!r} is not a number", [{"column": "chapters", "value": text}])
    return vocabulary.chapter_number(int(text))


def _parts(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def load_programmes(session: Session, records: tuple[ProgrammeRecord, ...]) -> int:
    """Insert or update each programme by code; returns how many were written."""
    existing = {programme.code: programme for programme in session.scalars(select(Programme))}
    for record in records:
        programme = existing.get(record.code) or Programme(code=record.code)
        programme.name = record.name
        programme.chapters = list(record.chapters)
        programme.sdg_targets = list(record.sdg_targets)
        programme.sdg_goals = list(record.sdg_goals)
        programme.countries = list(record.countries)
        programme.description = record.description
        programme.source = record.source
        session.add(programme)
    return len(records)


def programmes(engine: Engine, chapter: int | None = None, country: str | None = None) -> list[dict[str, Any]]:
    with transaction(engine) as session:
        rows = [as_dict(programme) for programme in session.scalars(select(Programme).order_by(Programme.code))]
    if chapter is not None:
        rows = [row for row in rows if vocabulary.chapter_number(chapter) in row["chapters"]]
    if country is not None:
        iso3 = vocabulary.country(country).iso3
        rows = [row for row in rows if iso3 in row["countries"]]
    return rows


def programme(engine: Engine, code: str) -> dict[str, Any]:
    with transaction(engine) as session:
        found = session.scalar(select(Programme).where(Programme.code == code))
        if found is None:
            raise NotFound(f"no programme {code!r}", [{"field": "code", "value": code}])
        return as_dict(found)


def as_dict(programme: Programme) -> dict[str, Any]:
    return {
        "code": programme.code,
        "name": programme.name,
        "chapters": programme.chapters,
        "sdg_targets": programme.sdg_targets,
        "sdg_goals": programme.sdg_goals,
        "countries": programme.countries,
        "description": programme.description,
        "source": programme.source,
    }
