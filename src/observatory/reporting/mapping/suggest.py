"""Proposing a mapping for a file no declared layout reads: the platform suggests, a person confirms.

The proposal is built from the file itself: the header row (the row of the first sheets whose cells best match the
data set's headings), each column's field (``headings``), a wide table's drug columns with the unit in their
headings (``Ganja_Kg``), missing-value markers found in number columns (``NULL``, ``..``), values the vocabularies
do not know (with the closest entries), first-level areas against ISO 3166-2, total rows, the country of a
national file, and the drug group and sub-group from the WDR hierarchy when the file names only the drug.

Every item says how certain it is. ``Proposal.mapping`` holds only the certain ones (exact headings, aliases,
known markers): that is ``--mapping auto``. Fuzzy matches are listed for a person to confirm, never applied.
"""

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from observatory.errors import BadInput
from observatory.reference.admin_areas import closest_admin_areas, find_admin_area
from observatory.reference.drug_names import Level, UnknownDrug
from observatory.reference.seizure_drug_names import seizure_name
from observatory.reference.units import unit
from observatory.reporting.declaration import Declaration, ValueType
from observatory.reporting.mapping.apply import cell_text
from observatory.reporting.mapping.headings import HeadingMatch, known_headings, match_heading
from observatory.reporting.mapping.hierarchy import derivable
from observatory.reporting.mapping.model import FileMapping, TotalRows, Wide, WideColumn
from observatory.reporting.readers import Limits, Sheet, Source, reader_for
from observatory.reporting.readers.base import is_blank
from observatory.reporting.validation.cells import Invalid
from observatory.reporting.validation.vocabularies import lookup
from observatory.reporting.workbook import Cell

#: Rows of each sheet searched for the header, and sheets searched.
HEADER_SEARCH_ROWS = 30
HEADER_SEARCH_SHEETS = 5
#: Cell texts read as "not available" wherever they stand in a number column.
KNOWN_MARKERS = ("NULL", "null", "..", "...", "n.a.", "N/A", "n/a", "NA", "-", "–", "—", "nd", "none", "x")
TOTAL_LABELS = ("total", "grand total", "all", "national total")
#: Distinct values of one column looked up in a vocabulary; more are left to validation.
MAX_DISTINCT = 5_000
WIDE_HEADING = re.compile(r"^(?P<name>.+?)[\s_]*(?:[_(\[]\s*(?P<unit>[^_()\[\]]+?)\s*[)\]]?)$")


@dataclass(frozen=True, slots=True)
class Item:
    """One proposed piece of the mapping: what in the file, to what, how sure, and whether ``auto`` applies it."""

    kind: str
    source: str
    target: str | None
    confidence: float
    basis: str
    applied: bool
    candidates: tuple[str, ...] = ()
    #: The data set field a value item is for.
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    mapping: FileMapping
    items: tuple[Item, ...]
    preview: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "mapping": self.mapping.model_dump(mode="json", exclude_defaults=True),
            "items": [asdict(item) for item in self.items],
            "to_confirm": [asdict(item) for item in self.items if not item.applied and item.candidates],
        }


