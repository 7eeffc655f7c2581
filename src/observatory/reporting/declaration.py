"""Data sets as data: the declaration of a data set's fields, value types, rules and source layouts.

A declaration is a YAML file in ``observatory/reporting/datasets`` named after the data set's id. It lists
``dimensions`` (what identifies a value: country, year, drug...), ``elements`` (the values), ``attributes``
(what qualifies them: notes, sources), the spellings of "no value" and what each means, cross-field ``rules``
(DHIS2-style validation rules with a severity), the ``uniqueness`` key, the ``outliers`` to look for against a
country's history, and the ``layouts`` of the source files it reads. Every data set can also be read from its
template: a table whose columns are the field ids (see ``Declaration.template``).

A broken declaration raises ``DeclarationError`` naming the file, the line and the field.

The data sets in effect are the package's, and those an observatory declares in its own directory
(``Settings.datasets_dir``): ``declarations()`` and ``declaration()`` answer from the catalogue the entry point put in
use (``using_catalogue``: the web app per request, the command line for the command; see
``reporting.catalogue``), so that no caller passes settings down; with none in use, from the package alone.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, Self

import yaml
from pydantic import Field as Described
from pydantic import StringConstraints, ValidationError, field_validator, model_validator

from observatory.errors import BadInput, NotFound, ObservatoryError
from observatory.reference.units import unit
from observatory.reporting.readers.layouts import Layout, Strict, TableLayout, WideLayout
from observatory.reporting.values import Meaning

DATASETS_DIR = Path(__file__).parent / "datasets"
#: Units of measure that are not quantities of a drug (those are in ``reference/units.csv``).
MEASURES = frozenset({"percent", "hectare", "usd", "person"})
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([_-][a-z0-9]+)*$")]


class DeclarationError(ObservatoryError):
    code = "bad-declaration"


class UnknownDataset(NotFound):
    """A data set name no declaration has: the caller's mistake (404), not a broken declaration (500)."""

    code = "unknown-dataset"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ValueType(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    ORDINAL = "ordinal"
    TEXT = "text"
    DATE = "date"
    YEAR = "year"


class Vocabulary(StrEnum):
    """What a text field is checked against: places, units, or one level of the WDR drug hierarchy."""

    COUNTRY = "country"
    UNIT = "unit"
    DRUG_GROUP = "drug-group"
    DRUG_SUBGROUP = "drug-subgroup"
    DRUG = "drug"


class Field(Strict):
    id: Slug
    title: str
    description: str = ""
    type: ValueType
    unit: str | None = None
    levels: tuple[str, ...] = Described(default=(), description="ordinal: lowest first; text: the allowed values")
    vocabulary: Vocabulary | None = None
    also_accept: tuple[str, ...] = Described(default=(), description="spellings accepted beside the vocabulary")
    separator: str | None = Described(default=None, description="a cell may hold several values split by this")
    required: bool = False
    recommended: bool = False
    min: float | None = None
    max: float | None = None
    missing_values: dict[str, Meaning] | None = Described(default=None, description="replaces the data set's")

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str | None) -> str | None:
        if value is not None and value not in MEASURES:
            try:
                unit(value)
            except BadInput as exc:
                raise ValueError(f"{exc.message}; or a measure: {', '.join(sorted(MEASURES))}") from exc
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        numeric = self.type in (ValueType.NUMBER, ValueType.INTEGER)
        if self.type is ValueType.ORDINAL and len(self.levels) < 2:
            raise ValueError("an ordinal field needs at least two levels, lowest first")
        if (self.min is not None or self.max is not None or self.unit) and not numeric:
            raise ValueError("min, max and unit apply to number and integer fields only")
        if self.vocabulary is not None and self.type is not ValueType.TEXT:
            raise ValueError("a vocabulary applies to text fields only")
        return self


class RuleKind(StrEnum):
    ORDER = "order"
    TOTAL_WITHIN_PARTS = "total-within-parts"
    PARTS_WITHIN_TOTAL = "parts-within-total"
    COMPULSORY_PAIR = "compulsory-pair"
    EXCLUSIVE_PAIR = "exclusive-pair"
    RANGE = "range"
    SAME_PLACE = "same-place"


