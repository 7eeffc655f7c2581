"""The group, sub-group and drug columns of the seizure data sets: each level checked against the names the WDR
tables give that level, and stored as table 7.1 spells it so that figures group as the WDR groups them.

A cell of a level resolves, in this order, to a table 7.1 name of that level (as given, else equal after
``drug_key``: case, quotes, dashes, spacing), to the name an alias stands for (``drug_aliases.csv``,
``drug_national_names.csv``) if that is a name of the level, or to a name another annex table gives the level.
Other tables spell some groups otherwise ("Cocaine-type drugs"); aliases bring those to table 7.1's spelling, so
``groups_of`` can tell under which groups, as stored, the tables file a sub-group or a drug.
"""

import difflib
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from observatory.reference.drug_names import (
    CANDIDATES,
    Alias,
    Level,
    MatchedBy,
    UnknownDrug,
    WdrDrug,
    alias_records,
    drug_hierarchy,
    drug_key,
    registry_spellings,
)

#: The annex table of the seizure data sets: its spellings are the ones stored.
SEIZURE_TABLE = "7.1"
#: Scores are rounded to three decimals: a spelling whose bound is this far below the third best may still tie it.
ROUNDING = 0.0005


class UnknownDrugGroup(UnknownDrug):
    code = "unknown-drug-group"


class UnknownDrugSubgroup(UnknownDrug):
    code = "unknown-drug-subgroup"


@dataclass(frozen=True, slots=True)
class SeizureName:
    """What a cell of a seizure table's group, sub-group or drug column names: ``name`` is the spelling stored
    (table 7.1's wherever that table has the name), ``alias`` the alias it went through, if any."""

    query: str
    name: str
    level: Level
    matched_by: MatchedBy
    alias: Alias | None = None


@dataclass(frozen=True, slots=True)
class _LevelNames:
    """The names of one level: table 7.1's (``seizure``, normalised key → first spelling) and the other tables'
    (``other``, for keys 7.1 does not have)."""

    seizure: dict[str, str]
    seizure_spellings: frozenset[str]
    other: dict[str, str]
    other_spellings: frozenset[str]

    def stored(self, name: str) -> str | None:
        """The spelling stored for ``name`` at this level, if it is a name of this level."""
        if name in self.seizure_spellings or (name in self.other_spellings and drug_key(name) not in self.seizure):
            return name
        key = drug_key(name)
        return self.seizure.get(key) or self.other.get(key)


def seizure_name(name: str, level: Level) -> SeizureName:
    """``name`` as a group, sub-group or drug of the seizure data sets, taken in this order: a table 7.1 name of
    that level (as given, else in another case, quotes or spacing: 7.1's spelling), an alias of a name of that
    level, a name another table gives that level. Else ``UnknownDrug`` (``UnknownDrugGroup``,
    ``UnknownDrugSubgroup``) with the ``CANDIDATES`` closest names."""
    found = _match(name, level)
    if found is None:
        raise _unknown_at(name, level)
    return found


def _match(name: str, level: Level) -> SeizureName | None:
    names = _level_names(level)
    key = drug_key(name)
    if name in names.seizure_spellings:
        return SeizureName(name, name, level, MatchedBy.EXACT)
    if key in names.seizure:
        return SeizureName(name, names.seizure[key], level, MatchedBy.NORMALISED)
    alias = alias_records().get(key)
    target = names.stored(alias.wdr_name) if alias is not None else None
    if target is not None:
        return SeizureName(name, target, level, MatchedBy.ALIAS, alias)
    if name in names.other_spellings:
        return SeizureName(name, name, level, MatchedBy.EXACT)
    if key in names.other:
        return SeizureName(name, names.other[key], level, MatchedBy.NORMALISED)
    return None


def seizure_names(level: Level) -> tuple[str, ...]:
    """Table 7.1's names of ``level``, in alphabetical order (ignoring case and quotes)."""
    return tuple(sorted(_level_names(level).seizure_spellings, key=lambda name: (drug_key(name), name)))


def groups_of(name: str, level: Level) -> frozenset[str]:
    """The groups the tables file the sub-group or drug ``name`` (a spelling ``seizure_name`` stores) under,
    spelled as ``seizure_name`` stores them."""
    return _memberships()[level].get(name, frozenset())


def _level_name(drug: WdrDrug, level: Level) -> str | None:
    return drug.group if level is Level.GROUP else drug.subgroup if level is Level.SUBGROUP else drug.drug


