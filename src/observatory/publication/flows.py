"""SDMX dataflows generated from the data set declarations (``reporting.declaration``).

One dataflow per yearly data set of numbers, agency ``DOBS``, id the data set id in upper case with ``_``
(``annual-seizures`` → ``ANNUAL_SEIZURES``). Its dimensions are FREQ, then the data set's dimensions in declared
order (``country`` becomes REF_AREA, the year becomes TIME_PERIOD), then INDICATOR when the data set has several
elements, then TIME_PERIOD. A data set with ``best``, ``low`` and ``high`` elements publishes ``best`` as OBS_VALUE
and the other two as its LOWER_BOUND and UPPER_BOUND. Event data sets (individual seizures) and data sets of
ordinal or text values (expert trends) are not published as SDMX: their values are not numbers on a yearly grid.
"""

import re
from dataclasses import dataclass
from functools import cache

from observatory.errors import NotFound
from observatory.reporting.declaration import Declaration, Field, ValueType, Vocabulary, declarations

AGENCY = "DOBS"
VERSION = "1.0"
FREQ, TIME_PERIOD, INDICATOR = "FREQ", "TIME_PERIOD", "INDICATOR"
#: Attributes every dataflow carries, all attached to the observation.
ATTRIBUTES = (
    "OBS_STATUS",
    "UNIT_MEASURE",
    "UNIT_MULT",
    "COMMENT_OBS",
    "LOWER_BOUND",
    "UPPER_BOUND",
    "SOURCE_DETAIL",
    "VINTAGE",
)
ATTRIBUTE_NAMES = {
    "OBS_STATUS": "Observation status",
    "UNIT_MEASURE": "Unit of measure",
    "UNIT_MULT": "Unit multiplier (power of 10)",
    "COMMENT_OBS": "Comment on the observation",
    "LOWER_BOUND": "Lower bound of the estimate",
    "UPPER_BOUND": "Upper bound of the estimate",
    "SOURCE_DETAIL": "Source detail (submission)",
    "VINTAGE": "Vintage of the submission",
    FREQ: "Frequency",
    TIME_PERIOD: "Time period",
    INDICATOR: "Indicator",
    "OBS_VALUE": "Observation value",
}
BOUNDS = ("best", "low", "high")
#: The code of a dimension a row leaves empty: SDMX's "not applicable" (Content-Oriented Guidelines, _Z).
NOT_APPLICABLE = "_Z"
_NUMERIC = (ValueType.NUMBER, ValueType.INTEGER)
_FIELD_IDS = {"country": "REF_AREA"}


class UnknownFlow(NotFound):
    code = "unknown-dataflow"


@dataclass(frozen=True, slots=True)
class Dimension:
    """A dimension of a flow: its SDMX id, the declared field it comes from (None for FREQ and INDICATOR) and its
    codelist's id."""

    id: str
    field: str | None
    codelist: str
    name: str
    vocabulary: Vocabulary | None = None
    levels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    dataset: str
    name: str
    description: str
    source: str
    dimensions: tuple[Dimension, ...]
    #: Element ids published as observations (their INDICATOR code is ``code_id`` of the id).
    elements: tuple[str, ...]
    bounds: bool
    units: tuple[tuple[str, str], ...]

    @property
    def key_dimensions(self) -> tuple[str, ...]:
        """The dimensions a series key names, in order (TIME_PERIOD is not one)."""
        return tuple(dimension.id for dimension in self.dimensions)

    def unit(self, element: str) -> str:
        return dict(self.units).get(element, "")


def code_id(text: str) -> str:
    """An SDMX id (``[A-Za-z0-9_@$-]+``) for a value: upper case, other characters become ``_``."""
    code = re.sub(r"[^A-Za-z0-9@$\-]+", "_", text.strip()).strip("_").upper()
    return code or NOT_APPLICABLE


def flow_id(dataset: str) -> str:
    return dataset.upper().replace("-", "_")


def publishable(declaration: Declaration) -> bool:
    year = any(field.type is ValueType.YEAR for field in declaration.dimensions)
    numeric = all(element.type in _NUMERIC for element in declaration.elements)
    return declaration.period == "yearly" and year and numeric


@cache
def flows() -> dict[str, Flow]:
    """Every published dataflow by id, in data set order."""
    return {flow.id: flow for flow in map(_flow, declarations().values()) if flow is not None}


def flow(identifier: str) -> Flow:
    """The flow named ``identifier`` (``ANNUAL_SEIZURES``, or the data set id ``annual-seizures``)."""
    found = flows().get(flow_id(identifier))
    if found is None:
        known = sorted(flows())
        raise UnknownFlow(
            f"no dataflow {identifier!r}; published: {', '.join(known)}", [{"value": identifier, "accepted": known}]
        )
    return found


def _flow(declaration: Declaration) -> Flow | None:
    if not publishable(declaration):
        return None
    identifier = flow_id(declaration.id)
    dimensions = [Dimension(FREQ, None, "CL_FREQ", "Frequency")]
    for field in declaration.dimensions:
        if field.type is not ValueType.YEAR:
            dimensions.append(_dimension(identifier, field))
    ids = [element.id for element in declaration.elements]
    bounds = all(name in ids for name in BOUNDS)
    elements = tuple(name for name in ids if not bounds or name not in BOUNDS[1:])
    if len(elements) > 1:
        dimensions.append(Dimension(INDICATOR, None, f"CL_{identifier}_{INDICATOR}", "Indicator"))
    return Flow(
        id=identifier,
        dataset=declaration.id,
        name=declaration.title,
        description=declaration.description,
        source=declaration.source,
        dimensions=tuple(dimensions),
        elements=elements,
        bounds=bounds,
        units=tuple((element.id, element.unit or "") for element in declaration.elements),
    )


def _dimension(flow_identifier: str, field: Field) -> Dimension:
    identifier = _FIELD_IDS.get(field.id, code_id(field.id))
    if field.vocabulary is Vocabulary.COUNTRY:
        codelist = "CL_AREA"
    elif field.vocabulary in (Vocabulary.DRUG_GROUP, Vocabulary.DRUG_SUBGROUP, Vocabulary.DRUG):
        codelist = "CL_DRUG"
    else:
        codelist = f"CL_{flow_identifier}_{identifier}"
    return Dimension(identifier, field.id, codelist, field.title, field.vocabulary, field.levels)
