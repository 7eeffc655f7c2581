"""Resolving the substance names laboratories and drug-checking services write to the substances the EWA knows.

In order: a finding that is not a substance ("None detected") is kept as a note; a curated alias
(``substance_aliases.csv``, each with its source, and the aliases of ``drug_checking.toml``) names a registry
query or a substance of the out-of-scope list; the registry resolves the name itself (names, synonyms, CAS,
InChIKey); a medicine, cutting agent or excipient of ``out_of_scope.toml`` is named by its name. What is left is
unresolved: kept as the reported name, and reported with the closest known names as suggestions.
"""

import csv
import difflib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from observatory.errors import BadInput, Conflict
from observatory.ewa.chemistry.data_files import EWA_DATA, read_toml
from observatory.ewa.chemistry.scope import OUT_OF_SCOPE
from observatory.ewa.events.drug_checking import drug_checking_config
from observatory.ewa.events.substances import SubstanceEntry, registry_entry, reported_entry, structure_entry
from observatory.reference.substances import name_key, substance_registry

ALIASES = EWA_DATA / "substance_aliases.csv"
SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Resolution:
    """``entry`` is ``None`` for a finding that is not a substance; ``how`` says how the name was resolved:
    ``alias``, ``registry``, ``out_of_scope``, ``not_a_substance`` or ``unresolved``."""

    name: str
    entry: SubstanceEntry | None
    how: str
    suggestions: tuple[str, ...] = ()


@dataclass(slots=True)
class NameResolver:
    aliases: dict[str, str]
    not_substances: frozenset[str]
    outside: dict[str, str]
    known_names: list[str] = field(default_factory=list)
    resolved: dict[str, Resolution] = field(default_factory=dict)

    def resolve(self, name: str) -> Resolution:
        text = " ".join(name.split())
        if text not in self.resolved:
            self.resolved[text] = self._resolve(text)
        return self.resolved[text]

    def _resolve(self, name: str) -> Resolution:
        key = name_key(name)
        if name in self.not_substances or key in {name_key(n) for n in self.not_substances}:
            return Resolution(name, None, "not_a_substance")
        alias = self.aliases.get(key)
        if alias is not None:
            return Resolution(name, self._query(alias, name), "alias")
        found = substance_registry().index.resolve(name)
        if found is not None:
            return Resolution(name, registry_entry(found), "registry")
        if key in self.outside:
            return Resolution(name, structure_entry(self.outside[key], name), "out_of_scope")
        close = difflib.get_close_matches(name.lower(), self.known_names, n=SUGGESTIONS, cutoff=0.6)
        return Resolution(name, reported_entry(name), "unresolved", tuple(close))

    def _query(self, query: str, name: str) -> SubstanceEntry:
        outside = self.outside.get(name_key(query))
        if outside is not None:
            return structure_entry(outside, query)
        try:
            return registry_entry(substance_registry().find(query))
        except (BadInput, Conflict) as error:
            raise BadInput(f"the alias of {name!r} names nothing: {error.message}", [{"value": query}]) from error


@cache
def curated_aliases(path: Path = ALIASES) -> dict[str, str]:
    """``substance_aliases.csv`` by name key → registry query or out-of-scope name."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {name_key(row["name"]): row["query"] for row in csv.DictReader(handle)}


@cache
def shared_resolver() -> NameResolver:
    """One resolver for the process (the shipped loader's)."""
    return name_resolver()


def name_resolver() -> NameResolver:
    """A new resolver over the shipped aliases, registry and out-of-scope list (it remembers what it resolved)."""
    config = drug_checking_config()
    aliases = {name_key(name): query for name, query in config.aliases.items()} | curated_aliases()
    outside = {name_key(entry["name"]): entry["smiles"] for entry in read_toml(OUT_OF_SCOPE).get("substance", [])}
    registry = substance_registry()
    known = sorted({name.lower() for s in registry.substances for name in s.names} | set(outside) | set(aliases))
    return NameResolver(aliases, config.not_substances, outside, known)
