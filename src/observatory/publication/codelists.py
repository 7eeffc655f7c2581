"""The codelists of the dataflows, as sdmx1 objects, from the reference vocabularies and the published values.

- CL_AREA: every place of the reference (ISO 3166 alpha-3) and the WDR regions and sub-regions (their names as
  ids), each place under its WDR sub-region and each sub-region under its region;
- CL_DRUG: the WDR drug hierarchy (groups, sub-groups, drugs), each under its parent;
- CL_FREQ (``A``), CL_OBS_STATUS (SDMX's cross-domain list, ``obs_status``);
- the codelist of a dimension with declared levels lists them; one with neither vocabulary nor levels (an age band,
  a source) lists the values its data set publishes, so that every published code is in its codelist.

Every codelist of a dimension also has ``_Z`` (not applicable), the code of a row that leaves the dimension empty.
"""

from collections.abc import Iterable, Mapping

import pyarrow as pa
from sdmx.model import v21 as m

from observatory.publication.flows import AGENCY, INDICATOR, NOT_APPLICABLE, VERSION, Flow, code_id, flows
from observatory.publication.obs_status import obs_status_codes
from observatory.reference.drug_names import drug_hierarchy
from observatory.reference.geography import places
from observatory.reporting.declaration import declaration

SDMX_AGENCY = "SDMX"
OBS_STATUS_VERSION = "2.0"
WORLD = "WORLD"


def agency() -> m.Agency:
    return m.Agency(id=AGENCY, name="Drug Observatory")


def new_codelist(identifier: str, name: str, maintainer: m.Agency | None = None, version: str = VERSION) -> m.Codelist:
    return m.Codelist(
        id=identifier,
        name=name,
        version=version,
        maintainer=maintainer or agency(),
        is_final=True,
        is_external_reference=False,
    )


def _add(codelist: m.Codelist, code: str, name: str, parent: str | None = None) -> None:
    if code in codelist.items:
        return
    item = m.Code(id=code, name=name)
    codelist.append(item)
    if parent is not None and parent in codelist.items:
        item.parent = codelist[parent]
        codelist[parent].append_child(item)


def area_codelist() -> m.Codelist:
    codelist = new_codelist("CL_AREA", "Areas: countries and territories (ISO 3166 alpha-3), WDR regions")
    _add(codelist, WORLD, "World")
    for place in places():
        if place.unodc_region:
            _add(codelist, code_id(place.unodc_region), place.unodc_region, WORLD)
    for place in places():
        if place.unodc_region and place.unodc_subregion:
            _add(codelist, code_id(place.unodc_subregion), place.unodc_subregion, code_id(place.unodc_region))
    for place in sorted(places(), key=lambda p: p.iso3):
        parent = code_id(place.unodc_subregion) if place.unodc_subregion else None
        _add(codelist, place.iso3, place.name, parent)
    return codelist


def drug_codelist() -> m.Codelist:
    codelist = new_codelist("CL_DRUG", "Drugs: the World Drug Report hierarchy of groups, sub-groups and drugs")
    for drug in drug_hierarchy():
        _add(codelist, code_id(drug.group), drug.group)
    for drug in drug_hierarchy():
        if drug.subgroup:
            _add(codelist, code_id(drug.subgroup), drug.subgroup, code_id(drug.group))
    for drug in drug_hierarchy():
        if drug.drug:
            parent = drug.subgroup or drug.group
            _add(codelist, code_id(drug.drug), drug.drug, code_id(parent))
    return codelist


def obs_status_codelist() -> m.Codelist:
    maintainer = m.Agency(id=SDMX_AGENCY, name="SDMX")
    codelist = new_codelist("CL_OBS_STATUS", "Observation status", maintainer, OBS_STATUS_VERSION)
    for code, name in obs_status_codes().items():
        _add(codelist, code, name)
    return codelist


def codelists(tables: Mapping[str, pa.Table]) -> dict[str, m.Codelist]:
    """Every codelist of the flows, by id; ``tables`` (publication tables by flow id) add the published codes."""
    made = {
        "CL_FREQ": new_codelist("CL_FREQ", "Frequency"),
        "CL_AREA": area_codelist(),
        "CL_DRUG": drug_codelist(),
        "CL_OBS_STATUS": obs_status_codelist(),
    }
    _add(made["CL_FREQ"], "A", "Annual")
    for flow in flows().values():
        for dimension in flow.dimensions:
            if dimension.codelist not in made:
                made[dimension.codelist] = new_codelist(dimension.codelist, f"{flow.name}: {dimension.name}")
            codelist = made[dimension.codelist]
            for level in dimension.levels:
                _add(codelist, code_id(level), level)
            if dimension.id == INDICATOR:
                _indicators(codelist, flow)
            table = tables.get(flow.id)
            if table is not None and table.num_rows:
                _published(codelist, table[dimension.id].to_pylist(), table[f"{dimension.id}_LABEL"].to_pylist())
    for identifier, codelist in made.items():
        if identifier not in ("CL_FREQ", "CL_OBS_STATUS"):
            _add(codelist, NOT_APPLICABLE, "Not applicable")
    return made


def _indicators(codelist: m.Codelist, flow: Flow) -> None:
    declared = declaration(flow.dataset)
    for element in flow.elements:
        _add(codelist, code_id(element), declared.field(element).title)


def _published(codelist: m.Codelist, codes: Iterable[str], labels: Iterable[str]) -> None:
    for code, label in sorted(set(zip(codes, labels, strict=True))):
        _add(codelist, code, label)
