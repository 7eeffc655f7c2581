"""SDMX structures (concept scheme, codelists, data structure definitions, dataflows) and structure queries.

sdmx1 holds the information model and writes SDMX-ML 2.1 structure messages; the messages it writes validate
against the official XSD once every artefact says it is not an external reference and every component list has
its id (``structure_message``). A structure query follows SDMX REST 2.1:
``{resource}/{agency}/{id}/{version}?references=none|parents|children|descendants|all|<resource>``, with ``all``
as a wildcard for agency and id and ``all`` or ``latest`` for the version.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import sdmx
from sdmx.message import Header, StructureMessage
from sdmx.model import common
from sdmx.model import v21 as m

from observatory.errors import BadInput, NotFound
from observatory.publication.codelists import agency, codelists
from observatory.publication.flows import (
    AGENCY,
    ATTRIBUTE_NAMES,
    ATTRIBUTES,
    TIME_PERIOD,
    VERSION,
    Flow,
    flows,
)

RESOURCES = ("dataflow", "datastructure", "codelist", "conceptscheme")
REFERENCES = ("none", "parents", "parentsandsiblings", "children", "descendants", "all", *RESOURCES)
_CODED_ATTRIBUTES = {"OBS_STATUS": "CL_OBS_STATUS"}


class UnknownStructure(NotFound):
    code = "unknown-structure"


@dataclass(frozen=True, slots=True)
class Structures:
    concepts: m.ConceptScheme
    codelists: dict[str, m.Codelist]
    structures: dict[str, m.DataStructureDefinition]
    dataflows: dict[str, m.DataflowDefinition]


def build_structures(tables: Mapping[str, pa.Table]) -> Structures:
    """Every structure of every flow; ``tables`` (publication tables by flow id) fill the data-driven codelists."""
    lists = codelists(tables)
    concepts = m.ConceptScheme(
        id="CS_DOBS", name="Drug Observatory concepts", version=VERSION, maintainer=agency(), is_final=True
    )
    concepts.is_external_reference = False
    for flow in flows().values():
        for dimension in flow.dimensions:
            _concept(concepts, dimension.id, ATTRIBUTE_NAMES.get(dimension.id, dimension.name))
    for name in (TIME_PERIOD, "OBS_VALUE", *ATTRIBUTES):
        _concept(concepts, name, ATTRIBUTE_NAMES[name])
    dsds = {flow.id: _dsd(flow, concepts, lists) for flow in flows().values()}
    dataflows = {
        flow.id: m.DataflowDefinition(
            id=flow.id,
            name=flow.name,
            description=flow.description or flow.name,
            version=VERSION,
            maintainer=agency(),
            is_final=True,
            is_external_reference=False,
            structure=dsds[flow.id],
        )
        for flow in flows().values()
    }
    return Structures(concepts, lists, dsds, dataflows)


def _concept(scheme: m.ConceptScheme, identifier: str, name: str) -> None:
    if identifier not in scheme.items:
        scheme.append(m.Concept(id=identifier, name=name))


def _dsd(flow: Flow, concepts: m.ConceptScheme, lists: Mapping[str, m.Codelist]) -> m.DataStructureDefinition:
    dsd = m.DataStructureDefinition(
        id=flow.id, name=flow.name, version=VERSION, maintainer=agency(), is_final=True, is_external_reference=False
    )
    dsd.dimensions.id, dsd.attributes.id, dsd.measures.id = (
        "DimensionDescriptor",
        "AttributeDescriptor",
        "MeasureDescriptor",
    )
    for position, dimension in enumerate(flow.dimensions, start=1):
        representation = common.Representation(enumerated=lists[dimension.codelist])
        dsd.dimensions.append(
            m.Dimension(
                id=dimension.id,
                concept_identity=concepts[dimension.id],
                local_representation=representation,
                order=position,
            )
        )
    time = common.Representation(
        non_enumerated=[common.Facet(value_type=common.FacetValueType.observationalTimePeriod)]
    )
    dsd.dimensions.append(
        m.TimeDimension(
            id=TIME_PERIOD,
            concept_identity=concepts[TIME_PERIOD],
            local_representation=time,
            order=len(flow.dimensions) + 1,
        )
    )
    dsd.measures.append(m.PrimaryMeasure(id="OBS_VALUE", concept_identity=concepts["OBS_VALUE"]))
    for name in ATTRIBUTES:
        coded = _CODED_ATTRIBUTES.get(name)
        dsd.attributes.append(
            m.DataAttribute(  # type: ignore[attr-defined]
                id=name,
                concept_identity=concepts[name],
                usage_status=m.UsageStatus.mandatory if name == "OBS_STATUS" else m.UsageStatus.conditional,
                related_to=m.PrimaryMeasureRelationship(),
                local_representation=common.Representation(enumerated=lists[coded]) if coded else None,
            )
        )
    return dsd


@dataclass(frozen=True, slots=True)
class StructureQuery:
    resource: str
    agency: str = "all"
    id: str = "all"
    version: str = "latest"
    references: str = "none"

    def __post_init__(self) -> None:
        if self.resource not in RESOURCES:
            raise BadInput(f"unknown structure resource {self.resource!r}; accepted: {', '.join(RESOURCES)}")
        if self.references not in REFERENCES:
            raise BadInput(
                f"unknown references {self.references!r}; accepted: {', '.join(REFERENCES)}",
                [{"parameter": "references", "value": self.references, "accepted": list(REFERENCES)}],
            )
        if self.version not in ("all", "latest", VERSION):
            raise UnknownStructure(f"no version {self.version!r}; published: {VERSION} (or all, latest)")


def query_structures(structures: Structures, query: StructureQuery, prepared: datetime) -> StructureMessage:
    """The structure message answering ``query``, or ``UnknownStructure`` when nothing matches."""
    found = [artefact for artefact in _of(structures, query.resource) if _matches(artefact, query)]
    if not found:
        raise UnknownStructure(
            f"no {query.resource} {query.agency}/{query.id}/{query.version}",
            [{"resource": query.resource, "agency": query.agency, "id": query.id}],
        )
    message = StructureMessage(header=Header(id="DOBS_STRUCTURE", prepared=prepared, sender=agency(), test=False))
    chosen: dict[int, common.MaintainableArtefact] = {}
    for artefact in found:
        chosen[id(artefact)] = artefact
        for related in _referenced(structures, artefact, query.references):
            chosen[id(related)] = related
    for artefact in chosen.values():
        message.add(artefact)
    return message


def structure_xml(message: StructureMessage) -> bytes:
    xml: bytes = sdmx.to_xml(message, pretty_print=True)
    return xml


def _of(structures: Structures, resource: str) -> list[common.MaintainableArtefact]:
    if resource == "dataflow":
        return list(structures.dataflows.values())
    if resource == "datastructure":
        return list(structures.structures.values())
    if resource == "codelist":
        return list(structures.codelists.values())
    return [structures.concepts]


def _matches(artefact: common.MaintainableArtefact, query: StructureQuery) -> bool:
    owner = artefact.maintainer.id if artefact.maintainer else AGENCY
    agency_ok = query.agency in ("all", owner) or owner in query.agency.split("+")
    return agency_ok and (query.id == "all" or artefact.id in query.id.split("+"))


def _referenced(
    structures: Structures, artefact: common.MaintainableArtefact, references: str
) -> list[common.MaintainableArtefact]:
    """What ``references`` asks for besides ``artefact``: the structures it uses (children, descendants) and those
    that use it (parents)."""
    if references == "none":
        return []
    down = references in ("children", "descendants", "all")
    up = references in ("parents", "parentsandsiblings", "all")
    related: list[common.MaintainableArtefact] = []
    if down:
        related += _descendants(structures, artefact, deep=references != "children")
    if up:
        related += _parents(structures, artefact)
    if references in RESOURCES:
        everything = _descendants(structures, artefact, deep=True) + _parents(structures, artefact)
        related += [item for item in everything if item in _of(structures, references)]
    return related


def _descendants(
    structures: Structures, artefact: common.MaintainableArtefact, *, deep: bool
) -> list[common.MaintainableArtefact]:
    if isinstance(artefact, m.DataflowDefinition):
        dsd = structures.structures[artefact.id]
        return [dsd, *(_descendants(structures, dsd, deep=deep) if deep else [])]
    if isinstance(artefact, m.DataStructureDefinition):
        used = _codelists_of(structures.structures[artefact.id], structures)
        return [structures.concepts, *used]
    return []


def _codelists_of(dsd: m.DataStructureDefinition, structures: Structures) -> list[common.MaintainableArtefact]:
    components = [*dsd.dimensions.components, *dsd.attributes.components]
    ids = {
        component.local_representation.enumerated.id
        for component in components
        if component.local_representation is not None and component.local_representation.enumerated is not None
    }
    return [structures.codelists[name] for name in sorted(ids)]


def _parents(structures: Structures, artefact: common.MaintainableArtefact) -> list[common.MaintainableArtefact]:
    if isinstance(artefact, m.DataStructureDefinition):
        return [structures.dataflows[artefact.id]]
    if isinstance(artefact, m.Codelist | m.ConceptScheme):
        return [
            dsd
            for dsd in structures.structures.values()
            if isinstance(artefact, m.ConceptScheme) or artefact in _codelists_of(dsd, structures)
        ]
    return []