@cache
def _level_names(level: Level) -> _LevelNames:
    seizure: dict[str, str] = {}
    other: dict[str, str] = {}
    spellings: tuple[set[str], set[str]] = (set(), set())
    for drug in drug_hierarchy():
        name = _level_name(drug, level)
        if name is None:
            continue
        in_seizures = SEIZURE_TABLE in drug.tables
        (seizure if in_seizures else other).setdefault(drug_key(name), name)
        spellings[0 if in_seizures else 1].add(name)
    other = {key: name for key, name in other.items() if key not in seizure}
    return _LevelNames(seizure, frozenset(spellings[0]), other, frozenset(spellings[1]))


@cache
def _memberships() -> dict[Level, dict[str, frozenset[str]]]:
    found: dict[Level, defaultdict[str, set[str]]] = {level: defaultdict(set) for level in Level}
    for drug in drug_hierarchy():
        group = seizure_name(drug.group, Level.GROUP).name
        for level in (Level.SUBGROUP, Level.DRUG):
            name = _level_name(drug, level)
            if name is not None:
                found[level][seizure_name(name, level).name].add(group)
    return {level: {name: frozenset(groups) for name, groups in names.items()} for level, names in found.items()}


@cache
def _spellings_at(level: Level) -> tuple[tuple[str, str], ...]:
    """(key of a spelling, name stored for it) for every name and alias of ``level``, and for the parts of each
    name (without its trailing parenthesis, each part inside it), which is how people shorten them."""
    names = _level_names(level)
    spellings = [*sorted(names.seizure_spellings), *sorted(names.other_spellings)]
    pairs: dict[tuple[str, str], None] = {}
    for spelling in [*spellings, *(alias.alias for alias in alias_records().values())]:
        found = _match(spelling, level)
        if found is None:
            continue
        for part in registry_spellings(spelling):
            pairs[(drug_key(part), found.name)] = None
    return tuple(pairs)


_UNKNOWN = {Level.GROUP: UnknownDrugGroup, Level.SUBGROUP: UnknownDrugSubgroup, Level.DRUG: UnknownDrug}
_LEVEL_WORDS = {Level.GROUP: "drug group", Level.SUBGROUP: "drug sub-group", Level.DRUG: "drug"}


def _unknown_at(name: str, level: Level) -> UnknownDrug:
    """The error for ``name``, unknown at ``level``, with the closest names of the level; in a group column, a
    sub-group or drug name (written one column off) is answered with the groups it is filed under, first."""
    key = drug_key(name)
    error = _UNKNOWN[level]
    words = _LEVEL_WORDS[level]
    if not key:
        return error(f"no {words} name in {name!r}", [{"value": name}])
    closest = _closest(key, _spellings_at(level))
    filed, note = _filed_elsewhere(name) if level is Level.GROUP else ((), "")
    filed_first = [(group, _score(key, group)) for group in filed]
    closest = [*filed_first, *(found for found in closest if found[0] not in filed)]
    listed = "; ".join(stored for stored, _ in closest[:CANDIDATES])
    return error(
        f"unknown {words} {name!r}{note}; closest WDR names: {listed}",
        [
            {"value": name, "name": stored, "level": str(level), "score": score}
            for stored, score in closest[:CANDIDATES]
        ],
    )


def _filed_elsewhere(name: str) -> tuple[tuple[str, ...], str]:
    """The groups of ``name`` if it is a sub-group or drug, and the note saying so."""
    for level in (Level.SUBGROUP, Level.DRUG):
        found = _match(name, level)
        if found is not None and (groups := groups_of(found.name, level)):
            return tuple(sorted(groups)), f" (a {_LEVEL_WORDS[level]} of {'; '.join(sorted(groups))})"
    return (), ""


def _score(key: str, name: str) -> float:
    return round(difflib.SequenceMatcher(None, drug_key(name), key).ratio(), 3)


def _closest(key: str, spellings: Iterable[tuple[str, str]]) -> list[tuple[str, float]]:
    """The ``CANDIDATES`` stored names whose spellings are most like ``key``, best first. A spelling whose upper
    bounds (``real_quick_ratio``, ``quick_ratio``) are below the third best score so far is not compared in full."""
    matcher = difflib.SequenceMatcher(b=key)
    best: dict[str, float] = {}
    floor = 0.0
    for other, stored in spellings:
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() < floor - ROUNDING or matcher.quick_ratio() < floor - ROUNDING:
            continue
        score = round(matcher.ratio(), 3)
        if score > best.get(stored, -1.0):
            best[stored] = score
            if score > floor and len(best) >= CANDIDATES:
                floor = heapq.nlargest(CANDIDATES, best.values())[-1]
    return sorted(best.items(), key=lambda scored: (-scored[1], scored[0]))[:CANDIDATES]
