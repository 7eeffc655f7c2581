"""Reading a file through a mapping: the same records the declared layouts produce, from the provider's own layout.

``mapped_reading`` reads the file row by row, takes the header from the mapping's row, and for each row after it
builds the record the mapping describes: mapped columns, constants, markers read as missing (a blank cell, which
the data set's ``missing_values`` reads as not available), value maps applied, and in a wide table one record per
filled cell of the drug columns, converted to the value field's unit where the two are of one kind (grams to
kilograms). Rows the mapping marks as totals are not stored: they are compared with the sum of the other rows and
the report warns where they differ. Validation then runs unchanged over these records.
"""

import difflib
import math
from collections import defaultdict
from collections.abc import Iterator

from observatory.errors import BadInput
from observatory.reference.units import unit
from observatory.reporting.declaration import Declaration
from observatory.reporting.mapping.areas import unknown_areas
from observatory.reporting.mapping.hierarchy import DERIVED, placement
from observatory.reporting.mapping.model import BadMapping, FileMapping
from observatory.reporting.readers import Limits, Sheet, Source, SourceRow, reader_for
from observatory.reporting.readers.base import is_blank
from observatory.reporting.readers.layouts import header_key
from observatory.reporting.readers.reading import RecordReading
from observatory.reporting.readers.records import Bound, LayoutIssue, Position, Record
from observatory.reporting.validation.cells import Invalid
from observatory.reporting.validation.vocabularies import lookup
from observatory.reporting.workbook import Cell

#: Relative difference between a total row and the sum of its parts beyond which the report warns.
TOTAL_TOLERANCE = 0.005
LAYOUT_ID = "mapping"


def mapped_reading(
    data: bytes, name: str, declaration: Declaration, mapping: FileMapping, limits: Limits | None = None
) -> RecordReading:
    """``data`` read through ``mapping``; ``BadMapping`` if the mapping does not fit the data set or the file."""
    check_mapping(mapping, declaration)
    source = reader_for(data, name, limits).read(data, name)
    sheet = pick_sheet(source, mapping)
    headings = headings_of(sheet, mapping.header_row)
    columns = _locate(mapping, headings, name)
    return RecordReading(source, _bind(declaration, mapping, sheet, headings, columns))


def check_mapping(mapping: FileMapping, declaration: Declaration) -> None:
    """Refuse a mapping for another data set, or naming fields the data set does not declare."""
    if mapping.dataset != declaration.id:
        raise BadMapping(f"the mapping is for {mapping.dataset!r}, not {declaration.id!r}", [{"item": "dataset"}])
    known = {field.id for field in declaration.all_fields()}
    for item, field in _targets(mapping):
        if field not in known:
            raise BadMapping(
                f"the mapping's {item} names the field {field!r}, which {declaration.id} does not have; "
                f"its fields are {sorted(known)}",
                [{"item": item, "value": field, "accepted": sorted(known)}],
            )
    check_value_maps(mapping, declaration)


def check_value_maps(mapping: FileMapping, declaration: Declaration) -> None:
    """Refuse a value map whose target its field's vocabulary does not know, naming it."""
    for field_id, values in mapping.values.items():
        spec = declaration.field(field_id)
        if spec.vocabulary is None:
            continue
        for given, target in values.items():
            found = lookup(spec, target, None)
            if isinstance(found, Invalid):
                raise BadMapping(
                    f"the mapping maps {given!r} to {target!r} for {field_id}, which is not in its vocabulary: "
                    f"{found.message}",
                    [{"item": f"values.{field_id}.{given}", "value": target, "suggestions": list(found.suggestions)}],
                )


def _targets(mapping: FileMapping) -> Iterator[tuple[str, str]]:
    yield from ((f"columns.{heading}", field) for heading, field in mapping.columns.items())
    yield from ((f"constants.{field}", field) for field in mapping.constants)
    yield from ((f"values.{field}", field) for field in mapping.values)
    if mapping.wide is not None:
        yield "wide.value_field", mapping.wide.value_field
        for heading, column in mapping.wide.columns.items():
            yield from ((f"wide.columns.{heading}", field) for field in column.fields)
    if mapping.totals is not None:
        yield "totals.field", mapping.totals.field


def pick_sheet(source: Source, mapping: FileMapping) -> Sheet:
    if mapping.sheet is None:
        return source.sheets[0]
    found = source.sheet(mapping.sheet)
    if found is None:
        names = [sheet.name for sheet in source.sheets]
        raise BadMapping(f"the file has no sheet {mapping.sheet!r}; its sheets: {names}", [{"item": "sheet"}])
    return found


