"""The substance registry: every source merged into substances, and lookup by name, CAS, InChIKey or SMILES.

Build it with :func:`build_registry` (about a second from the shipped files and structure cache), or use
:func:`substance_registry` for the shipped registry built once per process.
"""

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from observatory.errors import BadInput
from observatory.reference.substances.identifiers import name_key
from observatory.reference.substances.lookup import NameIndex
from observatory.reference.substances.merge import Cluster, merge_records, own_keys, own_names
from observatory.reference.substances.merge_shared_names import join_by_shared_names
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import SUBSTANCE_DATA
from observatory.reference.substances.sources import read_sources
from observatory.reference.substances.sources.dea_street_names import DEA_STREET, StreetNameGroup
from observatory.reference.substances.structure import Structure
from observatory.reference.substances.structure_cache import CACHE_FILE, load_structure_cache, standardise_all
from observatory.reference.substances.substance import SourceRef, Substance, assemble, substance_id, typeset

STRUCTURES = "structures"
MERGE = "merge"


@dataclass(frozen=True, slots=True)
class SubstanceRegistry:
    substances: tuple[Substance, ...]
    records: dict[SourceRef, SubstanceRecord]
    report: Report
    index: NameIndex = field(repr=False)

    def __len__(self) -> int:
        return len(self.substances)

    def get(self, substance_id: str) -> Substance:
        """The substance with identifier ``substance_id``, or ``BadInput``."""
        return self.index.by_id(substance_id)

    def find(self, query: str) -> Substance:
        """The substance named or identified by ``query``: a name (any case, accents, salt form), a CAS number,
        an InChIKey or a SMILES string.

        ``BadInput`` when nothing matches (naming the three closest names) or the CAS number is invalid;
        ``Conflict`` when a name belongs to several substances equally.
        """
        return self.index.find(query)


def build_registry(directory: Path = SUBSTANCE_DATA, structure_cache: Path = CACHE_FILE) -> SubstanceRegistry:
    batch = read_sources(directory)
    report = batch.report
    structures = _structures(batch.records, structure_cache, report)
    keys = [
        structure.inchikey if structure else record.inchikey
        for record, structure in zip(batch.records, structures, strict=True)
    ]
    clusters = join_by_shared_names(batch.records, merge_records(batch.records, keys, report), report)
    substances = _assemble(batch.records, structures, clusters, report)
    index = NameIndex(substances)
    substances = _with_street_names(substances, batch.street_names, index, report)
    records = {SourceRef(record.source, record.record_id): record for record in batch.records}
    return SubstanceRegistry(tuple(substances), records, report, NameIndex(substances))


@cache
def substance_registry() -> SubstanceRegistry:
    """The registry of the shipped source files, built on first use."""
    return build_registry()


def _structures(records: list[SubstanceRecord], cache_file: Path, report: Report) -> list[Structure | None]:
    outcomes = standardise_all((r.smiles for r in records if r.smiles), load_structure_cache(cache_file))
    structures: list[Structure | None] = []
    for record in records:
        outcome = outcomes.get(record.smiles) if record.smiles else None
        if isinstance(outcome, BadInput):
            where = f"{record.source}:{record.record_id}"
            report.flag("smiles-unparseable", STRUCTURES, where, outcome.message, record.smiles or "")
            outcome = None
        structures.append(outcome)
    return structures


def _assemble(
    records: list[SubstanceRecord], structures: list[Structure | None], clusters: list[Cluster], report: Report
) -> list[Substance]:
    owners: dict[str, set[int]] = {}
    for number, cluster in enumerate(clusters):
        for position in cluster.members:
            for key in own_keys(records[position]):
                owners.setdefault(key, set()).add(number)
    substances: list[Substance] = []
    taken: set[str] = set()
    for number, cluster in enumerate(clusters):
        members = [records[position] for position in cluster.members]
        own = [typeset(record, name) for record in members for name in own_names(record)]
        others = _kept_synonyms(members, number, owners, report)
        shapes = [structure for position in cluster.members if (structure := structures[position]) is not None]
        substance = assemble(members, shapes, (own, others), cluster.cas)
        substances.append(replace(substance, id=substance_id(substance, taken)))
    return substances


def _kept_synonyms(
    members: list[SubstanceRecord], number: int, owners: dict[str, set[int]], report: Report
) -> list[str]:
    """Synonyms, except those that are another substance's own name ("MDMA" listed under 2C-B)."""
    kept: list[str] = []
    for record in members:
        for synonym in record.synonyms:
            holders = owners.get(name_key(synonym), set())
            if holders and number not in holders:
                where = f"{record.source}:{record.record_id}"
                report.fix(
                    "synonym-names-other-substance",
                    MERGE,
                    where,
                    "synonym is another substance's name: not kept",
                    synonym,
                )
            else:
                kept.append(synonym)
    return kept


def _with_street_names(
    substances: list[Substance], groups: list[StreetNameGroup], index: NameIndex, report: Report
) -> list[Substance]:
    """DEA street names attached to the substance their category, or else their brand, names."""
    attached: dict[str, list[str]] = {}
    for group in groups:
        target = index.resolve(group.category) or (index.resolve(group.brand) if group.brand else None)
        label = f"{group.category}/{group.brand}" if group.brand else group.category
        if target is None:
            message = f"{len(group.names)} street names: no single substance is named {label!r}"
            report.flag("street-names-unplaced", DEA_STREET, label, message, ", ".join(group.names[:5]))
            continue
        attached.setdefault(target.id, []).extend(group.names)
    return [
        replace(substance, street_names=tuple(dict.fromkeys(attached[substance.id])))
        if substance.id in attached
        else substance
        for substance in substances
    ]
