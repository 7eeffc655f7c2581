"""Whether a structure belongs to a psychoactive family the Early Warning Advisory tracks at all.

The classifier abstains (``in_scope`` false, no chemical family) when a structure is

* **inorganic**: no carbon atom (water, salts, boric acid);
* **a known non-NPS** of ``out_of_scope.toml`` (medicines, cutting agents, excipients, sugars, precursors),
  matched by the skeleton (first InChIKey block), whatever the family rules would say;
* **a precursor the registry knows as one**: controlled under the 1988 Convention only, or listed by an
  early-warning source as a building block;
* **a sugar or polyol**: no nitrogen, three hydroxyl groups or more and at least one oxygen per two carbons.

The checks that need the neighbours (a structure nearest to medicines, or near nothing) are in
:mod:`observatory.ewa.chemistry.classification`.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from rdkit import Chem

from observatory.ewa.chemistry.data_files import EWA_DATA, entry_error, read_toml
from observatory.ewa.chemistry.fingerprints import Words, morgan_fingerprint
from observatory.ewa.chemistry.molecule import quiet_rdkit
from observatory.reference.substances import Substance, standardise

OUT_OF_SCOPE = EWA_DATA / "out_of_scope.toml"
CATEGORIES = ("medicine", "cutting_agent", "excipient", "sugar", "precursor", "supplement", "inorganic")
PRECURSOR_REGIME = "1988 Convention"
DRUG_REGIMES = ("1961 Single Convention", "1971 Convention")
BUILDING_BLOCKS = "NPS-related (building blocks)"
_HYDROXYL = Chem.MolFromSmarts("[OX2H1]-[CX4]")


@dataclass(frozen=True, slots=True)
class Scope:
    """Why a structure is outside the families the EWA tracks: ``category`` (one of :data:`CATEGORIES`), the
    ``reason`` in words and the ``source`` of the fact (empty for a structural test)."""

    category: str
    reason: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class KnownSubstance:
    name: str
    category: str
    sources: tuple[str, ...]
    note: str
    skeleton: str
    fingerprint: Words


@dataclass(frozen=True, slots=True)
class OutOfScopeList:
    substances: tuple[KnownSubstance, ...]
    sources: dict[str, str]

    def by_skeleton(self, skeleton: str) -> KnownSubstance | None:
        return next((known for known in self.substances if known.skeleton == skeleton), None)

    def nearest(self, fingerprint: Words, k: int) -> list[tuple[KnownSubstance, float]]:
        """The ``k`` list substances most similar to ``fingerprint`` (Tanimoto), best first."""
        words = np.stack([known.fingerprint for known in self.substances])
        shared = np.bitwise_count(words & fingerprint).sum(axis=1)
        union = np.bitwise_count(words).sum(axis=1) + int(np.bitwise_count(fingerprint).sum()) - shared
        scores = shared / np.maximum(union, 1)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.substances[row], float(scores[row])) for row in order]

    def without(self, name: str) -> "OutOfScopeList":
        """The list without the substance ``name`` (to classify it as if it were not listed)."""
        return OutOfScopeList(tuple(known for known in self.substances if known.name != name), self.sources)

    def scope(self, known: KnownSubstance) -> Scope:
        label = known.category.replace("_", " ")
        label = ("an " if label[0] in "aeiou" else "a ") + label
        note = f" ({known.note})" if known.note else ""
        cited = "; ".join(self.sources[key] for key in known.sources)
        return Scope(known.category, f"{known.name} is {label}{note}, not an NPS family the EWA tracks", cited)


@cache
def out_of_scope_list(path: Path = OUT_OF_SCOPE) -> OutOfScopeList:
    """The substances of ``out_of_scope.toml``; ``SourceFileError`` for a bad entry."""
    content = read_toml(path)
    sources = {str(key): str(value) for key, value in content.get("sources", {}).items()}
    entries = [_known(path, entry, sources) for entry in content.get("substance", [])]
    return OutOfScopeList(tuple(entries), sources)


def _known(path: Path, entry: dict[str, Any], sources: dict[str, str]) -> KnownSubstance:
    where = str(entry.get("name", "?"))
    try:
        category, cited = str(entry["category"]), tuple(str(key) for key in entry["sources"])
        structure = standardise(str(entry["smiles"]))
        with quiet_rdkit():
            molecule = Chem.MolFromSmiles(structure.smiles)
    except Exception as error:
        raise entry_error(path, where, f"bad or missing field ({error})") from error
    if category not in CATEGORIES or any(key not in sources for key in cited) or not cited:
        raise entry_error(path, where, f"unknown category {category!r} or source among {list(cited)}")
    skeleton = structure.inchikey.split("-", 1)[0]
    return KnownSubstance(where, category, cited, str(entry.get("note", "")), skeleton, morgan_fingerprint(molecule))


def structural_scope(molecule: Any, inchikey: str | None, listed: OutOfScopeList | None = None) -> Scope | None:
    """The reason ``molecule`` is out of scope by what it is (inorganic, on ``listed`` (by default the shipped
    list), a sugar), or ``None``."""
    if not any(atom.GetAtomicNum() == 6 for atom in molecule.GetAtoms()):
        return Scope("inorganic", "no carbon atom: an inorganic substance, not an NPS")
    if inchikey:
        listed = listed or out_of_scope_list()
        known = listed.by_skeleton(inchikey.split("-", 1)[0])
        if known is not None:
            return listed.scope(known)
    return _sugar(molecule)


def _sugar(molecule: Any) -> Scope | None:
    counts = dict.fromkeys((6, 7, 8), 0)
    for atom in molecule.GetAtoms():
        if atom.GetAtomicNum() in counts:
            counts[atom.GetAtomicNum()] += 1
    hydroxyls = len(molecule.GetSubstructMatches(_HYDROXYL))
    if counts[7] == 0 and hydroxyls >= 3 and 2 * counts[8] >= counts[6]:
        return Scope("sugar", f"a sugar or polyol ({hydroxyls} hydroxyl groups, no nitrogen): an excipient")
    return None


def registry_scope(substance: Substance) -> Scope | None:
    """``precursor`` when the registry knows the substance as one: under the 1988 Convention and neither the 1961
    nor the 1971, or listed by an early-warning source among building blocks only."""
    regimes = {fact.regime for fact in substance.controls}
    if PRECURSOR_REGIME in regimes and not regimes & set(DRUG_REGIMES):
        schedules = ", ".join(sorted({f.schedule for f in substance.controls if f.regime == PRECURSOR_REGIME}))
        reason = f"{substance.preferred_name} is a precursor (1988 Convention {schedules}), not an NPS"
        return Scope("precursor", reason, "INCB Red List")
    if substance.categories and all(category == BUILDING_BLOCKS for category in substance.categories):
        reason = f"{substance.preferred_name} is a precursor ({BUILDING_BLOCKS}), not an NPS"
        return Scope("precursor", reason, "Slovenian National Forensic Laboratory NPS list")
    return None