#: The smallest number of fields each kind of rule compares.
_RULE_ARITY = {
    RuleKind.ORDER: 2,
    RuleKind.TOTAL_WITHIN_PARTS: 3,
    RuleKind.PARTS_WITHIN_TOTAL: 2,
    RuleKind.COMPULSORY_PAIR: 2,
    RuleKind.EXCLUSIVE_PAIR: 2,
    RuleKind.RANGE: 1,
    RuleKind.SAME_PLACE: 2,
}


class Rule(Strict):
    """A cross-field rule. The first field of total-within-parts and parts-within-total is the total."""

    id: Slug
    kind: RuleKind
    fields: tuple[str, ...]
    code: Slug
    severity: Severity = Severity.ERROR
    message: str
    tolerance: float = Described(default=0.0, ge=0, description="relative slack for rounding, 0.01 = 1%")
    min: float | None = None
    max: float | None = None
    when: dict[str, str] = Described(default={}, description="applies only where each field is written so")

    @model_validator(mode="after")
    def _arity(self) -> Self:
        if len(self.fields) < _RULE_ARITY[self.kind]:
            raise ValueError(f"a {self.kind} rule compares at least {_RULE_ARITY[self.kind]} fields")
        if self.kind is RuleKind.RANGE and self.min is None and self.max is None:
            raise ValueError("a range rule needs min, max or both")
        return self


class Uniqueness(Strict):
    key: tuple[str, ...]
    severity: Severity = Described(default=Severity.ERROR, description="same key, different values")
    duplicates: Severity = Described(default=Severity.WARNING, description="rows identical in every field")


class Outliers(Strict):
    series: tuple[str, ...] = Described(description="the dimensions that make a series, the period excluded")
    year: str
    elements: tuple[str, ...]
    modified_z: float = 3.5
    jump_factor: float = Described(default=10.0, gt=1)
    min_history: int = Described(default=4, ge=2)


class Declaration(Strict):
    id: Slug
    title: str
    description: str = ""
    period: Literal["yearly", "event"] = "yearly"
    source: str = ""
    missing_values: dict[str, Meaning] = Described(default_factory=lambda: {"": Meaning.NOT_AVAILABLE})
    dimensions: tuple[Field, ...]
    elements: tuple[Field, ...]
    attributes: tuple[Field, ...] = ()
    rules: tuple[Rule, ...] = ()
    uniqueness: Uniqueness | None = None
    outliers: Outliers | None = None
    layouts: tuple[Layout, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> Self:
        ids = [field.id for field in self.all_fields()]
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"field ids declared twice: {duplicated}")
        layout_ids = [layout.id for layout in self.layouts]
        if "template" in layout_ids or len(set(layout_ids)) != len(layout_ids):
            raise ValueError(f"layout ids must be unique and not 'template': {layout_ids}")
        for where, name in self._referenced():
            if name not in ids:
                raise ValueError(f"{where} names the field {name!r}, which is not declared; fields: {ids}")
        return self

    def all_fields(self) -> tuple[Field, ...]:
        return (*self.dimensions, *self.elements, *self.attributes)

    def field(self, name: str) -> Field:
        return next(field for field in self.all_fields() if field.id == name)

    def template(self) -> TableLayout:
        """The platform's own submission table: one column per field, named by its id."""
        return TableLayout(
            id="template",
            title=f"{self.title}: one column per field id",
            columns={field.id: field.id for field in self.all_fields()},
            optional_columns=tuple(field.id for field in self.all_fields() if not field.required),
        )

    def all_layouts(self) -> tuple[Layout, ...]:
        return (*self.layouts, self.template())

    def _referenced(self) -> Iterator[tuple[str, str]]:
        for rule in self.rules:
            yield from ((f"rule {rule.id!r}", name) for name in (*rule.fields, *rule.when))
        if self.uniqueness:
            yield from (("uniqueness", name) for name in self.uniqueness.key)
        if self.outliers:
            names = (*self.outliers.series, self.outliers.year, *self.outliers.elements)
            yield from (("outliers", name) for name in names)
        for layout in self.layouts:
            yield from ((f"layout {layout.id!r}", name) for name in _layout_fields(layout))


