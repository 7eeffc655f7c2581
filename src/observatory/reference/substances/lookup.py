"""Looking substances up by identifier, CAS number, InChIKey, name or SMILES.

A name matches through :func:`name_key` (case, accents, Greek letters, spacing, salt forms), then through
:func:`spelling_key` (INN, US and Dutch spellings). When several substances carry a name, the one whose
preferred name it is wins, then the one more sources describe; a true tie is a ``Conflict``.
"""

import difflib
import re
from collections import defaultdict

from observatory.errors import BadInput, Conflict
from observatory.reference.substances.identifiers import is_inchikey, name_key, parse_cas, spelling_key
from observatory.reference.substances.structure import standardise
from observatory.reference.substances.substance import Substance

SUGGESTIONS = 3
_CAS_SHAPED = re.compile(r"\d+\s*-\s*\d+\s*-\s*\d+")
_SMILES_CHARACTERS = re.compile(r"[A-Za-z0-9@+\-\[\]()=#$/\\%.:*]+")


class NameIndex:
    """The lookup tables of a list of substances."""

    def __init__(self, substances: list[Substance]) -> None:
        self._substances = substances
        self._ids = {substance.id: substance for substance in substances}
        self._inchikeys: dict[str, Substance] = {}
        self._cas: defaultdict[str, list[Substance]] = defaultdict(list)
        self._names: defaultdict[str, list[Substance]] = defaultdict(list)
        self._spellings: defaultdict[str, list[Substance]] = defaultdict(list)
        self._labels: dict[str, str] = {}
        for substance in substances:
            self._add(substance)

    def by_id(self, substance_id: str) -> Substance:
        substance = self._ids.get(substance_id)
        if substance is None:
            raise BadInput(f"no substance has the identifier {substance_id!r}", [{"value": substance_id}])
        return substance

    def find(self, query: str) -> Substance:
        text = " ".join(query.split())
        if not text:
            raise BadInput("a substance name or identifier is required", [{"value": query}])
        if is_inchikey(text.upper()):
            return self._by_inchikey(text.upper(), query)
        if _CAS_SHAPED.fullmatch(text):
            return self._by_cas(parse_cas(re.sub(r"\s", "", text)), query)
        found = self._by_name(text)
        if found is not None:
            return found
        if _SMILES_CHARACTERS.fullmatch(text):
            found = self._by_smiles(text)
            if found is not None:
                return found
        raise self._unknown(query)

    def resolve(self, name: str) -> Substance | None:
        """The substance ``name`` names, or ``None`` when none or several do."""
        try:
            return self._by_name(" ".join(name.split()))
        except Conflict:
            return None

    def _add(self, substance: Substance) -> None:
        keys = [substance.structure.inchikey] if substance.structure else []
        for inchikey in (*keys, *substance.other_inchikeys):
            self._inchikeys.setdefault(inchikey, substance)
        for cas in substance.cas:
            self._cas[cas].append(substance)
        for name in substance.names:
            key = name_key(name)
            if key and substance not in self._names[key]:
                self._names[key].append(substance)
                self._labels.setdefault(key, name)
            folded = spelling_key(name)
            if folded and substance not in self._spellings[folded]:
                self._spellings[folded].append(substance)

    def _by_inchikey(self, inchikey: str, query: str) -> Substance:
        substance = self._inchikeys.get(inchikey)
        if substance is None:
            raise BadInput(f"no substance has the InChIKey {query!r}", [{"value": query}])
        return substance

    def _by_cas(self, cas: str, query: str) -> Substance:
        found = self._cas.get(cas, [])
        if not found:
            raise BadInput(f"no substance has the CAS number {cas}", [{"value": query}])
        return self._one(found, cas, by="CAS number")

    def _by_name(self, text: str) -> Substance | None:
        key = name_key(text)
        found = self._names.get(key) or self._spellings.get(spelling_key(text))
        return self._one(found, key, by="name") if found else None

    def _by_smiles(self, text: str) -> Substance | None:
        try:
            structure = standardise(text)
        except BadInput:
            return None
        return self._inchikeys.get(structure.inchikey)

    def _one(self, found: list[Substance], key: str, *, by: str) -> Substance:
        if len(found) == 1:
            return found[0]
        ranked = sorted(found, key=lambda s: (name_key(s.preferred_name) != key, -len(s.sources)))
        first, second = ranked[0], ranked[1]
        if (name_key(first.preferred_name) == key) != (name_key(second.preferred_name) == key):
            return first
        if len(first.sources) > len(second.sources):
            return first
        candidates = [{"id": s.id, "preferred_name": s.preferred_name} for s in found]
        names = ", ".join(f"{s.preferred_name} ({s.id})" for s in found)
        raise Conflict(f"the {by} {key!r} belongs to {len(found)} substances: {names}", candidates)

    def _unknown(self, query: str) -> BadInput:
        key = name_key(query)
        keys: list[str] = []
        for cutoff in (0.6, 0.3, 0.0):  # a high cutoff lets difflib skip most names quickly
            keys = difflib.get_close_matches(key, self._labels, n=SUGGESTIONS, cutoff=cutoff)
            if len(keys) == SUGGESTIONS:
                break
        closest = [self._labels[key] for key in keys]
        message = f"no substance is named or identified by {query!r}; closest names: {', '.join(closest)}"
        return BadInput(message, [{"value": query, "closest": closest}])
