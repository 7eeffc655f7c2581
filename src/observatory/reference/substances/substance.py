"""One substance of the registry, assembled from the records merged into it.

Preferred name: the name the INCB lists give (the INN where there is one) when another record gives it too
(so a name damaged by the PDF parse, "HEXAHYDROCANNA BINOL", does not win) or the substance has no other
name; else the name most records give the substance (ties: Latin script, then shorter). It is written as
most sources spell it, preferring a spelling not all in capitals; the Yellow List's names and the Green
List's INNs, printed in capitals, are recased ("Acetyl-alpha-methylfentanyl", see :func:`display_case`).

Identifier: the InChIKey of the structure; without a structure "CAS-" and the lowest CAS number; without
either "name-" and the preferred name in lower case with hyphens. A clash takes a "-2", "-3" suffix.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from observatory.reference.substances.identifiers import name_key, normalise_name
from observatory.reference.substances.incb_entry import GREEN, YELLOW
from observatory.reference.substances.records import ControlFact, SubstanceRecord
from observatory.reference.substances.sources.incb import INCB_SOURCES
from observatory.reference.substances.structure import Structure

_HAN = re.compile(r"[\u3400-\u9fff]")
_LONG_CAPITAL_WORD = re.compile(r"(?<![A-Za-z])[A-Z]{6,}(?![A-Za-z])")
_CAPITAL_WORD = re.compile(r"(?<![A-Za-z])(?:[A-Z]{3,}|OF)(?![A-Za-z])")


@dataclass(frozen=True, slots=True)
class SourceRef:
    source: str
    record_id: str


@dataclass(frozen=True, slots=True)
class Substance:
    id: str
    preferred_name: str
    synonyms: tuple[str, ...]
    street_names: tuple[str, ...]
    inn: str | None
    cas: tuple[str, ...]
    related_cas: tuple[str, ...]
    structure: Structure | None
    other_inchikeys: tuple[str, ...]
    iupac_names: tuple[str, ...]
    categories: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    controls: tuple[ControlFact, ...]
    first_identified: date | None

    @property
    def inchikey(self) -> str | None:
        return self.structure.inchikey if self.structure else None

    @property
    def names(self) -> tuple[str, ...]:
        """Preferred name, INN and synonyms."""
        return tuple(dict.fromkeys(n for n in (self.preferred_name, self.inn, *self.synonyms) if n))


def assemble(
    records: list[SubstanceRecord],
    structures: list[Structure],
    names: tuple[list[str], list[str]],
    cas: set[str],
) -> Substance:
    """The substance of ``records``; ``names`` are the own names and synonyms it keeps, ``cas`` the CAS
    numbers (those a record gave against its names are left out)."""
    own_names, other_names = names
    preferred = preferred_name(records, own_names)
    structure = _main_structure(structures)
    return Substance(
        id="",
        preferred_name=preferred,
        synonyms=_distinct((*own_names, *other_names), exclude={name_key(preferred)}),
        street_names=(),
        inn=next((typeset(r, r.inn) for r in records if r.inn and r.source in INCB_SOURCES), None),
        cas=tuple(sorted(cas)),
        related_cas=tuple(sorted({cas for record in records for cas in record.related_cas})),
        structure=structure,
        other_inchikeys=tuple(sorted({s.inchikey for s in structures} - {structure.inchikey} if structure else set())),
        iupac_names=_distinct(name for record in records for name in record.iupac_names),
        categories=_distinct(category for record in records for category in record.categories),
        sources=tuple(SourceRef(record.source, record.record_id) for record in records),
        controls=tuple(dict.fromkeys(fact for record in records for fact in record.controls)),
        first_identified=min((r.first_identified for r in records if r.first_identified), default=None),
    )


def preferred_name(records: list[SubstanceRecord], own_names: list[str]) -> str:
    keys = [name_key(name) for name in own_names]
    counts = Counter(keys)
    incb = next((record for record in records if record.source in INCB_SOURCES), None)
    if incb is not None and (counts[name_key(incb.name)] > 1 or len(counts) == 1):
        return _spelling(name_key(incb.name), own_names)
    best = min(own_names, key=lambda name: (-counts[name_key(name)], bool(_HAN.search(name)), len(name)))
    return _spelling(name_key(best), own_names)


def substance_id(substance: Substance, taken: set[str]) -> str:
    if substance.structure is not None:
        base = substance.structure.inchikey
    elif substance.cas:
        base = f"CAS-{substance.cas[0]}"
    else:
        base = "name-" + ("-".join(re.findall(r"[a-z0-9]+", normalise_name(substance.preferred_name))) or "unnamed")
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    taken.add(candidate)
    return candidate


def display_case(name: str) -> str:
    """A name the INCB lists print in capitals ("CANNABIS RESIN", "2-METHYL-AP-237") in lower case with a capital
    initial, codes of one or two letters kept ("2-methyl-AP-237"); a name without a capitalised word of six
    letters or more is an abbreviation and is left alone ("MDMA", "PEPAP", "MT-45")."""
    if not _LONG_CAPITAL_WORD.search(name):
        return name
    text = _CAPITAL_WORD.sub(lambda word: word.group().lower(), name)
    return text[:1].upper() + text[1:]


def typeset(record: SubstanceRecord, name: str) -> str:
    """``name`` as the registry writes it: the Yellow List's names and the Green List's INNs are in capitals
    by typographic convention, so they are recased; other sources' capitals (codes such as "5F-MDMB-PINACA")
    are kept."""
    if record.source == YELLOW or (record.source == GREEN and name == record.inn):
        return display_case(name)
    return name


def _spelling(key: str, names: list[str]) -> str:
    """The most common spelling of ``key`` among ``names``, preferring one not in capitals, then a capital
    initial ("Amfetamine" over "amfetamine")."""
    spellings = Counter(name for name in names if name_key(name) == key)
    return _best_spelling(spellings)


def _best_spelling(spellings: Counter[str]) -> str:
    ranked = sorted(spellings, key=lambda name: (name.isupper(), -spellings[name], not name[:1].isupper(), len(name)))
    return ranked[0]


def _main_structure(structures: list[Structure]) -> Structure | None:
    if not structures:
        return None
    counts = Counter(structure.inchikey for structure in structures)
    best = min(counts, key=lambda key: (-counts[key], key))
    return next(structure for structure in structures if structure.inchikey == best)


def _distinct(names: Iterable[str], exclude: set[str] | None = None) -> tuple[str, ...]:
    """One spelling per name key, in first-seen order, each the most common spelling of its key."""
    spellings: dict[str, Counter[str]] = {}
    for name in names:
        key = name_key(name)
        if key and key not in (exclude or ()):
            spellings.setdefault(key, Counter())[name] += 1
    return tuple(_best_spelling(counts) for counts in spellings.values())
