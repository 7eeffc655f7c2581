"""Two published submissions never double a figure: a file holding cells that a published submission of the same
data set already holds (same country, year, dimensions and element, a value or a zero in both) must say that it
corrects that submission, or it is refused.

The report names each submission overlapped, how many cells, and the first of them; ``corrects`` exempts the
submission being corrected. The check runs after validation, over the values as they would be stored.
"""

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, select, tuple_

from observatory.reporting.declaration import Declaration, Severity
from observatory.reporting.observation_table import observation_rows
from observatory.reporting.validation.problems import Problem
from observatory.reporting.validation.run import Outcome
from observatory.reporting.workflow import Status
from observatory.store.reporting_schema import Observation
from observatory.store.schema import Submission

CODE = "overlapping-submission"
#: Cells named in the report per overlapped submission.
SHOWN = 5
#: States of a value that a figure adds (missing and not applicable add nothing, so they double nothing).
COUNTED = ("value", "zero")
Cell = tuple[str | None, int | None, tuple[Any, ...]]


def overlapping(engine: Engine, plan: Declaration, outcome: Outcome, corrects: int | None) -> list[Problem]:
    # Only the file's cells in a (country, year) that a published submission holds can overlap: the others are not
    # collected (a million-row file of new places would otherwise keep millions of cells in memory).
    places = _published_places(engine, plan, corrects)
    if not places:
        return []
    cells = set(_cells(plan, outcome, places))
    if not cells:
        return []
    held = _published(engine, plan, cells, corrects)
    return [_problem(submission, sorted(found, key=str)) for submission, found in sorted(held.items())]


def _key_fields(plan: Declaration) -> list[str]:
    return [field.id for field in plan.dimensions if field.id not in ("country", "year")]


def _published_places(engine: Engine, plan: Declaration, corrects: int | None) -> set[tuple[str | None, int | None]]:
    """The (country, year) pairs of which a published submission of ``plan`` holds a value or a zero."""
    query = (
        select(Observation.country_iso3, Observation.year)
        .join(Submission, Submission.id == Observation.submission_id)
        .where(
            Observation.dataset == plan.id,
            Observation.value_state.in_(COUNTED),
            Submission.status == str(Status.PUBLISHED),
        )
        .distinct()
    )
    if corrects is not None:
        query = query.where(Submission.id != corrects)
    with engine.connect() as connection:
        return {(country, year) for country, year in connection.execute(query)}


def _cells(plan: Declaration, outcome: Outcome, published: set[tuple[str | None, int | None]]) -> Iterator[Cell]:
    names = _key_fields(plan)
    for checked in outcome.checked():
        rows = observation_rows(plan, checked, 0)
        places = list(
            zip(
                rows.shared["country_iso3"].to_pylist(),
                rows.shared["year"].to_pylist(),
                rows.shared["dimensions"].to_pylist(),
                strict=True,
            )
        )
        for element in rows.elements:
            states = element["value_state"].to_pylist()
            for (country, year, dimensions), state, name in zip(
                places, states, element["element"].to_pylist(), strict=True
            ):
                if state in COUNTED and (country, year) in published:
                    parsed = json.loads(dimensions) if dimensions else {}
                    yield country, year, (name, *(parsed.get(field) for field in names))


def _published(engine: Engine, plan: Declaration, cells: set[Cell], corrects: int | None) -> dict[int, set[Cell]]:
    names = _key_fields(plan)
    places = {(country, year) for country, year, _ in cells}
    query = (
        select(
            Observation.submission_id,
            Observation.country_iso3,
            Observation.year,
            Observation.element,
            Observation.dimensions,
        )
        .join(Submission, Submission.id == Observation.submission_id)
        .where(
            Observation.dataset == plan.id,
            Observation.value_state.in_(COUNTED),
            Submission.status == str(Status.PUBLISHED),
            tuple_(Observation.country_iso3, Observation.year).in_(sorted(places, key=str)),
        )
    )
    if corrects is not None:
        query = query.where(Submission.id != corrects)
    found: dict[int, set[Cell]] = defaultdict(set)
    with engine.connect() as connection:
        for submission_id, country, year, element, dimensions in connection.execute(query):
            cell = (
                country,
                year,
                (element, *((dimensions or {}).get(name) for name in names)),
            )
            if cell in cells:
                found[submission_id].add(cell)
    return found


def _problem(submission: int, cells: list[Cell]) -> Problem:
    shown = "; ".join(
        f"{country} {year} {' / '.join(str(v) for v in rest if v)}" for country, year, rest in cells[:SHOWN]
    )
    return Problem(
        CODE,
        Severity.ERROR,
        None,
        None,
        submission,
        f"{len(cells):,} value(s) of this file are already published in submission {submission} (e.g. {shown}); "
        f"submit the file as a correction of submission {submission}, or leave those values out",
    )
