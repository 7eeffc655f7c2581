"""A mapping: how one provider's file lays out a data set, written as data (YAML) a person can read and correct.

A mapping names the sheet and header row, which source column holds which field, constant fields (the country
of a national file), missing-value markers, value maps (source value → vocabulary value), the wide-to-long rule of
a table with one column per drug (its unit in the column name), the columns to ignore, and the rows that are
totals to check rather than values to store. ``check_mapping`` refuses a mapping that names a field the data set
does not have, or maps a value to a code its vocabulary does not know, naming the item.
"""

from typing import Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from observatory.errors import BadInput


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WideColumn(Strict):
    """One column of a wide table: the fields it fixes (``drug: Ganja``) and the unit its heading names."""

    fields: dict[str, str]
    unit: str | None = Field(default=None, description="the unit its heading names (_Kg, _Litre); none: the field's")


class Wide(Strict):
    """One record per filled cell of ``columns``: its value goes to ``value_field``, beside the column's fields."""

    value_field: str
    columns: dict[str, WideColumn]


class TotalRows(Strict):
    """Rows whose ``field`` reads one of ``labels`` ("Total", "All India") are totals: checked, not stored."""

    field: str
    labels: tuple[str, ...]


class FileMapping(Strict):
    dataset: str
    version: int = Field(default=1, ge=1)
    sheet: str | None = Field(default=None, description="the sheet to read; none: the first with a header")
    header_row: int = Field(default=1, ge=1, le=1000, description="1-based row (CSV: line) of the column headings")
    columns: dict[str, str] = Field(default={}, description="source heading → data set field")
    constants: dict[str, str] = Field(default={}, description="field → value every record takes")
    missing: tuple[str, ...] = Field(default=(), description="cell texts that mean 'not available' (NULL, ..)")
    values: dict[str, dict[str, str]] = Field(default={}, description="field → {source value → vocabulary value}")
    wide: Wide | None = None
    ignore: tuple[str, ...] = Field(default=(), description="source headings deliberately not read")
    totals: TotalRows | None = None
    derive: tuple[str, ...] = Field(
        default=(), description="fields filled from the WDR drug hierarchy when a row names the drug only"
    )

    @model_validator(mode="after")
    def _distinct_targets(self) -> Self:
        fields = list(self.columns.values())
        if repeated := sorted({name for name in fields if fields.count(name) > 1}):
            raise ValueError(f"several columns map to the same field: {repeated}")
        if clash := sorted(set(fields) & set(self.constants)):
            raise ValueError(f"fields both read from a column and constant: {clash}")
        return self

    def fields(self) -> set[str]:
        """Every data set field the mapping fills."""
        wide = set()
        if self.wide is not None:
            wide = {self.wide.value_field} | {name for column in self.wide.columns.values() for name in column.fields}
        return set(self.columns.values()) | set(self.constants) | wide | set(self.derive)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json", exclude_defaults=True), sort_keys=False, allow_unicode=True)


class BadMapping(BadInput):
    code = "bad-mapping"


def parse_mapping(text: str | bytes, name: str = "mapping") -> FileMapping:
    """The mapping written in ``text`` (YAML or JSON), or ``BadMapping`` naming the line or item at fault."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise BadMapping(f"{name}: not valid YAML{where}", [{"file": name}]) from exc
    if not isinstance(document, dict):
        raise BadMapping(f"{name}: a mapping is a YAML object with at least 'dataset'", [{"file": name}])
    try:
        return FileMapping.model_validate(document)
    except ValidationError as exc:
        problems = [
            {"file": name, "item": ".".join(str(part) for part in error["loc"]), "error": error["msg"]}
            for error in exc.errors()
        ]
        first = problems[0]
        raise BadMapping(f"{name}: {first['item'] or 'the mapping'}: {first['error']}", problems) from exc
