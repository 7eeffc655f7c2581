"""Drug names: the World Drug Report hierarchy of drug groups, sub-groups and drugs, and resolving names to it.

Package data (``observatory/datasets/reference``):

- ``wdr_drugs.csv``: every (drug group, sub-group, drug) the WDR 2025 annex tables name, spelled as they spell
  it, with the tables naming it; derived by ``scripts/derive_wdr_drugs.py``. The tables do not share one
  vocabulary: 7.1 says "Cocaine-type", 8.1 also "Cocaine-type drugs", 2.1 "ATS" beside "Amphetamine-type
  stimulants". Each spelling is kept as its table gives it.
- ``drug_aliases.csv``: common names (``ecstasy``, ``hashish``, ``PCP``) and other tables' spellings of a 7.1
  group (``Cocaine-type drugs``) → their WDR 7.1 spelling, which ``wdr_drug_name`` gives (the conversion factors
  use 7.1 names). ``resolve_drug`` turns to an alias only for a name no table uses: "MDMA" is a drug of tables 2.1
  and 8.1 as well as an alias.
- ``drug_national_names.csv``: national and street names (Ganja, Charas, Doda post, Phensedyl...) → their WDR 7.1
  spelling, each with its source and whether the source says so (``confirmed``) or the reading is ours.

A name resolves, in this order, to the places in the hierarchy that carry it exactly as given, else to those
equal to it after ``normalise_name`` (case, quotes, spacing), else through an alias. When a name has several
places, a group wins (a name that is a group anywhere names that group); else the place in the table first in
``TABLE_RANK`` (``Heroin`` is a 7.1 drug of the sub-group "Opiates" and an 8.1 sub-group of its own: the 7.1 drug),
then a sub-group over a drug, then the place more tables name, then the first in ``wdr_drugs.csv``.

The seizure data sets check each level on its own: see ``seizure_drug_names``.
"""

import csv
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from observatory.datasets import DATASETS
from observatory.errors import BadInput
from observatory.reference.conversion import normalise_name
from observatory.reference.substances.registry import substance_registry
from observatory.reference.tables import cell_error, read_table

DRUG_ALIASES = DATASETS / "reference" / "drug_aliases.csv"
NATIONAL_NAMES = DATASETS / "reference" / "drug_national_names.csv"
NATIONAL_COLUMNS = ("alias", "wdr_name", "countries", "status", "source", "note")
STATUSES = ("confirmed", "unconfirmed")
WDR_DRUGS = DATASETS / "reference" / "wdr_drugs.csv"
CANDIDATES = 3
# 7.1 carries the full three-level hierarchy; the others name fewer levels.
TABLE_RANK = ("7.1", "8.1", "2.1", "1.2", "6.1.1", "6.2.1", "1.1")
# WDR names the registry finds a substance for, though they name a plant, a product or a class of drugs, or
# the registry's match is wrong (it files "Alcohol" under d-ephedrine and "Phenethylamine" under PMA).
NOT_ONE_SUBSTANCE = frozenset(
    normalise_name(name)
    for name in (
        "Alcohol",
        "Anabolic steroids",
        "2C (psychedelics)",
        "Captagon",
        "Cannabis",
        "Cannabis (Candy)",
        "Cannabis (Gum)",
        "Cannabis (Leaf)",
        "Cannabis (Oil)",
        "Cannabis (Plant)",
        "Cannabis (Seed)",
        "Cannabis herb (marijuana)",
        "Cannabis resin (hashish)",
        "Coca leaf",
        "Cocaine (total of the above, including if unspecified/undistinguished, but excluding coca leaf and coca bush)",
        "Ecstasy",
        "Khat",
        "Kratom",
        "Kratom (Mitragyna speciosa)",
        "Marijuana (herb)",
        "Opium",
        "opium poppy",
        "Phenethylamine",
        "Poppy straw (seed heads, pods or capsules)",
        "Salvia divinorum",
        "Speed",
    )
)
_TRAILING_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)$")
#: Dashes a keyboard or a word processor may put for the hyphen, and single quotes, which no WDR name has: a name
#: quoted with them ('Yaba') is the name quoted with double quotes, which ``normalise_name`` drops.
_VARIANTS = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014", "-") | dict.fromkeys("'\u2018\u2019\u201a\u201b\u2032", "")
)


class UnknownDrug(BadInput):
    code = "unknown-drug"


class Level(StrEnum):
    GROUP = "group"
    SUBGROUP = "subgroup"
    DRUG = "drug"


