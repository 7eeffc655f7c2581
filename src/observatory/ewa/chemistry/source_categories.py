"""What the category labels of the NPS sources say about a substance: ``source_categories.toml``."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from observatory.ewa.chemistry.data_files import SOURCE_CATEGORIES, entry_error, read_toml
from observatory.ewa.chemistry.vocabulary import Effect, Family
from observatory.reference.substances import SubstanceRecord


@dataclass(frozen=True, slots=True)
class CategoryMeaning:
    source: str
    category: str
    family: Family | None
    effect: Effect | None

    @property
    def basis(self) -> str:
        return f"{self.source} category {self.category!r}"


@dataclass(frozen=True, slots=True)
class CategoryMap:
    meanings: dict[str, dict[str, CategoryMeaning]]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.meanings)

    def meaning(self, source: str, category: str) -> CategoryMeaning | None:
        """What the label means, or ``None`` when the file does not list it."""
        return self.meanings.get(source, {}).get(category)

    def of_record(self, record: SubstanceRecord) -> list[CategoryMeaning]:
        """The listed meanings of a record's categories, in the record's order."""
        found = (self.meaning(record.source, category) for category in record.categories)
        return [meaning for meaning in found if meaning is not None]


@cache
def source_categories(path: Path = SOURCE_CATEGORIES) -> CategoryMap:
    """The mapping of ``path``; ``SourceFileError`` for a label mapped to an unknown family or effect."""
    meanings: dict[str, dict[str, CategoryMeaning]] = {}
    for source, labels in read_toml(path).items():
        if not isinstance(labels, dict):
            raise entry_error(path, source, "expected a table of category labels")
        meanings[source] = {category: _meaning(path, source, category, value) for category, value in labels.items()}
    return CategoryMap(meanings)


def _meaning(path: Path, source: str, category: str, value: Any) -> CategoryMeaning:
    if not isinstance(value, dict) or set(value) - {"family", "effect"}:
        raise entry_error(path, f"{source}/{category}", "expected a table with 'family' and/or 'effect'")
    try:
        family = Family(value["family"]) if "family" in value else None
        effect = Effect(value["effect"]) if "effect" in value else None
    except ValueError as error:
        raise entry_error(path, f"{source}/{category}", str(error)) from error
    return CategoryMeaning(source, category, family, effect)
