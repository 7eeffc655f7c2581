"""A last merge pass: an entry without a structure joins the one entry with a structure that shares a name.

The first passes (:mod:`observatory.reference.substances.merge`) join a record by CAS number, by its own names
and by synonyms pointing at names. Two records that only share a *synonym* stay apart: China lists
1-(3-trifluoromethylphenyl)piperazine with "TFMPP" beside it, SWGDRUG draws the structure under a misspelt
name with the synonym "TFMPP"; the name "TFMPP" then belongs to two entries, each with half of the facts.

Here an entry without a structure joins the entry with a structure that shares any of its names (own names,
synonyms, the INN) when exactly one such entry exists and their CAS numbers do not disagree; the join is
reported (``joined-by-shared-name``). A shared name pointing at several structures, or a CAS disagreement,
leaves the entries apart and is reported (``name-shared-by-structures``, ``cas-disagrees-with-shared-name``).
"""

from collections import defaultdict

from observatory.reference.substances.identifiers import name_key
from observatory.reference.substances.merge import MERGE, Cluster
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report


def join_by_shared_names(records: list[SubstanceRecord], clusters: list[Cluster], report: Report) -> list[Cluster]:
    """``clusters`` with each structure-less cluster joined to the one structured cluster sharing a name."""
    structured: defaultdict[str, set[int]] = defaultdict(set)
    for index, cluster in enumerate(clusters):
        if cluster.inchikeys:
            for key in _keys(records, cluster):
                structured[key].add(index)
    absorbed: set[int] = set()
    for index, cluster in enumerate(clusters):
        if cluster.inchikeys:
            continue
        keys = _keys(records, cluster)
        targets = {target for key in keys for target in structured.get(key, ())}
        where = ", ".join(f"{records[p].source}:{records[p].record_id}" for p in cluster.members)
        if len(targets) > 1:
            named = ", ".join(sorted(k for t in targets for k in clusters[t].inchikeys))
            report.flag(
                "name-shared-by-structures", MERGE, where, f"a name is shared by {len(targets)} structures", named
            )
            continue
        if not targets:
            continue
        (target,) = targets
        into = clusters[target]
        if cluster.cas and into.cas and not cluster.cas & into.cas:
            message = "shares a name with a structure whose CAS number differs: kept apart"
            report.flag("cas-disagrees-with-shared-name", MERGE, where, message, ", ".join(sorted(cluster.cas)))
            continue
        into.members.extend(cluster.members)
        into.cas.update(cluster.cas)
        into.names.update(cluster.names)
        absorbed.add(index)
        shared = ", ".join(sorted(keys & _keys(records, into)))
        report.fix("joined-by-shared-name", MERGE, where, f"joined {', '.join(sorted(into.inchikeys))}", shared)
    return [cluster for index, cluster in enumerate(clusters) if index not in absorbed]


def _keys(records: list[SubstanceRecord], cluster: Cluster) -> set[str]:
    return {
        key
        for position in cluster.members
        for name in (*records[position].names, records[position].inn, *records[position].synonyms)
        if name and (key := name_key(name))
    }