class MatchedBy(StrEnum):
    EXACT = "exact"
    NORMALISED = "normalised"
    ALIAS = "alias"


@dataclass(frozen=True, slots=True)
class WdrDrug:
    """A place in the WDR hierarchy: a drug of a group (and perhaps a sub-group), or a sub-group (``drug``
    ``None``) or group (also ``subgroup`` ``None``) itself; ``tables`` are the annex tables naming it."""

    group: str
    subgroup: str | None
    drug: str | None
    tables: tuple[str, ...]

    @property
    def level(self) -> Level:
        if self.drug is not None:
            return Level.DRUG
        return Level.GROUP if self.subgroup is None else Level.SUBGROUP

    @property
    def name(self) -> str:
        return self.drug or self.subgroup or self.group


@dataclass(frozen=True, slots=True)
class Alias:
    """A name for a place in the hierarchy that table 7.1 spells ``wdr_name``; ``confirmed`` when ``source`` says
    so, not when the reading is ours."""

    alias: str
    wdr_name: str
    source: str
    note: str = ""
    confirmed: bool = True
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DrugMatch:
    """What ``query`` names: its place in the hierarchy, how it matched, the registry substance when the name is
    one substance, and the other places the same name has in the tables."""

    query: str
    entry: WdrDrug
    matched_by: MatchedBy
    substance_id: str | None
    others: tuple[WdrDrug, ...] = ()


def wdr_drug_name(name: str) -> str:
    """The WDR spelling of ``name`` if it is a known common name, else ``name`` unchanged."""
    return _aliases().get(normalise_name(name), name)


def resolve_drug(name: str) -> DrugMatch:
    """The place in the WDR hierarchy that ``name`` (a WDR spelling in any case or quotes, or an alias) names."""
    found = _index().get(normalise_name(name), [])
    exact = [place for place in found if place.name == name]
    matched_by = MatchedBy.EXACT if exact else MatchedBy.NORMALISED
    if not found:
        target = _aliases().get(normalise_name(name))
        found = _index().get(normalise_name(target), []) if target else []
        exact = [place for place in found if place.name == target]
        matched_by = MatchedBy.ALIAS
    if not found:
        raise _unknown(name)
    entry = (exact or found)[0]
    others = tuple(place for place in found if place != entry)
    return DrugMatch(name, entry, matched_by, _substance_id(entry), others)


def drug_groups() -> tuple[str, ...]:
    """Every drug group the tables name, as each spells it."""
    return tuple(dict.fromkeys(drug.group for drug in drug_hierarchy()))


@cache
def drug_hierarchy() -> tuple[WdrDrug, ...]:
    """The rows of ``wdr_drugs.csv``: every drug with its group, its sub-group (if the table gives one), tables."""
    with WDR_DRUGS.open(encoding="utf-8", newline="") as handle:
        return tuple(
            WdrDrug(row["drug_group"], row["drug_subgroup"] or None, row["drug"], tuple(row["tables"].split(";")))
            for row in csv.DictReader(handle)
        )


@cache
def _aliases() -> dict[str, str]:
    return {normalise_name(alias.alias): alias.wdr_name for alias in alias_records().values()}


@cache
def _index() -> dict[str, list[WdrDrug]]:
    """Normalised name → its places (drugs, sub-groups, groups), best first."""
    places = list(drug_hierarchy())
    for level in (Level.SUBGROUP, Level.GROUP):
        places += _containers(drug_hierarchy(), level)
    order = {place: number for number, place in enumerate(places)}
    levels = list(Level)
    index: defaultdict[str, list[WdrDrug]] = defaultdict(list)
    for place in sorted(
        places,
        key=lambda p: (
            p.level is not Level.GROUP,
            min(map(_table_rank, p.tables)),
            levels.index(p.level),
            -len(p.tables),
            order[p],
        ),
    ):
        index[normalise_name(place.name)].append(place)
    return dict(index)


def _containers(drugs: Iterable[WdrDrug], level: Level) -> list[WdrDrug]:
    """The sub-groups or the groups of ``drugs``, each with every table naming one of its drugs."""
    tables: dict[tuple[str, str | None], set[str]] = {}
    for drug in drugs:
        if level is Level.GROUP or drug.subgroup is not None:
            key = (drug.group, drug.subgroup if level is Level.SUBGROUP else None)
            tables.setdefault(key, set()).update(drug.tables)
    return [
        WdrDrug(group, subgroup, None, tuple(sorted(found, key=table_order)))
        for (group, subgroup), found in tables.items()
    ]


