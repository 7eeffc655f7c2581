"""Grouping the records of all sources into substances, and reporting every conflict met on the way.

Keys, strongest first:

1. **InChIKey** of the standardised structure (the source's own InChIKey when it gives no SMILES). Records
   with one InChIKey are one substance. If they give different CAS numbers the substance keeps them all and
   the conflict is reported (``cas-conflict``).
2. **Stereo**: two structures with the same skeleton (first InChIKey block), one without stereochemistry,
   that share a name are one substance (``stereo-merged``): a source that draws no stereo-centre does
   not describe another compound. Two *different* stereo-forms are never merged.
3. **CAS number**, for records without a structure (the control lists); records giving one are placed
   before those giving none.
4. **Names**: the record's own names against the substances' own names first (strong), then, weakly, its
   names, synonyms and chemical names against the substances' synonyms and names, the substance with most
   matches winning. Names are compared by ``name_key``, then ``spelling_key`` ("amfetamine" = "amphetamine");
   chemical names by ``chemical_key``, which keeps the optical signs, so enantiomers stay apart.

Conflicts are never merged silently:

* a CAS number naming one substance and the names another: if both have a structure, the names win and the
  CAS number is not added (``cas-disagrees-with-names``: a list printed the CAS number of a neighbouring
  compound); otherwise the CAS number wins (``cas-and-names-disagree``: names such as the Chinese name
  六氢大麻酚, given to both parahexyl and HHC, are the weaker evidence);
* a CAS number or name matching several substances with nothing to choose between them leaves the record
  apart (``cas-ambiguous``, ``name-ambiguous``); when the name is the main name of only one of them, or one
  carries it in more records, that one is chosen and the choice reported (``name-resolved-by-support``);
* a record joined by name or synonym whose CAS number is new to the substance (``cas-conflict``): most are
  a salt's number given without its label ("23239-32-9", PMA hydrochloride), some a wrong number.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from observatory.reference.substances.identifiers import chemical_key, name_key, spelling_key
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report

MERGE = "merge"
UNSPECIFIED_STEREO = "UHFFFAOYSA"


@dataclass(slots=True)
class Cluster:
    members: list[int] = field(default_factory=list)
    inchikeys: Counter[str] = field(default_factory=Counter)
    cas: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class Merger:
    records: list[SubstanceRecord]
    keys: list[str | None]
    report: Report
    clusters: list[Cluster] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    by_cas: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    own_names: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    own_spellings: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    other_names: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    chemical_names: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def run(self) -> list[Cluster]:
        self._group_structures()
        self._merge_stereo_forms()
        for index in self._roots(range(len(self.clusters))):
            for position in self.clusters[index].members:
                self._index(index, self.records[position], add_cas=True)
        self._report_structure_conflicts()
        unplaced = [position for position, key in enumerate(self.keys) if key is None]
        for position in sorted(unplaced, key=lambda position: not self.records[position].cas):
            self._place(position, self.records[position])
        return [cluster for index, cluster in enumerate(self.clusters) if self._root(index) == index]

    def _new_cluster(self) -> int:
        self.clusters.append(Cluster())
        self.parent.append(len(self.parent))
        return len(self.clusters) - 1

    def _root(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def _roots(self, indexes: Iterable[int]) -> set[int]:
        return {self._root(index) for index in indexes}

    def _join(self, target: int, source: int) -> None:
        into, other = self.clusters[target], self.clusters[source]
        into.members.extend(other.members)
        into.inchikeys.update(other.inchikeys)
        into.cas.update(other.cas)
        into.names.update(other.names)
        self.parent[source] = target

    def _group_structures(self) -> None:
        by_key: dict[str, int] = {}
        for position, key in enumerate(self.keys):
            if key is None:
                continue
            index = by_key.get(key)
            if index is None:
                index = by_key[key] = self._new_cluster()
            self.clusters[index].members.append(position)
            self.clusters[index].inchikeys[key] += 1

    def _merge_stereo_forms(self) -> None:
        names: defaultdict[str, set[int]] = defaultdict(set)
        for index, cluster in enumerate(self.clusters):
            for position in cluster.members:
                for key in own_keys(self.records[position]):
                    names[key].add(index)
        for key, indexes in names.items():
            for group in self._by_skeleton(indexes).values():
                self._merge_stereo_group(key, group)

    def _by_skeleton(self, indexes: Iterable[int]) -> dict[str, list[int]]:
        groups: defaultdict[str, list[int]] = defaultdict(list)
        for index in sorted(self._roots(indexes)):
            inchikeys = self.clusters[index].inchikeys
            if len(inchikeys) == 1:
                groups[next(iter(inchikeys)).split("-")[0]].append(index)
        return {skeleton: group for skeleton, group in groups.items() if len(group) > 1}

    def _merge_stereo_group(self, key: str, group: list[int]) -> None:
        def stereo(index: int) -> str:
            return next(iter(self.clusters[index].inchikeys)).split("-")[1]

        unspecified = [index for index in group if stereo(index) == UNSPECIFIED_STEREO]
        specified = [index for index in group if index not in unspecified]
        if len(unspecified) != 1 or len(specified) != 1:
            return
        self._join(unspecified[0], specified[0])
        keys = ", ".join(sorted(self.clusters[unspecified[0]].inchikeys))
        self.report.fix("stereo-merged", MERGE, keys, f"one structure without stereochemistry, same name {key!r}")

    def _index(self, index: int, record: SubstanceRecord, *, add_cas: bool) -> None:
        cluster = self.clusters[index]
        if add_cas:
            cluster.cas.update(record.cas)
            for cas in record.cas:
                self.by_cas[cas].add(index)
        for name in own_names(record):
            cluster.names[name_key(name)] += 1
            self.own_names[name_key(name)].add(index)
            self.own_spellings[spelling_key(name)].add(index)
        for name in (*record.synonyms, *record.iupac_names):
            self.other_names[name_key(name)].add(index)
        for name in record.all_names:
            self.chemical_names[chemical_key(name)].add(index)

    def _report_structure_conflicts(self) -> None:
        for index, cluster in enumerate(self.clusters):
            if self._root(index) == index and len(cluster.cas) > 1:
                where = ", ".join(sorted(cluster.inchikeys))
                self.report.flag(
                    "cas-conflict", MERGE, where, "one structure, several CAS numbers", _listed(cluster.cas)
                )
        for cas, indexes in sorted(self.by_cas.items()):
            roots = self._roots(indexes)
            if len(roots) > 1:
                keys = sorted(key for index in roots for key in self.clusters[index].inchikeys)
                self.report.flag("cas-shared", MERGE, cas, f"one CAS number, {len(keys)} structures", ", ".join(keys))

    def _place(self, position: int, record: SubstanceRecord) -> None:
        target, add_cas = self._target(record)
        if target is None:
            target = self._new_cluster()
        self.clusters[target].members.append(position)
        self._index(target, record, add_cas=add_cas)

    def _target(self, record: SubstanceRecord) -> tuple[int | None, bool]:
        """The cluster ``record`` joins (``None``: a new one) and whether its CAS numbers join with it."""
        by_cas = self._roots(index for cas in record.cas for index in self.by_cas.get(cas, ()))
        by_names = self._strong_match(record)
        if by_cas:
            return self._resolve_cas(record, by_cas, by_names)
        if len(by_names) > 1:
            return self._by_support(record, by_names), True
        if by_names:
            (target,) = by_names
            if record.cas and self.clusters[target].cas:
                self._flag(record, "cas-conflict", "joined by name; its CAS number is new to the substance")
            return target, True
        return self._weak_match(record), True

    def _resolve_cas(self, record: SubstanceRecord, by_cas: set[int], by_names: set[int]) -> tuple[int | None, bool]:
        if len(by_cas) > 1:
            narrowed = by_cas & by_names
            if len(narrowed) == 1:
                return next(iter(narrowed)), True
            self._flag(record, "cas-ambiguous", f"CAS number shared by {len(by_cas)} substances: kept apart")
            return None, False
        (target,) = by_cas
        if not by_names or target in by_names:
            return target, True
        if len(by_names) > 1:
            self._flag(record, "cas-and-names-disagree", "CAS number and names point at different substances")
            return None, False
        (named,) = by_names
        if self.clusters[named].inchikeys and self.clusters[target].inchikeys:
            self._flag(record, "cas-disagrees-with-names", "CAS number names another substance: not added")
            return named, False
        self._flag(record, "cas-and-names-disagree", "its names belong to another entry: joined by CAS number")
        return target, True

    def _strong_match(self, record: SubstanceRecord) -> set[int]:
        found = self._roots(index for key in own_keys(record) for index in self.own_names.get(key, ()))
        if found:
            return found
        spellings = {spelling_key(name) for name in own_names(record)}
        return self._roots(index for key in spellings for index in self.own_spellings.get(key, ()))

    def _by_support(self, record: SubstanceRecord, candidates: set[int]) -> int | None:
        """The candidate whose main name the record's name is, else the one more records give it, else none."""
        keys = own_keys(record)

        def rank(index: int) -> tuple[bool, int]:
            names = self.clusters[index].names
            main = names.most_common(1)[0][0] if names else ""
            return main in keys, sum(names[key] for key in keys)

        ranked = sorted(candidates, key=rank, reverse=True)
        if rank(ranked[0]) == rank(ranked[1]):
            self._flag(record, "name-ambiguous", f"name matches {len(candidates)} substances equally: kept apart")
            return None
        message = f"name matches {len(candidates)} substances; joined the one it names most"
        self._flag(record, "name-resolved-by-support", message, fixed=True)
        return ranked[0]

    def _weak_match(self, record: SubstanceRecord) -> int | None:
        """The one substance most of the record's names point at through synonyms and chemical names."""
        evidence: Counter[int] = Counter()
        for key in own_keys(record):
            evidence.update(self._roots(self.other_names.get(key, ())))
        for name in record.synonyms:
            evidence.update(self._roots(self.own_names.get(name_key(name), ())))
        for name in record.iupac_names:
            evidence.update(self._roots(self.chemical_names.get(chemical_key(name), ())))
        if not evidence:
            return None
        (target, most), *rest = evidence.most_common()
        if rest and rest[0][1] == most:
            self._flag(record, "name-ambiguous", f"synonyms match {len(evidence)} substances equally: kept apart")
            return None
        if record.cas and self.clusters[target].cas and not set(record.cas) & self.clusters[target].cas:
            self._flag(record, "cas-conflict", "joined by a synonym; its CAS number is new to the substance")
        return target

    def _flag(self, record: SubstanceRecord, code: str, message: str, *, fixed: bool = False) -> None:
        where = f"{record.source}:{record.record_id}"
        (self.report.fix if fixed else self.report.flag)(code, MERGE, where, message, record.name)


def own_names(record: SubstanceRecord) -> tuple[str, ...]:
    """The names a record gives the substance itself (main name, printed aliases, INN)."""
    return tuple(dict.fromkeys(name for name in (*record.names, record.inn) if name))


def own_keys(record: SubstanceRecord) -> set[str]:
    return {key for key in map(name_key, own_names(record)) if key}


def merge_records(records: list[SubstanceRecord], keys: list[str | None], report: Report) -> list[Cluster]:
    """Clusters of record positions, one per substance; ``keys[i]`` is the InChIKey of ``records[i]``."""
    return Merger(records, keys, report).run()


def _listed(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))