def headings_of(sheet: Sheet, header_row: int) -> tuple[str, ...]:
    """The texts of the header row (a format's own header, such as JSON keys, whatever the row number)."""
    if sheet.header is not None:
        return sheet.header
    row = next((row for row in sheet.rows if row.number == header_row), None)
    return tuple(cell_text(cell) for cell in row.cells) if row is not None else ()


def _locate(mapping: FileMapping, headings: tuple[str, ...], name: str) -> dict[str, int]:
    """Each heading the mapping reads → its column; ``BadMapping`` naming a heading the file lacks."""
    found: dict[str, int] = {}
    for column, heading in enumerate(headings):
        found.setdefault(header_key(heading), column)
    wanted = [*mapping.columns, *(mapping.wide.columns if mapping.wide else {})]
    located: dict[str, int] = {}
    for heading in wanted:
        key = header_key(heading)
        if key not in found:
            close = difflib.get_close_matches(heading, [h for h in headings if h], n=3, cutoff=0.6)
            hint = f"; closest: {close}" if close else ""
            raise BadMapping(
                f"the mapping reads the column {heading!r}, which {name} does not have in row {mapping.header_row}"
                f"{hint}",
                [{"item": f"columns.{heading}", "value": heading, "row": mapping.header_row, "closest": close}],
            )
        located[heading] = found[key]
    return located


def _bind(
    declaration: Declaration, mapping: FileMapping, sheet: Sheet, headings: tuple[str, ...], columns: dict[str, int]
) -> Bound:
    markers = {marker.strip().casefold() for marker in mapping.missing}
    records: list[Record] = []
    totals: list[Record] = []
    after = 0 if sheet.header is not None else mapping.header_row
    for row in sheet.rows:
        if row.number <= after or row.is_blank():
            continue
        base = _base(mapping, sheet, row, columns, markers)
        made = _expand(declaration, mapping, sheet, row, columns, markers, base)
        expanded = [_derived(record, mapping) for record in made]
        if mapping.totals is not None and _is_total(base, mapping):
            totals.extend(expanded)
        else:
            records.extend(expanded)
    issues = [*_unread(mapping, headings, sheet.name), *_unconvertible(declaration, mapping, sheet.name)]
    if mapping.totals is not None:
        issues.extend(_check_totals(declaration, mapping, records, totals, sheet.name))
    issues.extend(unknown_areas(mapping, records, sheet.name))
    return Bound(tuple(records), tuple(issues), {sheet.name: LAYOUT_ID})


def _base(mapping: FileMapping, sheet: Sheet, row: SourceRow, columns: dict[str, int], markers: set[str]) -> Record:
    cells: dict[str, Cell] = {}
    positions: dict[str, Position] = {}
    for heading, field in mapping.columns.items():
        column = columns[heading]
        cell = row.cells[column] if column < len(row.cells) else None
        cells[field] = _value(mapping, field, cell, markers)
        positions[field] = Position(sheet.name, row.number, column, heading)
    for field, value in mapping.constants.items():
        cells[field] = value
        positions[field] = Position(sheet.name, row.number, None, "the mapping's constant")
    return Record(sheet.name, row.number, cells, positions, sheet.decimal)


def _value(mapping: FileMapping, field: str, cell: Cell, markers: set[str]) -> Cell:
    if isinstance(cell, str) and cell.strip().casefold() in markers:
        return None
    mapped = mapping.values.get(field)
    if mapped and not is_blank(cell):
        text = cell_text(cell)
        return mapped.get(text, cell)
    return cell


def _is_total(record: Record, mapping: FileMapping) -> bool:
    assert mapping.totals is not None
    cell = record.cells.get(mapping.totals.field)
    labels = {label.casefold() for label in mapping.totals.labels}
    return not is_blank(cell) and cell_text(cell).casefold() in labels


def _expand(
    declaration: Declaration,
    mapping: FileMapping,
    sheet: Sheet,
    row: SourceRow,
    columns: dict[str, int],
    markers: set[str],
    base: Record,
) -> Iterator[Record]:
    if mapping.wide is None:
        yield base
        return
    target = declaration.field(mapping.wide.value_field)
    for heading, wide in mapping.wide.columns.items():
        column = columns[heading]
        cell = row.cells[column] if column < len(row.cells) else None
        factor = _factor(wide.unit, target.unit)
        if is_blank(cell) or factor is None:
            continue
        cells = dict(base.cells)
        positions = dict(base.positions)
        for field, value in wide.fields.items():
            cells[field] = mapping.values.get(field, {}).get(value, value)
            positions[field] = Position(sheet.name, mapping.header_row, column, heading)
        cells[mapping.wide.value_field] = _scaled(_value(mapping, mapping.wide.value_field, cell, markers), factor)
        positions[mapping.wide.value_field] = Position(sheet.name, row.number, column, heading)
        yield Record(sheet.name, row.number, cells, positions, base.decimal)


