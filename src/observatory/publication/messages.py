"""What every data message writer needs: the flow, the selected rows, and how they are grouped into series.

A ``DataMessage`` is the answer to a data query before it is written. ``series`` groups its rows by every
dimension but the one at the observation level (``dimensionAtObservation``: TIME_PERIOD by default, any key
dimension, or ``AllDimensions`` for a flat list of observations).
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from observatory.publication.flows import AGENCY, ATTRIBUTES, TIME_PERIOD, VERSION, Flow
from observatory.publication.keys import SdmxSyntaxError

ALL_DIMENSIONS = "AllDimensions"


@dataclass(frozen=True, slots=True)
class DataMessage:
    flow: Flow
    table: pa.Table
    prepared: datetime
    at_observation: str = TIME_PERIOD
    detail: str = "full"
    #: The release the data come from (None: what is published now).
    vintage: str | None = None

    def __post_init__(self) -> None:
        accepted = (*self.flow.key_dimensions, TIME_PERIOD, ALL_DIMENSIONS)
        if self.at_observation not in accepted:
            raise SdmxSyntaxError(
                f"dimensionAtObservation {self.at_observation!r} is not one of {', '.join(accepted)}",
                [{"parameter": "dimensionAtObservation", "value": self.at_observation, "accepted": list(accepted)}],
            )

    @property
    def dimensions(self) -> tuple[str, ...]:
        return (*self.flow.key_dimensions, TIME_PERIOD)

    @property
    def series_dimensions(self) -> tuple[str, ...]:
        if self.at_observation == ALL_DIMENSIONS:
            return ()
        return tuple(name for name in self.dimensions if name != self.at_observation)

    @property
    def observation_dimensions(self) -> tuple[str, ...]:
        return self.dimensions if self.at_observation == ALL_DIMENSIONS else (self.at_observation,)

    @property
    def structure_ref(self) -> str:
        return f"{AGENCY}_{self.flow.id}_{VERSION.replace('.', '_')}"

    @property
    def message_id(self) -> str:
        return f"DOBS_{self.flow.id}" + (f"_{self.vintage.replace('.', '_')}" if self.vintage else "")

    @property
    def with_observations(self) -> bool:
        return self.detail in ("full", "dataonly")

    @property
    def with_attributes(self) -> bool:
        return self.detail in ("full", "nodata")

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.table.to_pylist()
        order = (*self.series_dimensions, *self.observation_dimensions)
        return sorted(rows, key=lambda row: tuple(row[name] for name in order))

    def series(self) -> Iterator[tuple[tuple[str, ...], list[dict[str, Any]]]]:
        """(series key codes, observation rows) per series, in key order; one series of every row when flat."""
        current: tuple[str, ...] | None = None
        group: list[dict[str, Any]] = []
        for row in self.rows():
            key = tuple(row[name] for name in self.series_dimensions)
            if key != current and group:
                yield current or (), group
                group = []
            current = key
            group.append(row)
        if group:
            yield current or (), group


def number(value: Any) -> str | None:
    """A value as SDMX writes a number: shortest round-trip text, integers without ``.0``; None when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() and abs(as_float) < 1e15 else repr(as_float)


def attribute_values(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The row's attributes that have a value, as (id, text), in declared order."""
    found: list[tuple[str, str]] = []
    for name in ATTRIBUTES:
        value = row.get(name)
        text = number(value) if isinstance(value, float) else value
        if text not in (None, ""):
            found.append((name, str(text)))
    return found
