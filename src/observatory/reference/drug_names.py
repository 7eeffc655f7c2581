"""Common names of drugs (``ecstasy``, ``MDMA``) mapped to the names the World Drug Report tables use."""

import csv
from functools import cache

from observatory.datasets import DATASETS
from observatory.reference.conversion import normalise_name

DRUG_ALIASES = DATASETS / "reference" / "drug_aliases.csv"


@cache
def _aliases() -> dict[str, str]:
    with DRUG_ALIASES.open(encoding="utf-8", newline="") as handle:
        return {normalise_name(row["alias"]): row["wdr_name"] for row in csv.DictReader(handle)}


def wdr_drug_name(name: str) -> str:
    """The WDR spelling of ``name`` if it is a known common name, else ``name`` unchanged."""
    return _aliases().get(normalise_name(name), name)