def _layout_fields(layout: Layout) -> Iterator[str]:
    if isinstance(layout, WideLayout):
        yield from (layout.label_field, layout.year_field, layout.value_field, layout.notes_field, layout.series_field)
        yield from layout.bounds.values()
        yield from filter(None, [layout.region_field])
    else:
        yield from layout.all_columns().values()
        yield from layout.fill_down
        yield from layout.constants
        yield from filter(None, [layout.groups.dimension if layout.groups else None])
    for constants in (layout.sheets or {}).values():
        yield from constants


def load_declaration(path: Path) -> Declaration:
    """The declaration in ``path``, or ``DeclarationError`` naming the file, the field, the line and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise DeclarationError(f"{path.name}: cannot be read ({exc})", [{"file": path.name}]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        line = {"line": mark.line + 1} if mark is not None else {}
        raise DeclarationError(
            f"{path.name}: not valid YAML{where}", [{"file": path.name, **line, "error": str(exc)}]
        ) from exc
    try:
        declaration = Declaration.model_validate(document)
    except ValidationError as exc:
        root = yaml.compose(text)
        problems = [
            {
                "file": path.name,
                "line": _line(root, error["loc"]),
                "field": _location(error["loc"]),
                "error": error["msg"],
            }
            for error in exc.errors()
        ]
        first = problems[0]
        raise DeclarationError(
            f"{path.name}: {len(problems)} problem(s); first at {first['field'] or 'the top level'} "
            f"(line {first['line']}): {first['error']}",
            problems,
        ) from exc
    if declaration.id != path.stem:
        raise DeclarationError(
            f"{path.name}: id {declaration.id!r} differs from the file name",
            [{"file": path.name, "line": _line(yaml.compose(text), ("id",)), "field": "id"}],
        )
    return declaration


class Catalogue(Protocol):
    """The data sets in effect: the package's and an observatory's own (``reporting.catalogue.DatasetCatalogue``)."""

    def declarations(self) -> dict[str, Declaration]: ...


_IN_USE: ContextVar[Catalogue | None] = ContextVar("observatory_dataset_catalogue", default=None)


@contextmanager
def using_catalogue(catalogue: Catalogue | None) -> Iterator[None]:
    """``declarations()`` and ``declaration()`` answer from ``catalogue`` while the block runs (in this context)."""
    token = _IN_USE.set(catalogue)
    try:
        yield
    finally:
        _IN_USE.reset(token)


def use_catalogue(catalogue: Catalogue | None) -> None:
    """Put ``catalogue`` in use for the rest of this context: a command line's one command."""
    _IN_USE.set(catalogue)


@cache
def packaged() -> dict[str, Declaration]:
    """Every data set declared in the package, by id."""
    return {path.stem: load_declaration(path) for path in sorted(DATASETS_DIR.glob("*.yaml"))}


def declarations() -> dict[str, Declaration]:
    """Every data set in effect, by id: the package's, then those of the catalogue in use, if any."""
    catalogue = _IN_USE.get()
    return packaged() if catalogue is None else catalogue.declarations()


def declaration(dataset: str) -> Declaration:
    found = declarations().get(dataset)
    if found is None:
        known = sorted(declarations())
        raise UnknownDataset(
            f"no data set {dataset!r}; declared: {', '.join(known)}", [{"value": dataset, "accepted": known}]
        )
    return found


def _line(node: Any, location: tuple[int | str, ...]) -> int | None:
    """The line (1-based) of the YAML node at ``location``, or of the deepest node on its way that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        children: list[tuple[Any, Any]] = []
        if isinstance(node, yaml.MappingNode):
            children = [(key.value, value) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(enumerate(node.value))
        node = next((child for key, child in children if key == part), None)
        if node is None:
            return line
        line = node.start_mark.line + 1
    return line


def _location(location: tuple[int | str, ...]) -> str:
    """``("elements", 2, "levels")`` → ``"elements[2].levels"``."""
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)
    return re.sub(r"^\.", "", text)