def suggest_mapping(
    data: bytes, name: str, declaration: Declaration, country: str | None = None, limits: Limits | None = None
) -> Proposal:
    """A proposal for reading ``data`` as ``declaration`` (``country``: the ISO3 code of a national file)."""
    source = reader_for(data, name, limits).read(data, name)
    known = known_headings(declaration)
    sheet, row, headings = _header(source, known)
    items: list[Item] = [Item("header", f"{sheet.name or name}, row {row}", str(row), 1.0, "most known headings", True)]
    columns: dict[str, str] = {}
    for heading in headings:
        match = match_heading(heading, known) if heading else None
        if match is None or match.field in columns.values():
            continue
        items.append(_column_item(heading, match))
        if match.certain:
            columns[heading] = match.field
    wide = _wide(declaration, headings, columns, items)
    constants = _constants(declaration, columns, country, items)
    rows = _rows(sheet, row)
    missing = _markers(declaration, headings, columns, wide, rows, items)
    values = _values(declaration, headings, columns, rows, set(missing), items, country or constants.get("country"))
    totals = _totals(headings, columns, rows, items)
    derive = derivable(declaration, {*columns.values(), *constants, *(_wide_fields(wide))})
    items.extend(Item("derive", "drug", name, 1.0, "the WDR drug hierarchy (table 7.1)", True) for name in derive)
    ignore = tuple(h for h in headings if h and h not in columns and (wide is None or h not in wide.columns))
    mapping = FileMapping(
        dataset=declaration.id,
        sheet=sheet.name or None,
        header_row=row,
        columns=columns,
        constants=constants,
        missing=missing,
        values=values,
        wide=wide,
        ignore=ignore,
        totals=totals,
        derive=derive,
    )
    return Proposal(mapping, tuple(items))


def _header(source: Source, known: dict[str, tuple[str, str]]) -> tuple[Sheet, int, tuple[str, ...]]:
    best: tuple[float, Sheet, int, tuple[str, ...]] | None = None
    for sheet in source.sheets[:HEADER_SEARCH_SHEETS]:
        if sheet.header is not None:
            candidates = [(1, sheet.header)]
        else:
            candidates = [
                (row.number, tuple(cell_text(c) for c in row.cells)) for row in sheet.rows[:HEADER_SEARCH_ROWS]
            ]
        for number, cells in candidates:
            score = sum(
                (match.confidence if (match := match_heading(c, known)) else 0.0) for c in cells if c
            ) + 0.1 * sum(1 for c in cells if WIDE_HEADING.match(c or "") and _unit_of(c) is not None)
            if best is None or score > best[0]:
                best = (score, sheet, number, cells)
    if best is None:
        raise BadInput("the file has no rows to read a header from", [{"file": source.name}])
    return best[1], best[2], best[3]


def _column_item(heading: str, match: HeadingMatch) -> Item:
    return Item("column", heading, match.field, match.confidence, match.basis, match.certain)


def _unit_of(heading: str) -> str | None:
    found = WIDE_HEADING.match(heading)
    if found is None or not found["unit"]:
        return None
    try:
        return unit(found["unit"]).code
    except BadInput:
        return None


def _wide(
    declaration: Declaration, headings: tuple[str, ...], columns: dict[str, str], items: list[Item]
) -> Wide | None:
    """Drug columns with a unit in their heading, when the data set has a drug field the file does not map."""
    fields = {f.id for f in declaration.all_fields()}
    if "drug" not in fields or "drug" in columns.values() or not declaration.elements:
        return None
    found: dict[str, WideColumn] = {}
    for heading in headings:
        if not heading or heading in columns or (code := _unit_of(heading)) is None:
            continue
        name = WIDE_HEADING.match(heading)["name"].replace("_", " ").strip()  # type: ignore[index]
        try:
            drug = seizure_name(name, Level.DRUG)
        except UnknownDrug as exc:
            candidates = tuple(str(d["name"]) for d in exc.details if "name" in d)
            items.append(
                Item(
                    "wide", heading, None, 0.5, f"a drug column ({code}); {name!r} is not a WDR drug", False, candidates
                )
            )
            continue
        found[heading] = WideColumn(fields={"drug": drug.name}, unit=code)
        items.append(Item("wide", heading, drug.name, 1.0, f"a drug column in {code} ({drug.matched_by})", True))
    if len(found) < 2:
        return None
    return Wide(value_field=declaration.elements[0].id, columns=found)


def _wide_fields(wide: Wide | None) -> set[str]:
    if wide is None:
        return set()
    return {wide.value_field} | {name for column in wide.columns.values() for name in column.fields}


