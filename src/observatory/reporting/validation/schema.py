"""The schema check: each cell typed under its field, within its bounds, in its vocabulary, present if required."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from observatory.reporting.declaration import Declaration, Field, ValueType
from observatory.reporting.readers.records import Record
from observatory.reporting.validation.cells import Invalid, is_plain_period, typed
from observatory.reporting.validation.problems import Problem, problem
from observatory.reporting.validation.typed_records import Checked
from observatory.reporting.validation.vocabularies import Known, lookup
from observatory.reporting.values import Meaning, Missing, MissingReason, Observed, Period, Value, is_reported, number


@dataclass(frozen=True, slots=True)
class Schema:
    """A declaration's fields with their spellings of "no value" (compared without case), built once per check."""

    fields: tuple[Field, ...]
    markers: Mapping[str, Mapping[str, Meaning]]
    years: tuple[str, ...]

    @classmethod
    def of(cls, declaration: Declaration) -> "Schema":
        markers = {
            field.id: {
                marker.strip().casefold(): meaning
                for marker, meaning in (field.missing_values or declaration.missing_values).items()
            }
            for field in declaration.all_fields()
        }
        years = tuple(field.id for field in declaration.dimensions if field.type is ValueType.YEAR)
        return cls(declaration.all_fields(), markers, years)


def check_record(schema: Schema, record: Record, problems: list[Problem]) -> Checked:
    """``record`` typed under ``schema``; every problem found is appended to ``problems``."""
    values: dict[str, Value] = {}
    codes: dict[str, str] = {}
    for field in schema.fields:
        if field.id not in record.cells:
            values[field.id] = Missing(MissingReason.NOT_COLLECTED)
            continue
        value = typed(field, record.cells[field.id], schema.markers[field.id], record.decimal)
        if isinstance(value, Invalid):
            problems.append(_invalid(record, field, value))
            continue
        values[field.id] = value
        problems.extend(_bounds(record, field, value))
    year = _year(schema, values)
    for field in schema.fields:
        if field.vocabulary is not None:
            problems.extend(_vocabulary(record, field, values, codes, year))
    problems.extend(_linked(record))
    return Checked(record, values, codes)


def _invalid(record: Record, field: Field, invalid: Invalid) -> Problem:
    cell = record.cells[field.id]
    return problem(invalid.code, record.positions.get(field.id), cell, invalid.message, invalid.suggestions)


def _bounds(record: Record, field: Field, value: Value) -> Iterator[Problem]:
    position, cell = record.positions.get(field.id), record.cells[field.id]
    if not is_reported(value):
        if field.required:
            yield problem("missing-value", position, cell, f"{field.title} is required. Write 0 if there was none.")
        elif field.recommended:
            yield problem("missing-recommended", position, cell, f"{field.title} should be given; please add it")
        return
    if isinstance(value, Observed) and isinstance(value.value, Period) and not is_plain_period(value.value):
        period = value.value
        read = f"{period.start}" if period.start == period.end else f"{period.start}–{period.end}"
        yield problem("imprecise-year", position, cell, f"{period.label!r} names several years; it is read as {read}")
    amount = number(value)
    if amount is None:
        return
    if field.min is not None and amount < field.min:
        code = "negative-quantity" if field.min == 0 else "out-of-range"
        yield problem(code, position, cell, f"{field.title} cannot be below {field.min:g}, but is {amount:,.10g}")
    if field.max is not None and amount > field.max:
        yield problem(
            "out-of-range", position, cell, f"{field.title} cannot be above {field.max:g}, but is {amount:,.10g}"
        )


def _vocabulary(
    record: Record, field: Field, values: dict[str, Value], codes: dict[str, str], year: int | None
) -> Iterator[Problem]:
    value = values.get(field.id)
    if field.vocabulary is None or not isinstance(value, Observed) or not isinstance(value.value, str):
        return
    known = lookup(field, value.value, year)
    position, cell = record.positions.get(field.id), record.cells[field.id]
    if isinstance(known, Known):
        codes[field.id] = known.code
        if known.caveat:
            yield problem("area-not-national", position, cell, f"{known.caveat}; it is kept apart from national totals")
        return
    del values[field.id]
    yield problem(known.code, position, cell, known.message, known.suggestions)


def _year(schema: Schema, values: dict[str, Value]) -> int | None:
    for name in schema.years:
        value = values.get(name)
        if isinstance(value, Observed) and isinstance(value.value, Period):
            return value.value.start
    return None


def _linked(record: Record) -> Iterator[Problem]:
    for field, formula in record.linked.items():
        yield problem(
            "external-link-value",
            record.positions.get(field),
            record.cells.get(field),
            f"the cell is a formula copying {formula} from another workbook; the value stored with the file may "
            "be out of date. Replace the formula by the value.",
        )
