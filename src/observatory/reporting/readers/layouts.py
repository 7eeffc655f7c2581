"""How a source file lays out a data set: which rows are headers, which column holds which field.

Two shapes cover the WDR annex tables and national submissions:

- ``table``: one record per row under one or more header rows (WDR 1.2, 2.1, 7.1, 8.1, CSV and JSON files);
  optionally several records per row, one per group of columns (the Lifetime / Past year / Past month groups of
  the WDR 1.2 NPS sheet).
- ``wide``: one series per labelled row and one column per year (WDR 6.1.1 and 6.2.1), with "lower bound" and
  "upper bound" rows under a best estimate, footnote letters after labels and in columns of their own, and
  region headings.
"""

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Constants = dict[str, str]


class Strict(BaseModel):
    """A part of a declaration: unknown keys are errors, so a misspelt key is not silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ColumnGroups(Strict):
    """Columns repeated under group headings; each group present in a row becomes one record."""

    dimension: str = Field(description="the field that receives the group's level")
    groups: dict[str, str] = Field(description="group heading as written → level stored in `dimension`")
    columns: dict[str, str] = Field(description="column heading under each group → field")


class TableLayout(Strict):
    shape: Literal["table"] = "table"
    id: str
    title: str = ""
    sheets: dict[str, Constants] | None = Field(
        default=None, description="the sheets this layout reads, each with constant fields; none: any matching sheet"
    )
    header_rows: tuple[int, ...] | None = Field(default=None, description="1-based; none: the first non-blank row")
    columns: dict[str, str] = Field(description="column heading as written → field")
    optional_columns: tuple[str, ...] = ()
    groups: ColumnGroups | None = None
    fill_down: tuple[str, ...] = Field(default=(), description="fields a blank cell repeats from the row above")
    note_column: str | None = Field(default=None, description="rows with text only in this column are footnotes")
    constants: Constants = {}
    decimal: Literal[".", ","] | None = None

    def all_columns(self) -> dict[str, str]:
        """Every column heading the layout reads → field, group columns composed as "Group / Column"."""
        grouped = {
            join_header(group, column): field
            for group in (self.groups.groups if self.groups else {})
            for column, field in (self.groups.columns if self.groups else {}).items()
        }
        return {**self.columns, **grouped}


class WideLayout(Strict):
    shape: Literal["wide"]
    id: str
    title: str = ""
    sheets: dict[str, Constants]
    header_row: int = Field(description="the row holding the years (numbers, or dates shown as years)")
    label_column: str = Field(description="the column holding row labels, as a letter")
    label_field: str
    year_field: str
    value_field: str = Field(description="the field a labelled row's values go to (the best estimate)")
    bounds: dict[str, str] = Field(default={}, description="label of a bound row → field, e.g. lower bound → low")
    notes_field: str
    series_field: str = Field(description="receives the footnote letters of a series' label (Peru b, Peru c)")
    region_field: str | None = None
    label_suffixes: tuple[str, ...] = ()
    skip_labels: tuple[str, ...] = Field(default=(), description="aggregate rows (totals) and the rows under them")
    region_pattern: str = Field(default=r"[A-Z][A-Z ,&'/-]*", description="a label without values matching it")

    @field_validator("label_column")
    @classmethod
    def _letters(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{1,3}", value):
            raise ValueError(f"a column letter such as 'B', not {value!r}")
        return value

    @field_validator("region_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value


Layout = Annotated[TableLayout | WideLayout, Field(discriminator="shape")]


def join_header(*parts: str) -> str:
    return " / ".join(part for part in parts if part)


def header_key(text: object) -> str:
    """Headings compare without case, repeated spaces, line breaks or underscores: "Adjustment/\\n notes"."""
    return " ".join(str(text).replace("_", " ").split()).casefold() if text is not None else ""