def _derived(record: Record, mapping: FileMapping) -> Record:
    """The record with the drug group and sub-group table 7.1 files its drug under, where the mapping derives them."""
    drug = record.cells.get("drug")
    if not mapping.derive or is_blank(drug):
        return record
    placed = placement(cell_text(drug))
    if placed is None:
        return record
    cells, positions = dict(record.cells), dict(record.positions)
    for name, value in zip(DERIVED, placed, strict=True):
        if name in mapping.derive and is_blank(cells.get(name)):
            cells[name] = value
            positions[name] = Position(record.sheet, record.row, None, "the WDR drug hierarchy")
    return Record(record.sheet, record.row, cells, positions, record.decimal, record.linked)


def _factor(source: str | None, target: str | None) -> float | None:
    """What one ``source`` unit is in ``target`` units; 1 when either is unnamed; ``None`` across kinds."""
    if source is None or target is None:
        return 1.0
    try:
        given, wanted = unit(source), unit(target)
    except BadInput:
        return None
    if given.base != wanted.base:
        return None
    return given.to_base / wanted.to_base


def _scaled(cell: Cell, factor: float) -> Cell:
    if factor == 1.0 or cell is None:
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell) * factor
    try:
        return float(str(cell).replace(",", "")) * factor
    except ValueError:
        return cell


def _unread(mapping: FileMapping, headings: tuple[str, ...], sheet: str) -> Iterator[LayoutIssue]:
    read = {header_key(h) for h in [*mapping.columns, *(mapping.wide.columns if mapping.wide else {})]}
    ignored = {header_key(h) for h in mapping.ignore}
    for heading in headings:
        key = header_key(heading)
        if heading and key not in read and key not in ignored:
            message = f"the column {heading!r} is not in the mapping and was not read (list it under 'ignore')"
            yield LayoutIssue("unknown-column", sheet, mapping.header_row, heading, None, message)


def _unconvertible(declaration: Declaration, mapping: FileMapping, sheet: str) -> Iterator[LayoutIssue]:
    if mapping.wide is None:
        return
    target = declaration.field(mapping.wide.value_field).unit
    for heading, wide in mapping.wide.columns.items():
        if _factor(wide.unit, target) is None:
            message = (
                f"the column {heading!r} is in {wide.unit!r}, which does not convert to {target!r} "
                f"({declaration.field(mapping.wide.value_field).title}); its values were not read"
            )
            yield LayoutIssue("unit-not-convertible", sheet, mapping.header_row, heading, None, message)


def _check_totals(
    declaration: Declaration, mapping: FileMapping, records: list[Record], totals: list[Record], sheet: str
) -> Iterator[LayoutIssue]:
    """Each total row's values against the sum of the other rows with the same other fields."""
    assert mapping.totals is not None
    elements = [field.id for field in declaration.elements]
    ignored = {mapping.totals.field, *elements}
    sums: dict[tuple[tuple[str, str], ...], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for record in records:
        key = _key(record, ignored)
        for element in elements:
            number = _number(record.cells.get(element))
            if number is not None:
                sums[key][element] += number
    for total in totals:
        key = _key(total, ignored)
        for element in elements:
            stated = _number(total.cells.get(element))
            if stated is None:
                continue
            added = sums.get(key, {}).get(element, 0.0)
            if not math.isclose(stated, added, rel_tol=TOTAL_TOLERANCE, abs_tol=1e-9):
                position = total.positions.get(element)
                where = dict(key)
                message = (
                    f"the total row {total.row} gives {stated:,.6g} for {element} ({where}), but the rows it totals "
                    f"add up to {added:,.6g}"
                )
                yield LayoutIssue(
                    "total-differs", sheet, total.row, position.heading if position else element, stated, message
                )


def _key(record: Record, ignored: set[str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((field, cell_text(cell)) for field, cell in record.cells.items() if field not in ignored))


def _number(cell: Cell) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell) if math.isfinite(cell) else None
    if isinstance(cell, str):
        try:
            return float(cell.replace(",", ""))
        except ValueError:
            return None
    return None


def cell_text(cell: Cell) -> str:
    """A cell as a person reads it: spacing collapsed, a whole float without its ".0" (Excel's 2024.0 is 2024)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())