def _constants(
    declaration: Declaration, columns: dict[str, str], country: str | None, items: list[Item]
) -> dict[str, str]:
    fields = {f.id for f in declaration.all_fields()}
    if country is None or "country" not in fields or "country" in columns.values():
        return {}
    items.append(Item("constant", "--country", f"country = {country}", 1.0, "the submission's country", True))
    return {"country": country}


def _rows(sheet: Sheet, header_row: int) -> list[tuple[Cell, ...]]:
    after = 0 if sheet.header is not None else header_row
    return [row.cells for row in sheet.rows if row.number > after and not row.is_blank()]


def _markers(
    declaration: Declaration,
    headings: tuple[str, ...],
    columns: dict[str, str],
    wide: Wide | None,
    rows: list[tuple[Cell, ...]],
    items: list[Item],
) -> tuple[str, ...]:
    numeric = {
        f.id for f in declaration.all_fields() if f.type in (ValueType.NUMBER, ValueType.INTEGER, ValueType.YEAR)
    }
    watched = [i for i, h in enumerate(headings) if columns.get(h) in numeric or (wide and h in wide.columns)]
    texts = {c.strip() for row in rows for i in watched if i < len(row) and isinstance(c := row[i], str)}
    found = tuple(marker for marker in KNOWN_MARKERS if marker in texts)
    items.extend(
        Item("missing", marker, "not available", 1.0, "a known missing-value marker", True) for marker in found
    )
    return found


def _values(
    declaration: Declaration,
    headings: tuple[str, ...],
    columns: dict[str, str],
    rows: list[tuple[Cell, ...]],
    markers: set[str],
    items: list[Item],
    country: str | None,
) -> dict[str, dict[str, str]]:
    """Values of vocabulary columns the vocabularies do not know, with candidates (to confirm, never applied)."""
    for index, heading in enumerate(headings):
        field_id = columns.get(heading)
        if field_id is None:
            continue
        spec = declaration.field(field_id)
        distinct = sorted({cell_text(row[index]) for row in rows if index < len(row) and not is_blank(row[index])})
        distinct = [value for value in distinct if value not in markers][:MAX_DISTINCT]
        if spec.vocabulary is not None:
            items.extend(_unknown_values(spec, field_id, distinct))
        elif field_id == "admin1" and country:
            items.extend(_areas(country, distinct))
    return {}


def _unknown_values(spec: Any, field_id: str, distinct: list[str]) -> Iterator[Item]:
    for value in distinct:
        found = lookup(spec, value, None)
        if isinstance(found, Invalid):
            yield Item(
                "value", value, None, 0.0, f"{field_id}: {found.code}", False, tuple(found.suggestions), field_id
            )


def _areas(country: str, distinct: list[str]) -> Iterator[Item]:
    for value in distinct:
        if value.casefold() in TOTAL_LABELS or find_admin_area(country, value) is not None:
            continue
        candidates = tuple(area.name for area in closest_admin_areas(country, value))
        basis = f"admin1: not an ISO 3166-2 area of {country}"
        yield Item("value", value, None, 0.0, basis, False, candidates, "admin1")


def _totals(
    headings: tuple[str, ...], columns: dict[str, str], rows: list[tuple[Cell, ...]], items: list[Item]
) -> TotalRows | None:
    for field_id in ("admin1", "country"):
        index = next((i for i, h in enumerate(headings) if columns.get(h) == field_id), None)
        if index is None:
            continue
        labels = sorted({cell_text(r[index]) for r in rows if index < len(r) and _is_total_label(cell_text(r[index]))})
        if labels:
            items.extend(
                Item("totals", label, field_id, 1.0, "a total row: checked, not stored", True) for label in labels
            )
            return TotalRows(field=field_id, labels=tuple(labels))
    return None


def _is_total_label(text: str) -> bool:
    folded = text.casefold()
    return folded in TOTAL_LABELS or folded.startswith("all ") or folded.startswith("total ")