def table_order(table: str) -> tuple[int, ...]:
    """A sort key putting annex table numbers in numeric order ("6.1.1" before "7.1")."""
    return tuple(int(part) for part in table.split("."))


def _table_rank(table: str) -> int:
    return TABLE_RANK.index(table) if table in TABLE_RANK else len(TABLE_RANK)


def registry_spellings(name: str) -> tuple[str, ...]:
    """The spellings the registry is asked for, in turn, for the substance of a WDR name: the name, the name
    without a trailing parenthesis, and each comma-separated part of that parenthesis ("Tenamfetamine (MDA)":
    "Tenamfetamine", then "MDA")."""
    spelled = " ".join(name.split())
    inside = _TRAILING_PARENTHESIS.search(spelled)
    parts = [part.strip() for part in inside.group(1).split(",")] if inside else []
    return tuple(dict.fromkeys((spelled, _TRAILING_PARENTHESIS.sub("", spelled), *filter(None, parts))))


@cache
def _substance_id(entry: WdrDrug) -> str | None:
    """The registry substance a drug or sub-group name names (see ``registry_spellings``); none for a group or a
    name in ``NOT_ONE_SUBSTANCE``."""
    if entry.level is Level.GROUP or normalise_name(entry.name) in NOT_ONE_SUBSTANCE:
        return None
    for spelling in registry_spellings(entry.name):
        # ``find`` matches names the same way, but ranks the closest names for its error on every miss (~0.2 s).
        substance = substance_registry().index.resolve(spelling)
        if substance is not None:
            return substance.id
    return None


def _unknown(name: str) -> UnknownDrug:
    key = normalise_name(name)
    if not key:
        return UnknownDrug(f"no drug name in {name!r}", [{"value": name}])
    matcher = difflib.SequenceMatcher(b=key)
    scores: list[tuple[float, str]] = []
    for other in _index():
        matcher.set_seq1(other)
        scores.append((round(matcher.ratio(), 3), other))
    closest = sorted(scores, key=lambda scored: (-scored[0], scored[1]))[:CANDIDATES]
    places = [(_index()[other][0], score) for score, other in closest]
    listed = ", ".join(f"{place.name} ({place.group})" for place, _ in places)
    return UnknownDrug(
        f"unknown drug {name!r}; closest WDR names: {listed}",
        [
            {"value": name, "name": place.name, "level": str(place.level), "group": place.group, "score": score}
            for place, score in places
        ],
    )


def drug_key(name: str) -> str:
    """``normalise_name`` after dashes are made hyphens and single quotes dropped ('Yaba', Amphetamine–type)."""
    return normalise_name(name.translate(_VARIANTS))


@cache
def alias_records() -> dict[str, Alias]:
    """Every alias of ``drug_aliases.csv`` and ``drug_national_names.csv`` by ``drug_key``; an alias given twice
    is a ``SourceFileError`` naming the second."""
    found: dict[str, Alias] = {}
    for path, number, alias in [*_common_aliases(), *_national_names()]:
        held = found.setdefault(drug_key(alias.alias), alias)
        if held is not alias:
            raise cell_error(path, number, "alias", alias.alias, f"given already, for {held.wdr_name!r}")
    return found


def _common_aliases() -> list[tuple[Path, int, Alias]]:
    return [
        (DRUG_ALIASES, number, Alias(row["alias"], row["wdr_name"], DRUG_ALIASES.name, row["note"]))
        for number, row in read_table(DRUG_ALIASES, ("alias", "wdr_name", "note"))
    ]


def _national_names() -> list[tuple[Path, int, Alias]]:
    found = []
    for number, row in read_table(NATIONAL_NAMES, NATIONAL_COLUMNS, exact=True):
        if row["status"] not in STATUSES:
            raise cell_error(NATIONAL_NAMES, number, "status", row["status"], f"expected one of {STATUSES}")
        if not row["source"].strip():
            raise cell_error(NATIONAL_NAMES, number, "source", row["source"], "cite where the name comes from")
        countries = tuple(filter(None, (code.strip() for code in row["countries"].split(";"))))
        confirmed = row["status"] == "confirmed"
        alias = Alias(row["alias"], row["wdr_name"], row["source"], row["note"], confirmed, countries)
        found.append((NATIONAL_NAMES, number, alias))
    return found
