"""The chemical-family rules of ``family_rules.toml``: SMARTS patterns tried in order, first match wins.

The file documents each pattern (what it is, why it sits where it does) and gives an example substance;
see its header for the fields.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdkit import Chem

from observatory.ewa.chemistry.data_files import FAMILY_RULES, entry_error, read_toml
from observatory.ewa.chemistry.molecule import quiet_rdkit
from observatory.ewa.chemistry.vocabulary import Effect, Family, FamilyProfile, NpsGroup, family_profiles


@dataclass(frozen=True, slots=True)
class FamilyRule:
    id: str
    family: Family
    effect: Effect
    nps_group: NpsGroup
    confidence: float
    smarts: str
    note: str
    example_name: str
    example_smiles: str
    query: Any = field(repr=False, compare=False)

    def matches(self, molecule: Any) -> bool:
        return bool(molecule.HasSubstructMatch(self.query))


@dataclass(frozen=True, slots=True)
class RuleBook:
    rules: tuple[FamilyRule, ...]

    def first_match(self, molecule: Any) -> FamilyRule | None:
        return next((rule for rule in self.rules if rule.matches(molecule)), None)

    def get(self, rule_id: str) -> FamilyRule:
        return next(rule for rule in self.rules if rule.id == rule_id)


@cache
def family_rules(path: Path = FAMILY_RULES) -> RuleBook:
    """The rules of ``path`` in file order; ``SourceFileError`` for a bad entry (unknown family, bad SMARTS...)."""
    profiles = family_profiles()
    entries = read_toml(path).get("rule", [])
    rules = tuple(_rule(path, number, entry, profiles) for number, entry in enumerate(entries, start=1))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise entry_error(path, rule.id, "rule id used twice")
        seen.add(rule.id)
    return RuleBook(rules)


def _rule(path: Path, number: int, entry: dict[str, Any], profiles: dict[Family, FamilyProfile]) -> FamilyRule:
    where = str(entry.get("id") or f"rule {number}")
    try:
        profile = profiles[Family(entry["family"])]
        example = entry["example"]
        rule = FamilyRule(
            id=str(entry["id"]),
            family=profile.family,
            effect=Effect(entry.get("effect", profile.effect)),
            nps_group=NpsGroup(entry.get("nps_group", profile.nps_group)),
            confidence=float(entry["confidence"]),
            smarts=str(entry["smarts"]),
            note=str(entry["note"]),
            example_name=str(example["name"]),
            example_smiles=str(example["smiles"]),
            query=_query(str(entry["smarts"])),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise entry_error(path, where, f"bad or missing field ({error})") from error
    if not 0 < rule.confidence <= 1:
        raise entry_error(path, where, f"confidence {rule.confidence} is not in (0, 1]")
    return rule


def _query(smarts: str) -> Any:
    with quiet_rdkit():
        query = Chem.MolFromSmarts(smarts)
    if query is None:
        raise ValueError(f"invalid SMARTS {smarts!r}")
    return query
